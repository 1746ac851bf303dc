"""Session 16 (session 15's "left"): the 回头看 services' messages were written “中文 / English”, so the Chinese round
page read “已完成须提供佐证材料 / Evidence is required for done.” Like every other message of the UI and the API they
come in one language: Chinese by default, English from the catalog for an English page or `Accept-Language: en`."""

import datetime as dt

import pytest

from followup import services
from tests.api.conftest import client_for

D = dt.date


@pytest.fixture
def round_(world):
    return services.review_rounds_open_due(today=D(2025, 7, 15))[0]


def _item_section(html: str, item) -> str:
    section = html[html.index(f'id="item-{item.pk}"') :]
    return section[: section.index("</section>")]


def test_the_round_page_shows_a_refusal_in_the_pages_language_only(client, world, round_):
    item = round_.items.order_by("pk").first()
    client.force_login(world["clerk"])
    url = f"/followup/items/{item.pk}/report/"
    chinese = _item_section(client.post(url, {"state": "done", "note": "已完工"}).content.decode(), item)
    assert "已完成须提供佐证材料" in chinese and "Evidence" not in chinese
    client.cookies["django_language"] = "en"
    english = _item_section(client.post(url, {"state": "done", "note": "已完工"}).content.decode(), item)
    assert "Evidence is required for done." in english and "佐证材料" not in english
    # The refused submit (flashed on the round page), in English and then in Chinese.
    page = client.post(f"/followup/rounds/{round_.pk}/submit/").content.decode()
    assert "2 item(s) not reported yet." in page and "条未填报" not in page
    client.cookies["django_language"] = "zh-hans"
    page = client.post(f"/followup/rounds/{round_.pk}/submit/").content.decode()
    assert "还有 2 条未填报" in page and "not reported yet" not in page


def test_the_api_answers_a_followup_refusal_in_the_asked_language(world, round_):
    item = round_.items.order_by("pk").first()
    clerk = client_for(world["clerk"])
    url = f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/"
    body = {"state": "done", "note": "已完工"}
    assert clerk.post(url, body, format="json").json()["error"]["fields"] == {"evidence": ["已完成须提供佐证材料"]}
    english = clerk.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert english["fields"] == {"evidence": ["Evidence is required for done."]}
    refused = client_for(world["deputy_user"]).post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert " / " not in refused["error"]["message"]


def test_every_followup_message_is_one_language_and_in_the_catalog():
    """No “中文 / English” literal is left in followup's messages: each is a catalog entry (whose English the i18n test
    checks), so a new bilingual literal fails here. A ValueError (a caller's bug, never shown) and a command's help
    may stay bilingual."""
    from pathlib import Path

    from tests.bilingual import bilingual_lines

    root = Path(services.__file__).resolve().parent
    paths = [
        path.relative_to(root)
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts and "management" not in path.parts
    ]
    found = bilingual_lines(root, paths, allowed=lambda line: "ValueError(" in line)
    assert found == []
