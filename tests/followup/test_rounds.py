"""回头看 rounds with a frozen clock: opening at 6 and 12 months, once; report, submit, verify; reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitments.choices import CommitmentStatus, ReminderKind, ReminderSubject
from commitments.models import Notification, Reminder
from commitments.selectors import agency_performance
from followup import services
from followup.choices import ReportedState, RoundState, Verdict
from followup.models import ReviewRound
from followup.tasks import followup_scan
from tests import factories

from .conftest import at, deliver, remind

D = dt.date


def test_a_round_opens_six_months_after_the_reply_and_never_twice(world):
    assert services.review_rounds_open_due(today=D(2025, 7, 14)) == []
    opened = services.review_rounds_open_due(today=D(2025, 7, 15))
    assert [(r.response_id, r.offset_months) for r in opened] == [(world["response"].pk, 6)]
    round_ = opened[0]
    assert round_.due_on == D(2025, 8, 14)  # FOLLOWUP_ROUND_DUE_DAYS = 30
    assert round_.items.count() == 2
    # The beat runs again (and again the next day): still one round.
    assert services.review_rounds_open_due(today=D(2025, 7, 15)) == []
    assert services.review_rounds_open_due(today=D(2025, 7, 16)) == []
    assert ReviewRound.objects.count() == 1


def test_the_twelve_month_round_asks_only_for_commitments_still_open(world):
    services.review_rounds_open_due(today=D(2025, 7, 15))
    first, second = world["commitments"]
    first.status = CommitmentStatus.FULFILLED
    first.save()
    opened = services.review_rounds_open_due(today=D(2026, 1, 15))
    assert [r.offset_months for r in opened] == [12]
    assert list(opened[0].items.values_list("commitment_id", flat=True)) == [second.pk]


def test_an_old_reply_loaded_late_gets_only_its_latest_round(world):
    opened = services.review_rounds_open_due(today=D(2026, 3, 1))
    assert [r.offset_months for r in opened] == [12]
    assert services.review_rounds_open_due(today=D(2026, 3, 2)) == []


def test_offsets_are_set_per_body(world):
    world["body"].review_months = [3]
    world["body"].save()
    assert [r.offset_months for r in services.review_rounds_open_due(today=D(2025, 4, 15))] == [3]


def test_the_beat_task_opens_rounds_as_of_the_frozen_day(world):
    with at(D(2025, 7, 15)):
        assert followup_scan() == 1
        assert followup_scan() == 0
    assert ReviewRound.objects.get().opened_on == D(2025, 7, 15)


def test_a_reply_with_nothing_open_or_a_draft_gets_no_round(world):
    draft = factories.ResponseFactory(signed_on=D(2025, 1, 15), review_state="draft")
    factories.CommitmentFactory(response=draft)
    for c in world["commitments"]:
        c.status = CommitmentStatus.WITHDRAWN
        c.save()
    assert services.review_rounds_open_due(today=D(2025, 8, 1)) == []


def test_a_supervisor_opens_a_round_for_a_session_and_a_clerk_may_not(world):
    with at(D(2025, 3, 1)):
        with pytest.raises(PermissionDenied):
            services.review_round_open(user=world["clerk"], session=world["session"], due_on=D(2025, 4, 1))
        with pytest.raises(ValidationError, match="会议或承办单位"):
            services.review_round_open(user=world["supervisor"], due_on=D(2025, 4, 1))
        round_ = services.review_round_open(user=world["supervisor"], session=world["session"], due_on=D(2025, 4, 1))
    assert round_.items.count() == 2 and round_.opened_by == world["supervisor"]
    other = factories.SessionFactory()
    with pytest.raises(PermissionDenied):
        services.review_round_open(user=world["supervisor"], session=other, due_on=D(2030, 1, 1))


def _open_round(world) -> ReviewRound:
    return services.review_rounds_open_due(today=D(2025, 7, 15))[0]


def test_report_submit_verify_done_closes_the_commitment_on_time(world):
    round_ = _open_round(world)
    first, second = round_.items.order_by("commitment__deadline")
    clerk, supervisor = world["clerk"], world["supervisor"]
    with at(D(2025, 7, 20)):
        with pytest.raises(ValidationError, match="佐证"):
            services.review_item_report(item=first, user=clerk, state=ReportedState.DONE)
        services.review_item_report(
            item=first, user=clerk, state=ReportedState.DONE, evidence_url="https://example.gov.cn/done"
        )
        with pytest.raises(ValidationError, match="未填报"):
            services.review_round_submit(round_=round_, user=clerk)
        services.review_item_report(item=second, user=clerk, state=ReportedState.IN_PROGRESS, note="施工过半")
        services.review_round_submit(round_=round_, user=clerk)
    with pytest.raises(PermissionDenied):
        services.review_item_verify(item=first, user=clerk, accept=True)
    with at(D(2025, 8, 20)):
        services.review_item_verify(item=first, user=supervisor, accept=True)
        round_.refresh_from_db()
        assert round_.state == RoundState.SUBMITTED
        services.review_item_verify(item=second, user=supervisor, accept=True)
    round_.refresh_from_db()
    assert round_.state == RoundState.VERIFIED
    # The deputy is told he may rate again.
    assert Notification.objects.filter(recipient=world["deputy_user"], url="/my/").count() == 1
    done = first.commitment
    done.refresh_from_db()
    # Closed as of the day the agency reported it, not the day it was verified: it counts as on time.
    assert (done.status, done.closed_on) == (CommitmentStatus.FULFILLED, D(2025, 7, 20))
    assert second.commitment.progress_updates.filter(note__contains="施工过半").exists()
    row = next(
        r for r in agency_performance(user=supervisor, today=D(2026, 1, 1)) if r["agency_id"] == world["agency"].pk
    )
    assert row["on_time"] == 1


def test_a_returned_item_reopens_the_round_for_a_new_report(world):
    round_ = _open_round(world)
    items = list(round_.items.all())
    for item in items:
        services.review_item_report(item=item, user=world["clerk"], state=ReportedState.DELAYED, note="资金未到位")
    services.review_round_submit(round_=round_, user=world["clerk"])
    with pytest.raises(ValidationError, match="理由"):
        services.review_item_verify(item=items[0], user=world["supervisor"], accept=False)
    services.review_item_verify(item=items[0], user=world["supervisor"], accept=False, note="请附资金文件")
    round_.refresh_from_db()
    items[0].refresh_from_db()
    assert round_.state == RoundState.OPEN and items[0].verdict == Verdict.RETURNED
    with pytest.raises(ValidationError, match="未填报"):
        services.review_round_submit(round_=round_, user=world["clerk"])
    services.review_item_report(item=items[0], user=world["clerk"], state=ReportedState.PARTLY, note="已拨付一半")
    services.review_round_submit(round_=round_, user=world["clerk"])


def test_a_clerk_of_another_agency_cannot_report(world):
    round_ = _open_round(world)
    stranger = factories.clerk_of(factories.AgencyFactory(), "clerk_other")
    with pytest.raises(PermissionDenied):
        services.review_item_report(item=round_.items.first(), user=stranger, state="in_progress", note="x")


def test_round_due_reminders_overdue_and_escalation_are_recorded_and_sent_once(world):
    round_ = _open_round(world)  # due 2025-08-14 (a Thursday)
    rounds = Reminder.objects.filter(subject_type=ReminderSubject.ROUND)
    assert remind(D(2025, 8, 6)).followup == 0
    assert remind(D(2025, 8, 7)).followup == 1  # seven days before
    assert remind(D(2025, 8, 7), hour=15).followup == 0
    row = rounds.get()
    assert (row.recipient, row.kind, row.due_on) == (world["clerk"], ReminderKind.ROUND_DUE, D(2025, 8, 7))
    assert deliver() == 1
    assert deliver() == 0
    note = Notification.objects.get(recipient=world["clerk"])
    # One digest like any other: the round's line says 回头看 and the notification links the round's page.
    assert "回头看" in note.body and note.url.endswith(f"/followup/rounds/{round_.pk}/")
    # Overdue for a week and more: weekly to the clerk and, past the body's escalation days, to the supervisor.
    remind(D(2025, 8, 25))
    kinds = set(rounds.filter(due_on__gt=D(2025, 8, 14)).values_list("recipient__username", "kind"))
    assert ("clerk_f", ReminderKind.ROUND_OVERDUE) in kinds
    assert ("sup_f", ReminderKind.ESCALATION) in kinds


def test_a_submitted_round_is_no_longer_reminded(world):
    round_ = _open_round(world)
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    assert remind(D(2025, 8, 7)).followup == 0


def test_a_round_submitted_after_its_reminder_was_recorded_is_not_sent(world):
    round_ = _open_round(world)
    assert remind(D(2025, 8, 7)).followup == 1
    for item in round_.items.all():
        services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
    services.review_round_submit(round_=round_, user=world["clerk"])
    assert deliver() == 0
    assert Reminder.objects.get(subject_type=ReminderSubject.ROUND).state == "superseded"


def test_reminder_mail_goes_out_with_the_digest(world):
    round_ = _open_round(world)
    remind(D(2025, 8, 7))
    deliver()
    assert [m.to for m in mail.outbox] == [[world["clerk"].email]]
    assert round_.title in mail.outbox[0].body
    assert timezone.now()


def test_the_beat_tasks_remind_on_the_frozen_day_and_only_once(world, monkeypatch, django_capture_on_commit_callbacks):
    from commitments import tasks

    # The delivery tasks the scan enqueues, run at once (what the worker does).
    monkeypatch.setattr(tasks, "deliveries_enqueue", lambda keys, hooks: deliver())
    with at(D(2025, 7, 15)):
        followup_scan()
    round_ = ReviewRound.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        with at(D(2025, 8, 7), hour=7):  # before the reminder day starts (08:00): still the 6th's run
            tasks.reminders_scan()
        assert not Notification.objects.exists()
        with at(D(2025, 8, 7), hour=9):
            tasks.reminders_scan()
            tasks.reminders_scan()
    note = Notification.objects.get(recipient=world["clerk"])
    assert round_.title in note.body


def test_a_round_and_a_commitment_due_the_same_day_share_one_digest(world):
    round_ = _open_round(world)  # due 2025-08-14
    commitment = factories.CommitmentFactory(response=world["response"], deadline=D(2025, 8, 14), precision="day")
    result = remind(D(2025, 8, 7))
    clerk_keys = [k for k in result.digests if f":{world['clerk'].pk}:" in k]
    assert len(clerk_keys) == 1
    rows = Reminder.objects.filter(digest_key=clerk_keys[0])
    assert set(rows.values_list("subject_type", "subject_id", "kind")) == {
        (ReminderSubject.ROUND, round_.pk, ReminderKind.ROUND_DUE),
        (ReminderSubject.COMMITMENT, commitment.pk, ReminderKind.DEADLINE_DUE),
    }
    deliver()
    note = Notification.objects.get(recipient=world["clerk"])
    assert round_.title in note.body and f"/commitments/{commitment.pk}/" in note.body
    assert len(mail.outbox) == 1
