"""回头看 rounds and the periods of recurring duties as sources of the one reminder scan (docs/followup.md).

Registered from `FollowupConfig.ready`; the scan (`commitments.reminders.scan`) records their reminders in the
same `Reminder` table under the same unique key, puts them in the same per-recipient digest and delivers them by
the same e-mail / in-app / group-robot path. Only what is particular to them lives here: who is asked, and the
offsets (`FOLLOWUP_REMINDER_DAYS`, default 7 and 1 days before the due date); the date rules are the
commitments' own (`commitments.reminders.schedule`: moved onto a Chinese working day, weekly once overdue, the
weekly escalation to the body's supervisors after `Body.escalation_after_days`).

Rounds and periods are few next to commitments (an open round per reply and offset, a period per recurring duty
and quarter), so each scan reads the open ones whole and records the latest reminder of each; the unique key
drops what an earlier scan recorded, as for assignments.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from commitments.choices import CommitmentStatus, ReminderKind, ReminderSubject
from commitments.reminders import schedule
from commitments.reminders.messages import site_url
from commitments.reminders.scan import CHUNK, Context, Recorder, recipients
from commitments.reminders.sources import Described, ReminderSource, Window, register

from .choices import RoundState
from .models import CommitmentPeriod, ReviewItem, ReviewRound

DEFAULT_DAYS = (7, 1)
# A round's reminders say 回头看 in the digest's section; a period is a commitment's deadline like any other.
ROUND_KIND = {schedule.DEADLINE_DUE: ReminderKind.ROUND_DUE, schedule.DEADLINE_OVERDUE: ReminderKind.ROUND_OVERDUE}


def _days() -> tuple[int, ...]:
    return schedule.offsets(getattr(settings, "FOLLOWUP_REMINDER_DAYS", None), DEFAULT_DAYS)


def _escalation(ctx: Context, body_id: int | None, due_on: dt.date, today: dt.date) -> schedule.Due | None:
    if body_id is None or body_id not in ctx.supervisors:
        return None
    return schedule.escalation_due(deadline=due_on, today=today, after_days=ctx.escalation_days(body_id))


def _record(
    rec: Recorder, ctx: Context, subject_type: str, pk: int, due_on: dt.date, today: dt.date, people, agencies, body_id
) -> None:
    try:
        due = schedule.commitment_due(deadline=due_on, today=today, days=_days())
        esc = _escalation(ctx, body_id, due_on, today)
    except (OverflowError, ValueError):
        rec.bad_row(subject_type, pk, due_on)
        return
    if due is not None:
        if subject_type == ReminderSubject.ROUND:
            due = dataclasses.replace(due, kind=ROUND_KIND[due.kind])
        rec.add(people, subject_type, pk, due)
        rec.add_webhook(agencies, subject_type, pk, due)
    if esc is not None:
        rec.add(ctx.supervisors[body_id], subject_type, pk, esc)


def record_rounds(rec: Recorder, ctx: Context, window: Window) -> int:
    """Open rounds: the clerks of the round's agency and of its lines' lead agencies (who alone may report a line
    another agency leads, session 20: a reply's round asked only the replying agency about it)."""
    item_agencies: dict[int, set[int]] = defaultdict(set)
    for round_id, agency_id in ReviewItem.objects.filter(round__state=RoundState.OPEN).values_list(
        "round_id", "commitment__agency_id"
    ):
        if agency_id:
            item_agencies[round_id].add(agency_id)
    count = 0
    for pk, due_on, agency_id, body_id in (
        ReviewRound.objects.filter(state=RoundState.OPEN)
        .order_by()
        .values_list("pk", "due_on", "agency_id", "session__body_id")
    ):
        count += 1
        agencies = ({agency_id} if agency_id else set()) | item_agencies.get(pk, set())
        _record(
            rec,
            ctx,
            ReminderSubject.ROUND,
            pk,
            due_on,
            window.today,
            recipients(ctx, None, agencies),
            agencies,
            body_id,
        )
    return count


def record_periods(rec: Recorder, ctx: Context, window: Window) -> int:
    """Unmet periods of open commitments up to the largest offset ahead: the agency's clerks and the owner."""
    horizon = window.today + dt.timedelta(days=max(_days()) + 7)
    unmet = (
        CommitmentPeriod.objects.filter(
            met_at__isnull=True, due_on__lte=horizon, commitment__status=CommitmentStatus.OPEN
        )
        .order_by()
        .values_list(
            "pk", "due_on", "commitment__agency_id", "commitment__owner_id", "commitment__proposal__session__body_id"
        )
    )
    count = 0
    for pk, due_on, agency_id, owner_id, body_id in unmet.iterator(chunk_size=CHUNK):
        count += 1
        agencies = {agency_id} if agency_id else set()
        people = recipients(ctx, owner_id, agencies)
        _record(rec, ctx, ReminderSubject.PERIOD, pk, due_on, window.today, people, agencies, body_id)
    return count


def describe_rounds(ids: Iterable[int]) -> dict[int, Described]:
    """Rounds still open (not submitted or closed), as a digest line linked to the round's page."""
    return {
        r.pk: Described(
            r.title,
            str(r.agency or ""),
            r.due_on,
            site_url("followup:round", r.pk, "followup_reviewround"),
        )
        for r in ReviewRound.objects.filter(pk__in=ids, state=RoundState.OPEN).select_related("agency")
    }


def describe_periods(ids: Iterable[int]) -> dict[int, Described]:
    """Unmet periods of open commitments, as a digest line linked to the commitment (which shows its periods)."""
    found = {}
    for p in CommitmentPeriod.objects.filter(
        pk__in=ids, met_at__isnull=True, commitment__status=CommitmentStatus.OPEN
    ).select_related("commitment", "commitment__agency"):
        text = p.commitment.text
        found[p.pk] = Described(
            _("第%(number)s期：%(text)s") % {"number": p.number, "text": text[:60] + ("…" if len(text) > 60 else "")},
            str(p.commitment.agency or ""),
            p.due_on,
            site_url("commitments:detail", p.commitment_id, "commitments_commitment"),
        )
    return found


def register_sources() -> None:
    register(ReminderSource(ReminderSubject.ROUND, record_rounds, describe_rounds))
    register(ReminderSource(ReminderSubject.PERIOD, record_periods, describe_periods))
