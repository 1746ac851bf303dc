"""Operations and UI: send_reminders, the admin retry action, notifications list, unread count, mark read."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.choices import ReminderState
from commitments.models import Notification, Reminder, ReminderScan
from tests import factories

D = dt.date
HAS_BASE = (Path(settings.BASE_DIR) / "templates" / "base.html").exists()


def test_send_reminders_dry_run_prints_and_records_nothing(world):
    world["commitment"](D(2025, 12, 31), "year")
    out = StringIO()
    call_command("send_reminders", "--now", "2025-12-24T09:00", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "digest → clerk_x <clerk_x@example.gov.cn>: 1 item(s)" in text
    assert "承诺即将到期" in text and "would send" in text
    assert not Reminder.objects.exists() and not ReminderScan.objects.exists()


def test_send_reminders_records_and_schedules(world, django_capture_on_commit_callbacks, monkeypatch):
    world["commitment"](D(2025, 12, 31), "year")
    sent = []
    monkeypatch.setattr("commitments.tasks.deliveries_enqueue", lambda keys, hooks: sent.extend(keys))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", "2025-12-24T09:00", stdout=out)
    assert Reminder.objects.count() == 2 and len(sent) == 2
    assert "2 reminders, 2 digests" in out.getvalue()


def test_send_reminders_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="--now"):
        call_command("send_reminders", "--now", "yesterday")


def test_admin_retry_action_requeues_failed_rows(world, admin_client, django_capture_on_commit_callbacks, monkeypatch):
    world["commitment"](D(2025, 12, 31), "year")
    from commitments.reminders.scan import reminders_scan
    from tests.reminders.conftest import moment

    reminders_scan(now=moment(D(2025, 12, 24)), enqueue=lambda k, h: None)
    Reminder.objects.update(state=ReminderState.FAILED, attempts=6, last_error="SMTP: 421")
    queued = []
    monkeypatch.setattr("commitments.tasks.reminder_deliver.delay", lambda key: queued.append(key))
    ids = list(Reminder.objects.values_list("pk", flat=True))
    response = admin_client.get(reverse("admin:commitments_reminder_changelist") + "?state=failed")
    assert response.status_code == 200 and "SMTP: 421" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:commitments_reminder_changelist"), {"action": "retry_failed", "_selected_action": ids}
        )
    assert response.status_code == 302
    assert set(Reminder.objects.values_list("state", "attempts")) == {(ReminderState.PENDING, 0)}
    assert sorted(queued) == sorted(set(Reminder.objects.values_list("digest_key", flat=True)))


def test_unread_count_and_mark_read(client, db):
    me, other = factories.UserFactory(username="n_me"), factories.UserFactory(username="n_other")
    mine = [Notification.objects.create(recipient=me, title=f"提醒{i}") for i in range(3)]
    theirs = Notification.objects.create(recipient=other, title="别人的")
    client.force_login(me)
    from django.test import RequestFactory

    from commitments.context_processors import notifications

    request = RequestFactory().get("/")
    request.user = me
    assert notifications(request)["unread_notifications_count"] == 3
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[mine[0].pk])).status_code == 302
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 2
    assert client.get(reverse("notifications:read", args=[mine[1].pk])).status_code == 405
    client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"})
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.skipif(not HAS_BASE, reason="templates/base.html (UI work) not there yet")
@pytest.mark.parametrize("n", [2, 40])
def test_notification_list_shows_only_mine_with_bounded_queries(client, db, n, django_assert_max_num_queries):
    me = factories.UserFactory(username="n_list")
    for i in range(n):
        Notification.objects.create(recipient=me, title=f"我的提醒{i}", body="承诺已逾期")
    Notification.objects.create(recipient=factories.UserFactory(username="n_x"), title="别人的提醒")
    client.force_login(me)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的提醒0" in html and "别人的提醒" not in html


def test_notification_list_requires_login(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "login" in response["Location"]
