"""Delivery: one e-mail and one notification per digest, sent once; failures retried with backoff, then failed."""

import datetime as dt
from unittest import mock

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from commitments.choices import CommitmentStatus, ReminderState
from commitments.models import Notification, Reminder
from commitments.reminders import channels
from commitments.reminders.digest import digest_deliver
from commitments.reminders.scan import reminders_redeliver, reminders_scan
from tests import factories
from tests.reminders.conftest import at, moment

D = dt.date


def scan(day):
    return reminders_scan(now=moment(day), enqueue=lambda k, h: None)


@override_settings(SITE_URL="https://luoshi.example.gov.cn")
def test_escalation_digest_lists_each_agency_with_count_oldest_deadline_and_dashboard_link(world):
    body = world["body"]
    body.escalation_after_days = 10
    body.save()
    for deadline in (D(2025, 11, 3), D(2025, 11, 1), D(2025, 10, 30)):
        world["commitment"](deadline, created=D(2025, 9, 1))
    result = scan(D(2025, 11, 17))
    key = next(k for k in result.digests if k.endswith(f":{world['supervisor'].pk}:escalation"))
    assert digest_deliver(key=key) == 1
    message = mail.outbox[0]
    assert message.to == [world["supervisor"].email]
    assert message.subject == "【落实】逾期督办周报：3 项逾期（2025-11-17）"
    agency = world["agency"]
    line = f"{agency.name}：3 项承诺逾期超过 10 天（最早 2025-10-30）"
    link = f"https://luoshi.example.gov.cn/dashboard/?tab=overdue&amp;agency={agency.pk}"
    assert line in message.body and link.replace("&amp;", "&") in message.body
    assert line in message.alternatives[0][0] and link in message.alternatives[0][0]
    note = Notification.objects.get(recipient=world["supervisor"])
    assert line in note.body and link.replace("&amp;", "&") in note.body
    # The link opens the dashboard on exactly those commitments.
    client = Client()
    client.force_login(world["supervisor"])
    with at(D(2025, 11, 17)):
        page = client.get(f"/dashboard/?tab=overdue&agency={agency.pk}")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 3


@override_settings(SITE_URL="https://luoshi.example.gov.cn")
def test_digest_email_in_chinese_with_html_text_and_links(world):
    a = world["commitment"](D(2025, 12, 31))
    b = world["commitment"](D(2025, 12, 17))
    result = scan(D(2025, 12, 24))
    key = next(k for k in result.digests if k.endswith(f":{world['clerks'][0].pk}:reminder"))
    assert digest_deliver(key=key) == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["clerks"][0].email]
    assert message.subject == "【落实】2 项待办提醒（2025-12-24）"
    for body in (message.body, message.alternatives[0][0]):
        assert f"https://luoshi.example.gov.cn/commitments/{a.pk}/" in body
        assert f"https://luoshi.example.gov.cn/commitments/{b.pk}/" in body
        assert "承诺已逾期" in body and "承诺即将到期" in body
    assert message.alternatives[0][1] == "text/html"
    assert "已逾期 7 天" in message.body and "距期限 7 天" in message.body
    note = Notification.objects.get(recipient=world["clerks"][0])
    assert note.title == message.subject and note.read_at is None
    assert set(Reminder.objects.filter(digest_key=key).values_list("state", flat=True)) == {ReminderState.SENT}


def test_second_delivery_of_the_same_digest_sends_nothing(world):
    world["commitment"](D(2025, 12, 26))
    result = scan(D(2025, 12, 24))
    for key in result.digests:
        digest_deliver(key=key)
    sent = len(mail.outbox)
    for key in result.digests:
        assert digest_deliver(key=key) == 0
    assert len(mail.outbox) == sent == 2
    assert Notification.objects.count() == 2


def test_item_closed_before_delivery_is_not_sent(world):
    c = world["commitment"](D(2025, 12, 26))
    result = scan(D(2025, 12, 24))
    c.status = CommitmentStatus.FULFILLED
    c.save()
    assert digest_deliver(key=result.digests[0]) == 0
    assert mail.outbox == []
    assert Reminder.objects.filter(state=ReminderState.SUPERSEDED).count() == 1


@override_settings(REMINDERS_MAX_ATTEMPTS=3, REMINDERS_RETRY_BACKOFF=60)
def test_transient_failure_backs_off_then_fails_after_max_attempts(world):
    world["commitment"](D(2025, 12, 26))
    key = scan(D(2025, 12, 24)).digests[0]
    error = channels.DeliveryError("SMTP: 421 busy", transient=True)
    with mock.patch.object(channels, "email_send", side_effect=error):
        before = timezone.now()
        for attempt in (1, 2):
            try:
                digest_deliver(key=key)
            except channels.DeliveryError:
                pass
            row = Reminder.objects.get(digest_key=key)
            assert (row.state, row.attempts) == (ReminderState.PENDING, attempt)
            assert "421 busy" in row.last_error
            expected = dt.timedelta(seconds=60 * 2 ** (attempt - 1))
            assert before + expected - dt.timedelta(seconds=5) <= row.retry_at <= timezone.now() + expected
        assert Notification.objects.count() == 0  # rolled back with the failed send
        try:
            digest_deliver(key=key)
        except channels.DeliveryError:
            pass
    row = Reminder.objects.get(digest_key=key)
    assert (row.state, row.attempts, row.retry_at) == (ReminderState.FAILED, 3, None)


def test_permanent_failure_is_not_retried(world):
    world["commitment"](D(2025, 12, 26))
    key = scan(D(2025, 12, 24)).digests[0]
    with mock.patch.object(channels, "email_send", side_effect=channels.DeliveryError("550", transient=False)):
        try:
            digest_deliver(key=key)
        except channels.DeliveryError:
            pass
    assert Reminder.objects.get(digest_key=key).state == ReminderState.FAILED


@override_settings(REMINDERS_REDELIVER_AFTER=600)
def test_sweep_reenqueues_lost_and_retry_due_digests_only(world):
    world["commitment"](D(2025, 12, 26))
    keys = scan(D(2025, 12, 24)).digests
    now = timezone.now()
    lost, retrying = keys
    Reminder.objects.filter(digest_key=lost).update(created_at=now - dt.timedelta(minutes=11))
    Reminder.objects.filter(digest_key=retrying).update(retry_at=now + dt.timedelta(minutes=5))
    assert reminders_redeliver(now=now, enqueue=lambda k, h: None) == ([lost], [])
    assert reminders_redeliver(now=now + dt.timedelta(minutes=6), enqueue=lambda k, h: None) == (sorted(keys), [])


def test_user_without_email_gets_in_app_only(world):
    nomail = factories.UserFactory(username="nomail", email="")
    world["commitment"](D(2025, 12, 26), owner=nomail)
    result = scan(D(2025, 12, 24))
    key = next(k for k in result.digests if f":{nomail.pk}:" in k)
    assert digest_deliver(key=key) == 1
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=nomail).count() == 1
