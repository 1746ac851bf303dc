"""The scan: one row per unique key, catch-up sends only the latest, escalation, one digest per recipient."""

import datetime as dt

import pytest

from commitments.choices import CommitmentStatus, ReminderKind, ReminderState, ReminderSubject
from commitments.models import Reminder, ReminderScan
from commitments.reminders.scan import reminders_scan
from tests import factories
from tests.reminders.conftest import at, moment

D = dt.date


def scan(day, hour=9, **kw):
    sent = []
    result = reminders_scan(now=moment(day, hour), enqueue=lambda keys, hooks: sent.append((keys, hooks)), **kw)
    result.enqueued = sent
    return result


def watermark(day):
    """Pretend a scan ran on `day` (the previous run before an outage)."""
    return ReminderScan.objects.create(as_of=day, started_at=moment(day), finished_at=moment(day))


def test_exactly_one_row_per_key_across_repeated_scans(world):
    c = world["commitment"](D(2025, 12, 31), "year")
    first = scan(D(2025, 12, 24))
    assert first.recorded == 2  # two clerks (no owner)
    for hour in (10, 11, 15):
        assert scan(D(2025, 12, 24), hour).recorded == 0
    rows = Reminder.objects.filter(subject_id=c.pk)
    assert rows.count() == 2
    assert set(rows.values_list("kind", "due_on")) == {(ReminderKind.DEADLINE_DUE, D(2025, 12, 24))}


def test_scan_schedules_delivery_on_commit_only(world, django_capture_on_commit_callbacks):
    world["commitment"](D(2025, 12, 31), "year")
    calls = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = reminders_scan(now=moment(D(2025, 12, 24)), enqueue=lambda k, h: calls.append(k))
    assert calls == []  # nothing is sent before the rows are committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert calls == [result.digests]


def test_catch_up_after_outage_records_only_the_most_recent(world):
    c = world["commitment"](D(2025, 12, 31), "year", created=D(2025, 9, 1))
    watermark(D(2025, 11, 20))
    result = scan(D(2025, 12, 26))
    assert result.since == D(2025, 11, 21)
    due = set(Reminder.objects.filter(subject_id=c.pk).values_list("due_on", flat=True))
    assert due == {D(2025, 12, 24)}  # not 12-01 as well


def test_older_pending_reminder_is_superseded_by_the_latest(world):
    c = world["commitment"](D(2025, 12, 31), "year", created=D(2025, 9, 1))
    scan(D(2025, 12, 1))  # recorded, but the workers were down: never delivered
    assert Reminder.objects.filter(subject_id=c.pk, state=ReminderState.PENDING, due_on=D(2025, 12, 1)).count() == 2
    result = scan(D(2025, 12, 26))
    assert result.superseded == 2
    states = dict(Reminder.objects.filter(subject_id=c.pk, recipient=world["clerks"][0]).values_list("due_on", "state"))
    assert states == {D(2025, 12, 1): ReminderState.SUPERSEDED, D(2025, 12, 24): ReminderState.PENDING}


def test_old_letter_imported_gets_one_reminder_not_the_backlog(world):
    watermark(D(2025, 11, 28))
    old = world["commitment"](D(2023, 6, 30), "month", created=D(2025, 12, 1))
    scan(D(2025, 12, 1))
    rows = Reminder.objects.filter(subject_id=old.pk, recipient=world["clerks"][0])
    assert list(rows.values_list("kind", flat=True)) == [ReminderKind.DEADLINE_OVERDUE]
    # The weekly reminder on or before 12-01: 2023-06-30 + 7k.
    assert rows.get().due_on == D(2025, 11, 28)


def escalations():
    return Reminder.objects.filter(kind=ReminderKind.ESCALATION).order_by("due_on", "subject_id")


def test_escalation_to_supervisors_after_n_days_overdue_one_row_per_agency_once_a_week(world):
    body = world["body"]
    body.escalation_after_days = 10
    body.save()
    world["commitment"](D(2025, 11, 3), created=D(2025, 9, 1))
    world["commitment"](D(2025, 11, 1), created=D(2025, 9, 1))
    world["commitment"](D(2025, 11, 12), created=D(2025, 9, 1))  # 5 days overdue on 11-17: not escalated
    other = factories.AgencyFactory()
    with at(D(2025, 9, 1)):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=world["session"]), agency=other)
        factories.CommitmentFactory(response=response, deadline=D(2025, 11, 2), precision="day")
    scan(D(2025, 11, 10))  # Monday, 7 and 9 days overdue: not yet
    assert not escalations().exists()
    scan(D(2025, 11, 17))  # Monday, 14 and 16 days overdue
    rows = list(escalations())
    assert [(r.recipient, r.subject_type, r.subject_id, r.due_on) for r in rows] == [
        (world["supervisor"], ReminderSubject.AGENCY, a.pk, D(2025, 11, 17))
        for a in sorted((world["agency"], other), key=lambda a: a.pk)
    ]
    mine = next(r for r in rows if r.subject_id == world["agency"].pk)
    assert mine.summary == {"count": 2, "oldest": "2025-11-01", "after_days": 10}
    assert next(r for r in rows if r.subject_id == other.pk).summary["count"] == 1
    assert all(r.digest_key.endswith(":escalation") for r in rows)
    # The clerks are still reminded per item, and nobody else is escalated to.
    assert not Reminder.objects.filter(kind=ReminderKind.ESCALATION).exclude(recipient=world["supervisor"]).exists()
    assert Reminder.objects.filter(subject_type=ReminderSubject.COMMITMENT, kind=ReminderKind.ESCALATION).count() == 0
    # Idempotent the same day, nothing on the other days of the week, again the next Monday.
    assert scan(D(2025, 11, 17), 15).recorded == 0
    scan(D(2025, 11, 18))
    scan(D(2025, 11, 21))
    assert escalations().count() == 2
    scan(D(2025, 11, 24))
    assert dict(escalations().filter(due_on=D(2025, 11, 24)).values_list("subject_id", "summary")) == {
        world["agency"].pk: {"count": 3, "oldest": "2025-11-01", "after_days": 10},
        other.pk: {"count": 1, "oldest": "2025-11-02", "after_days": 10},
    }


def test_portable_scan_records_the_same_escalation_summaries(world, monkeypatch):
    """The SQLite form (`make run`) groups escalations per agency exactly as the PostgreSQL statement does."""
    from commitments.reminders import scan as scan_module
    from commitments.reminders import sources

    for deadline in (D(2025, 11, 3), D(2025, 11, 1), D(2025, 12, 1)):
        world["commitment"](deadline, created=D(2025, 9, 1))
    factories.supervisor_of(world["body"], "sup_z")

    def rows():
        return set(
            Reminder.objects.values_list("recipient_id", "subject_type", "subject_id", "kind", "due_on", "digest_key")
        ), sorted(str(s) for s in Reminder.objects.values_list("summary", flat=True))

    scan(D(2025, 11, 17))
    by_sql = rows()
    Reminder.objects.all().delete()
    ReminderScan.objects.all().delete()
    source = sources.source_for(ReminderSubject.COMMITMENT)
    monkeypatch.setitem(
        sources._SOURCES,
        ReminderSubject.COMMITMENT,
        sources.ReminderSource(source.subject_type, scan_module._scan_commitments_portable, source.describe),
    )
    scan(D(2025, 11, 17))
    by_python = rows()
    strip = {(r, st, sid, k, d, key.split(":", 1)[1]) for r, st, sid, k, d, key in by_sql[0]}
    assert strip == {(r, st, sid, k, d, key.split(":", 1)[1]) for r, st, sid, k, d, key in by_python[0]}
    assert by_sql[1] == by_python[1]
    assert Reminder.objects.filter(subject_type=ReminderSubject.AGENCY).count() == 2  # two supervisors


def test_one_digest_per_recipient_listing_all_items(world):
    owner = factories.UserFactory(username="owner_z")
    for day in (D(2025, 12, 26), D(2025, 12, 30), D(2026, 1, 2)):
        world["commitment"](day, owner=owner)
    result = scan(D(2025, 12, 25))
    keys = {k.split(":", 1)[1] for k in result.digests}
    people = {str(u.pk) for u in (*world["clerks"], owner)}
    assert keys == {f"{p}:reminder" for p in people}
    for key in result.digests:
        assert Reminder.objects.filter(digest_key=key).count() == 3


def test_offsets_configured_per_body(world):
    body = world["body"]
    body.commitment_reminder_days = [10]
    body.save()
    c = world["commitment"](D(2025, 12, 31), "year")
    scan(D(2025, 12, 18))
    assert not Reminder.objects.filter(subject_id=c.pk).exists()
    scan(D(2025, 12, 19))  # 10 days before is Sunday 12-21 → Friday 12-19
    scan(D(2025, 12, 24))  # the default 7 days no longer applies
    scan(D(2025, 12, 30))
    assert set(Reminder.objects.values_list("due_on", flat=True)) == {D(2025, 12, 19)}


def test_closed_and_undated_commitments_are_not_reminded(world):
    world["commitment"](D(2025, 12, 31), "year", status=CommitmentStatus.FULFILLED)
    world["commitment"](None, "none")
    assert scan(D(2025, 12, 24)).recorded == 0


def test_reply_clock_reminds_the_agency_clerks(world):
    a = factories.AssignmentFactory(
        proposal=factories.ProposalFactory(session=world["session"]), agency=world["agency"], due_on=D(2025, 6, 30)
    )
    scan(D(2025, 6, 27))
    rows = Reminder.objects.filter(subject_type=ReminderSubject.ASSIGNMENT, subject_id=a.pk)
    assert set(rows.values_list("recipient", "kind", "due_on")) == {
        (u.pk, ReminderKind.REPLY_DUE, D(2025, 6, 27)) for u in world["clerks"]
    }
    scan(D(2025, 7, 2))
    assert rows.filter(kind=ReminderKind.REPLY_OVERDUE, due_on=D(2025, 7, 2)).count() == 2
    a.answered_on = D(2025, 7, 2)
    a.save()
    assert scan(D(2025, 7, 3)).recorded == 0


def test_pending_change_request_reminds_the_supervisors(world):
    c = world["commitment"](D(2026, 6, 30), "month")
    with at(D(2025, 11, 3)):
        req = factories.ChangeRequestFactory(commitment=c, requested_deadline=D(2026, 12, 31))
    scan(D(2025, 11, 4))
    row = Reminder.objects.get(subject_type=ReminderSubject.CHANGE_REQUEST)
    assert (row.recipient, row.subject_id, row.kind) == (world["supervisor"], req.pk, ReminderKind.CHANGE_PENDING)


def test_dry_run_records_nothing(world):
    world["commitment"](D(2025, 12, 31), "year")
    seen = []
    result = scan(
        D(2025, 12, 24),
        dry_run=True,
        report=lambda r: seen.append(
            list(Reminder.objects.filter(scan_id=r.scan_id).values_list("recipient__username", flat=True))
        ),
    )
    assert result.recorded == 2 and sorted(seen[0]) == ["clerk_x", "clerk_y"]
    assert not Reminder.objects.exists() and not ReminderScan.objects.exists()
    assert result.enqueued == []


@pytest.mark.parametrize("n", [3, 30])
def test_scan_query_count_does_not_grow_with_rows(world, n, django_assert_max_num_queries):
    for i in range(n):
        world["commitment"](D(2025, 12, 24) + dt.timedelta(days=7 + i % 3))
    with django_assert_max_num_queries(22):
        result = scan(D(2025, 12, 24))
    assert result.recorded > 0
