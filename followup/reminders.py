"""Reminders for 回头看 rounds and for the periods of recurring duties: a small scan parallel to
`commitments/reminders/scan.py`, on the same idea.

The date rules are the commitments' own (`commitments.reminders.schedule`: days before, weekly once overdue,
weekly escalation to the body's supervisors, moved onto Chinese working days). Each reminder is a
`FollowupReminder` row unique on (recipient, subject, kind, date), inserted with ON CONFLICT DO NOTHING, so a
scan run twice, or by two workers, records it once; delivery claims pending rows with SKIP LOCKED, writes the
in-app notification and one e-mail per recipient, and marks them sent. Rounds and periods are few (thousands,
not the million commitments the main scan is built for), so this scan reads them whole every run.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commitments.choices import CommitmentStatus
from commitments.models import Notification
from commitments.reminders import schedule
from proposals.models import Agency, Body

from .choices import FollowupReminderKind, FollowupReminderState, FollowupSubject, RoundState
from .models import CommitmentPeriod, FollowupReminder, ReviewItem, ReviewRound

log = logging.getLogger(__name__)

DEFAULT_DAYS = (7, 1)
KIND = {
    schedule.DEADLINE_DUE: FollowupReminderKind.DUE,
    schedule.DEADLINE_OVERDUE: FollowupReminderKind.OVERDUE,
    schedule.ESCALATION: FollowupReminderKind.ESCALATION,
}


def _days() -> tuple[int, ...]:
    return schedule.offsets(getattr(settings, "FOLLOWUP_REMINDER_DAYS", None), DEFAULT_DAYS)


class _People:
    """Active clerks per agency and supervisors per body, loaded once per scan."""

    def __init__(self) -> None:
        self.clerks: dict[int, set[int]] = defaultdict(set)
        for agency_id, user_id in Agency.clerks.through.objects.filter(user__is_active=True).values_list(
            "agency_id", "user_id"
        ):
            self.clerks[agency_id].add(user_id)
        self.supervisors: dict[int, set[int]] = defaultdict(set)
        for body_id, user_id in Body.supervisors.through.objects.filter(user__is_active=True).values_list(
            "body_id", "user_id"
        ):
            self.supervisors[body_id].add(user_id)
        self.escalation = dict(Body.objects.values_list("pk", "escalation_after_days"))

    def of_agencies(self, agency_ids) -> set[int]:
        return {u for a in agency_ids if a for u in self.clerks.get(a, ())}


def _rows(recipients, subject_type: str, subject_id: int, due: schedule.Due | None) -> list[FollowupReminder]:
    if due is None:
        return []
    return [
        FollowupReminder(
            recipient_id=u, subject_type=subject_type, subject_id=subject_id, kind=KIND[due.kind], due_on=due.on
        )
        for u in sorted(recipients)
    ]


def _escalation(people: _People, body_id, deadline: dt.date, today: dt.date) -> schedule.Due | None:
    if body_id is None or body_id not in people.supervisors:
        return None
    after = people.escalation.get(body_id, schedule.DEFAULT_ESCALATION_DAYS)
    return schedule.escalation_due(deadline=deadline, today=today, after_days=after)


def followup_reminders_scan(*, today: dt.date) -> int:
    """Record the reminders due today for open rounds and unmet periods; returns how many rows were new."""
    people, days, rows = _People(), _days(), []
    rounds = ReviewRound.objects.filter(state=RoundState.OPEN).select_related("session", "response__proposal__session")
    # Agencies a round asks: its own, or (a session-wide round) the lead agencies of its items.
    item_agencies: dict[int, set[int]] = defaultdict(set)
    for round_id, agency_id in ReviewItem.objects.filter(round__state=RoundState.OPEN).values_list(
        "round_id", "commitment__agency_id"
    ):
        item_agencies[round_id].add(agency_id)
    for r in rounds:
        agencies = {r.agency_id} if r.agency_id else item_agencies.get(r.pk, set())
        due = schedule.commitment_due(deadline=r.due_on, today=today, days=days)
        rows += _rows(people.of_agencies(agencies), FollowupSubject.ROUND, r.pk, due)
        body_id = r.session.body_id if r.session is not None else None
        rows += _rows(
            people.supervisors.get(body_id, ()) if body_id else (),
            FollowupSubject.ROUND,
            r.pk,
            _escalation(people, body_id, r.due_on, today),
        )
    horizon = today + dt.timedelta(days=max(days) + 7)
    open_periods = CommitmentPeriod.objects.filter(
        met_at__isnull=True, due_on__lte=horizon, commitment__status=CommitmentStatus.OPEN
    ).values_list(
        "pk", "due_on", "commitment__agency_id", "commitment__owner_id", "commitment__proposal__session__body_id"
    )
    for pk, due_on, agency_id, owner_id, body_id in open_periods.iterator(chunk_size=2000):
        recipients = people.of_agencies([agency_id]) | ({owner_id} if owner_id else set())
        due = schedule.commitment_due(deadline=due_on, today=today, days=days)
        rows += _rows(recipients, FollowupSubject.PERIOD, pk, due)
        rows += _rows(
            people.supervisors.get(body_id, ()), FollowupSubject.PERIOD, pk, _escalation(people, body_id, due_on, today)
        )
    before = FollowupReminder.objects.count()
    FollowupReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return FollowupReminder.objects.count() - before


def _describe(reminder: FollowupReminder, rounds: dict, periods: dict) -> tuple[str, str]:
    label = FollowupReminderKind(reminder.kind).label
    if reminder.subject_type == FollowupSubject.ROUND:
        r = rounds.get(reminder.subject_id)
        if r is None:
            return "", ""
        return f"回头看{label}：{r.title}（填报期限 {r.due_on:%Y-%m-%d}）", reverse("followup:round", args=[r.pk])
    p = periods.get(reminder.subject_id)
    if p is None:
        return "", ""
    title = f"周期任务{label}：第{p.number}期（{p.due_on:%Y-%m-%d}）{p.commitment.text[:40]}"
    return title, reverse("commitments:detail", args=[p.commitment_id])


def followup_reminders_deliver(*, limit: int = 1000) -> int:
    """Send pending reminders once: an in-app notification each and one e-mail per recipient, then mark them sent."""
    with transaction.atomic():
        pending = list(
            FollowupReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=FollowupReminderState.PENDING)
            .select_related("recipient")
            .order_by("recipient_id", "due_on", "pk")[:limit]
        )
        if not pending:
            return 0
        round_ids = [r.subject_id for r in pending if r.subject_type == FollowupSubject.ROUND]
        period_ids = [r.subject_id for r in pending if r.subject_type == FollowupSubject.PERIOD]
        rounds = ReviewRound.objects.in_bulk(round_ids)
        periods = CommitmentPeriod.objects.select_related("commitment").in_bulk(period_ids)
        by_user: dict[int, list[str]] = defaultdict(list)
        notes = []
        for reminder in pending:
            title, url = _describe(reminder, rounds, periods)
            if title:
                notes.append(Notification(recipient_id=reminder.recipient_id, title=title[:200], url=url))
                by_user[reminder.recipient_id].append(title)
        Notification.objects.bulk_create(notes)
        FollowupReminder.objects.filter(pk__in=[r.pk for r in pending]).update(
            state=FollowupReminderState.SENT, sent_at=timezone.now()
        )
        emails = {r.recipient_id: r.recipient.email for r in pending if r.recipient.email}

        def mail() -> None:
            for user_id, lines in by_user.items():
                if user_id in emails:
                    try:
                        send_mail("落实：回头看与周期任务提醒", "\n".join(lines), None, [emails[user_id]])
                    except Exception:  # the in-app notification is the record; a mail outage must not undo it
                        log.exception("follow-up reminder mail to user %s failed", user_id)

        transaction.on_commit(mail)
    return len(pending)
