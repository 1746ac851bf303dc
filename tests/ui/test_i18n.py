"""English UI: pages switch language by cookie, Accept-Language or /i18n/setlang/; Chinese stays the default;
the committed catalog is complete and its .mo matches the .po."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
BRAND = "落实"  # the product name is shown in Chinese next to "Luoshi" in every language


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # LocaleMiddleware leaves the last request's language active in the thread; later tests expect Chinese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _visible_text(html: str) -> str:
    """Text a reader sees: tags, scripts and attribute values other than labels dropped."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<option\b[^>]*>[^<]*</option>", "", html)  # the language menu names each language in itself
    return re.sub(r"<[^>]+>", " ", html).replace(BRAND, "")


def test_login_page_is_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert "用户名" in body and "密码" in body and 'lang="zh-hans"' in body
    assert "Username" not in body and "Password" not in body


def test_login_page_in_english_by_cookie(client):
    body = _english(client).get(reverse("login")).content.decode()
    assert 'lang="en"' in body
    assert "Sign in" in body and "Username" in body and "Password" in body
    assert "用户名" not in body and "密码" not in body
    assert not CJK.search(_visible_text(body)), CJK.findall(_visible_text(body))


def test_login_page_in_english_by_accept_language(client):
    body = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Username" in body and "用户名" not in body


def test_setlang_switches_the_session_language(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    body = client.get(reverse("home")).content.decode()
    assert "My tasks" in body and "Sign out" in body
    assert "我的待办" not in body and "退出" not in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "我的待办" in client.get(reverse("home")).content.decode()


def test_empty_home_page_has_no_chinese_left_in_english(client):
    user = factories.UserFactory(username="newcomer")
    client.force_login(user)
    body = _english(client).get(reverse("home")).content.decode()
    assert "Overdue commitments" in body and "My commitments (by deadline)" in body
    assert not CJK.search(_visible_text(body)), CJK.findall(_visible_text(body))


def test_dashboard_in_english(client, commitment, supervisor):
    client.force_login(supervisor)
    body = _english(client).get(reverse("commitments:dashboard") + "?tab=all").content.decode()
    for english, chinese in [
        ("Supervision dashboard", "督办看板"),
        ("Export to Excel", "导出 Excel"),
        ("Due within 30 days", "30 天内到期"),
        ("All open", "全部进行中"),
        ("Filter", "筛选"),
        ("Responsible agencies", "责任单位"),
    ]:
        assert english in body and chinese not in body, english
    assert "1 item" in body  # plural form from the catalog: one row
    assert commitment.text[:20] in body  # data is never translated


def test_dashboard_is_chinese_by_default(client, commitment, supervisor):
    client.force_login(supervisor)
    body = client.get(reverse("commitments:dashboard") + "?tab=all").content.decode()
    assert "督办看板" in body and "导出 Excel" in body
    assert "Supervision dashboard" not in body


def test_commitment_page_in_english(client, commitment, clerk):
    client.force_login(clerk)
    body = _english(client).get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    for english, chinese in [
        ("Commitment text", "承诺原文"),
        ("History", "办理过程"),
        ("Record progress", "记录进展"),
        ("Request an extension or withdrawal", "申请延期或撤回"),
        ("Progress note", "进展说明"),
        ("Commitment strength", "承诺强度"),
    ]:
        assert english in body and chinese not in body, english
    assert f"Commitment #{commitment.pk}" in body
    assert 'class="badge open" id="status">Open<' in body


def test_flash_message_is_translated(client, commitment, clerk):
    client.force_login(clerk)
    _english(client)
    url = reverse("commitments:progress", args=[commitment.pk])
    response = client.post(url, {"note": "Work has started", "percent": "10"}, follow=True)
    body = response.content.decode()
    assert "Progress recorded." in body and "进展已记录" not in body


def test_export_headers_follow_the_language(client, commitment, supervisor):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(supervisor)
    response = _english(client).get(reverse("commitments:export") + "?tab=all")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Number", "Commitment text", "Deadline")
    assert sheet.title == "Commitment"


# ------------------------------------------------------------------------------------------------ the catalog


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader (no gettext tools needed): msgid, plural, msgstrs and flags per entry."""
    entries, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current, field = None, None
            continue
        if line.startswith("#~"):
            continue
        current = current or {"flags": [], "msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current["msgctxt"], field = ast.literal_eval(line[8:]), ("msgctxt", None)
        elif line.startswith("msgid_plural "):
            current["msgid_plural"], field = ast.literal_eval(line[13:]), ("msgid_plural", None)
        elif line.startswith("msgid "):
            current["msgid"], field = ast.literal_eval(line[6:]), ("msgid", None)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current["msgstr"][index], field = ast.literal_eval(line[line.index("]") + 2 :]), ("msgstr", index)
        elif line.startswith("msgstr "):
            current["msgstr"][0], field = ast.literal_eval(line[7:]), ("msgstr", 0)
        elif line.startswith('"'):
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += ast.literal_eval(line)
            else:
                current[field[0]] += ast.literal_eval(line)
    return [e for e in entries if e["msgid"] or e["msgstr"]]


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = _po_entries(LOCALE / "django.po")
    assert entries[0]["msgid"] == "" and "fuzzy" not in entries[0]["flags"]
    messages = entries[1:]
    assert len(messages) > 400
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for e in messages:
        assert "fuzzy" not in e["flags"], e["msgid"]
        assert e["msgstr"] and all(s.strip() for s in e["msgstr"].values()), e["msgid"]
        for text in e["msgstr"].values():
            assert set(placeholder.findall(text)) == set(placeholder.findall(e["msgid"])), e["msgid"]


def test_compiled_catalog_matches_the_po():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for e in _po_entries(LOCALE / "django.po")[1:]:
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            expected[key] = e["msgstr"][0]
        else:
            for index, text in e["msgstr"].items():
                expected[(key, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected, "run `manage.py compilemessages -l en` and commit the .mo"


def test_every_template_trans_literal_is_in_the_catalog():
    msgids = {e["msgid"] for e in _po_entries(LOCALE / "django.po")}
    root = Path(settings.BASE_DIR)
    templates = list((root / "templates").rglob("*.html")) + list(root.glob("*/templates/**/*.html"))
    literal = re.compile(r"""\{%\s*trans(?:late)?\s+(?:"([^"]+)"|'([^']+)')""")
    missing = {
        f"{path.relative_to(root)}: {a or b}"
        for path in templates
        for a, b in literal.findall(path.read_text(encoding="utf-8"))
        if (a or b) not in msgids
    }
    assert not missing, "run makemessages -l en and translate: " + "; ".join(sorted(missing))


def test_catalog_is_used_for_english_only():
    with translation.override("en"):
        assert translation.gettext("督办看板") == "Supervision dashboard"
        assert translation.ngettext("共 %(n)s 项", "共 %(n)s 项", 2) % {"n": 2} == "2 items"
    with translation.override("zh-hans"):
        assert translation.gettext("督办看板") == "督办看板"
