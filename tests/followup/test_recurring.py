"""Recurring duties: one period per month/quarter/half-year/year from the reply to the deadline or the horizon,
each reminded and reported on its own, shown on the commitment page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.choices import ReminderKind, ReminderSubject
from commitments.models import Reminder
from commitments.services import extension_decide
from followup import services
from followup.models import CommitmentPeriod
from tests import factories

from .conftest import at, remind

D = dt.date


@pytest.fixture
def duty(world):
    """每季度 duty from a reply signed 2025-01-15, due at the end of 2025."""
    c = world["commitments"][0]
    c.recurrence = "quarterly"
    c.save()
    return c


def test_quarterly_periods_from_the_reply_to_the_deadline(world, duty):
    periods = services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    assert [(p.number, p.starts_on, p.due_on) for p in periods] == [
        (1, D(2025, 1, 15), D(2025, 3, 31)),
        (2, D(2025, 4, 1), D(2025, 6, 30)),
        (3, D(2025, 7, 1), D(2025, 9, 30)),
        (4, D(2025, 10, 1), D(2025, 12, 31)),
    ]
    # Idempotent.
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 2))
    assert CommitmentPeriod.objects.filter(commitment=duty).count() == 4


def test_an_open_ended_monthly_duty_runs_to_the_end_of_next_year_and_moves_on(world):
    c = world["commitments"][0]
    c.recurrence, c.deadline, c.precision = "monthly", None, "none"
    c.save()
    assert len(services.commitment_periods_sync(commitment=c, today=D(2025, 2, 1))) == 24  # Jan 2025 .. Dec 2026
    feb = CommitmentPeriod.objects.get(commitment=c, number=14)
    assert feb.due_on == D(2026, 2, 28)
    assert len(services.commitment_periods_sync(commitment=c, today=D(2026, 1, 5))) == 36


def test_a_leap_year_february_period_ends_on_the_29th(db):
    response = factories.ResponseFactory(signed_on=D(2024, 1, 10))
    c = factories.CommitmentFactory(response=response, recurrence="monthly", deadline=D(2024, 3, 31), precision="day")
    assert [p.due_on for p in services.commitment_periods_sync(commitment=c, today=D(2024, 1, 10))] == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
    ]


def test_an_extension_adds_periods_and_met_periods_stay(world, duty):
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    first = CommitmentPeriod.objects.get(commitment=duty, number=1)
    services.period_mark_met(period=first, user=world["clerk"], note="一季度调度会已召开")
    request = factories.ChangeRequestFactory(commitment=duty, requested_deadline=D(2026, 6, 30))
    extension_decide(change_request=request, user=world["supervisor"], approve=True)
    duty.refresh_from_db()
    periods = services.commitment_periods_sync(commitment=duty, today=D(2025, 7, 1))
    assert len(periods) == 6 and periods[0].met_at is not None and periods[-1].due_on == D(2026, 6, 30)


def test_marking_a_period_met_needs_a_note_and_scope_and_happens_once(world, duty):
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    period = CommitmentPeriod.objects.get(commitment=duty, number=1)
    with pytest.raises(ValidationError, match="说明"):
        services.period_mark_met(period=period, user=world["clerk"], note=" ")
    with pytest.raises(PermissionDenied):
        services.period_mark_met(period=period, user=world["deputy_user"], note="我来登记")
    services.period_mark_met(
        period=period, user=world["clerk"], note="已完成", evidence_url="https://example.gov.cn/q1"
    )
    with pytest.raises(ValidationError, match="已登记"):
        services.period_mark_met(period=period, user=world["clerk"], note="再次")


def test_each_period_is_reminded_on_its_own(world, duty):
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    # Q1 ends Mon 2025-03-31: seven days before is 2025-03-24 (a Monday, a working day).
    periods = Reminder.objects.filter(subject_type=ReminderSubject.PERIOD)
    assert remind(D(2025, 3, 23)).followup == 0
    assert remind(D(2025, 3, 24)).followup == 1
    row = periods.get()
    first = CommitmentPeriod.objects.get(commitment=duty, number=1)
    assert (row.subject_type, row.subject_id, row.kind) == (ReminderSubject.PERIOD, first.pk, ReminderKind.DEADLINE_DUE)
    # Q1 met: nothing more about it; Q2 gets its own reminder before 2025-06-30.
    services.period_mark_met(period=first, user=world["clerk"], note="已完成")
    assert remind(D(2025, 4, 8)).followup == 0
    assert remind(D(2025, 6, 23)).followup == 1
    second = CommitmentPeriod.objects.get(commitment=duty, number=2)
    assert periods.filter(subject_id=second.pk).exists()


def test_an_unmet_period_is_overdue_and_escalated(world, duty):
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    remind(D(2025, 4, 14))
    kinds = set(Reminder.objects.filter(subject_type=ReminderSubject.PERIOD).values_list("recipient__username", "kind"))
    assert ("clerk_f", ReminderKind.DEADLINE_OVERDUE) in kinds
    assert ("sup_f", ReminderKind.ESCALATION) in kinds


def test_the_commitment_page_shows_its_periods_and_which_were_met(client, world, duty):
    services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))
    services.period_mark_met(
        period=CommitmentPeriod.objects.get(commitment=duty, number=1), user=world["clerk"], note="一季度已调度"
    )
    client.force_login(world["clerk"])
    with at(D(2025, 7, 10)):
        html = client.get(f"/commitments/{duty.pk}/").content.decode()
    assert 'id="periods"' in html and "一季度已调度" in html
    assert html.count("badge fulfilled") >= 1 and "未完成（已逾期）" in html  # Q2 unmet and past
    period = CommitmentPeriod.objects.get(commitment=duty, number=2)
    response = client.post(f"/followup/periods/{period.pk}/met/", {"note": "二季度补报"})
    assert response.status_code == 302
    assert client.post(f"/followup/periods/{period.pk}/met/", {"note": "again"}).status_code == 409  # already met
