"""Digest messages: a table with a link per item (HTML), plain lines with links (text), linked in-app lines."""

import ast
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from commitments.choices import ReminderKind
from commitments.models import Notification
from commitments.reminders import channels
from commitments.reminders.messages import Digest, DigestItem, digest_title, notification_lines, render_email
from tests import factories

SITE = "https://luoshi.example.gov.cn"


def _digest() -> Digest:
    items = [
        DigestItem(
            kind=ReminderKind.DEADLINE_OVERDUE,
            kind_label="承诺已逾期",
            subject_type="commitment",
            subject_id=pk,
            title=f"承诺{pk}",
            agency="发改委",
            deadline=dt.date(2025, 11, 20),
            due_on=dt.date(2025, 12, 1),
            url=f"{SITE}/commitments/{pk}/",
            today=dt.date(2025, 12, 1),
        )
        for pk in (7, 8)
    ]
    title = digest_title(items, escalation=False, as_of=dt.date(2025, 12, 1))
    return Digest(key="1:2:reminder", title=title, items=tuple(items), as_of=dt.date(2025, 12, 1))


def test_email_html_is_a_table_with_a_link_per_item_and_text_has_the_links(db):
    user = factories.UserFactory(username="mail_me", email="me@example.gov.cn")
    subject, text, html = render_email(_digest(), user)
    assert subject == "【落实】2 项待办提醒（2025-12-01）"
    assert "<table" in html and "<pre" not in html
    for pk in (7, 8):
        assert f'<a href="{SITE}/commitments/{pk}/"' in html
        assert f"\n   {SITE}/commitments/{pk}/\n" in text
    assert "已逾期 11 天" in html and "<" not in text.replace("<站内", "")


def test_english_digest_follows_the_language():
    with translation.override("en"):
        digest = _digest()
        assert digest.title == "[Luoshi] 2 reminders (2025-12-01)"
        assert digest.items[0].days_text == "11 days overdue"
    assert _digest().items[0].days_text == "已逾期 11 天"


def test_in_app_notification_links_every_item(client, db):
    user = factories.UserFactory(username="note_me")
    note = channels.notification_create(recipient=user, digest=_digest())
    assert notification_lines(note.body) == [
        ("承诺已逾期：承诺7（已逾期 11 天）", f"{SITE}/commitments/7/"),
        ("承诺已逾期：承诺8（已逾期 11 天）", f"{SITE}/commitments/8/"),
    ]
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'<a href="{SITE}/commitments/7/">承诺已逾期：承诺7（已逾期 11 天）</a>' in page
    assert Notification.objects.get().url == ""  # several items: each line carries its own link


@override_settings(SITE_URL=SITE)
def test_digest_links_use_site_url(world, django_capture_on_commit_callbacks, mailoutbox):
    from commitments.reminders.digest import digest_deliver
    from commitments.reminders.scan import reminders_scan
    from tests.reminders.conftest import moment

    commitment = world["commitment"](dt.date(2025, 12, 31), "year")
    result = reminders_scan(now=moment(dt.date(2025, 12, 24)), enqueue=lambda k, h: None)
    for key in result.digests:
        digest_deliver(key=key)
    assert mailoutbox and all(f"{SITE}/commitments/{commitment.pk}/" in m.body for m in mailoutbox)


def test_no_import_inside_functions_for_the_reminder_modules():
    """scan ↔ tasks and channels ↔ digest are resolved by where the code lives, not by late imports."""
    root = Path(settings.BASE_DIR) / "commitments"
    for path in [root / "tasks.py", *(root / "reminders").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                names = [getattr(n, "module", None) or n.names[0].name for n in inner]
                assert not [n for n in names if n != "time"], f"{path.name}:{node.name} imports {names}"
