"""Writes for commitments: creation, status and deadline changes (with history), progress, change requests.

Status and deadline change only here; every change records who, when and why in the commitment's history.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals import scoping
from proposals.dates import DATE_RANGE_MESSAGE, date_in_range
from proposals.errors import CONCURRENT_WRITE, Conflict
from proposals.history import change_reason_set, history_user_set
from proposals.models import Agency
from proposals.selectors import agency_find
from responses.choices import Satisfaction
from responses.files import file_attach_on_commit
from responses.models import Document, Response
from responses.services import can_record_satisfaction, satisfaction_record

from . import tracking
from .choices import (
    ChangeKind,
    ChangeState,
    CommitmentStatus,
    Precision,
    SectionKind,
    Strength,
)
from .models import ChangeRequest, Commitment, Notification, ProgressUpdate, Target


@dataclass(frozen=True)
class TargetInput:
    """A promised quantity as the clerk confirmed it."""

    text: str
    value: Decimal | float | int
    unit: str


@dataclass(frozen=True)
class CommitmentInput:
    """One commitment as the clerk confirmed it (or as extraction proposed it)."""

    text: str
    deadline: dt.date | None = None
    deadline_text: str = ""
    precision: str = Precision.NONE
    recurrence: str = ""
    strength: str = Strength.OTHER
    start: int | None = None
    end: int | None = None
    section: str = ""
    section_kind: str = SectionKind.OTHER
    agency_names: Sequence[str] = ()
    targets: Sequence[TargetInput] = field(default_factory=tuple)
    owner_id: int | None = None
    # The stored commitment this row edits (the preview of a logged reply carries it); None for a new one.
    id: int | None = None
    origin: tuple[int, int] | None = None  # the span of the extracted item it came from (None: typed by the clerk)


VAGUE_WORDS = ("尽快", "近期", "适时", "及时", "逐步", "下一步", "今后")


# ---------------------------------------------------------------------------------------- permissions


def can_edit(user, commitment: Commitment) -> bool:
    """Clerks of a responsible agency and supervisors of the item's body may act on a commitment."""
    # editable_by, not visible_to: a proposer sees his own items' commitments but never acts on them.
    return Commitment.objects.editable_by(user).filter(pk=commitment.pk).exists()


def can_decide(user, commitment: Commitment) -> bool:
    """Only supervisors (of the item's body) approve or refuse change requests and verify closures."""
    if scoping.sees_everything(user):
        return True
    bodies = scoping.body_ids(user)
    if not bodies:
        return False
    return commitment.proposal is None or commitment.proposal.session.body_id in bodies


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def supervisors_notify(*, proposal, title: str, url: str, body: str = "") -> int:
    """An in-app notification to every active supervisor of the item's body (the inbox's arrivals); returns how many."""
    if proposal is None:
        return 0
    recipients = proposal.session.body.supervisors.filter(is_active=True).values_list("pk", flat=True)
    return users_notify(recipients, title=title, url=url, body=body)


def users_notify(recipient_ids: Iterable[int], *, title: str, url: str, body: str = "") -> int:
    """One in-app notification to each of the users (by id); returns how many."""
    rows = [Notification(recipient_id=u, title=title[:200], body=body, url=url[:500]) for u in recipient_ids]
    Notification.objects.bulk_create(rows)
    return len(rows)


def _commitment_url(commitment: Commitment) -> str:
    return reverse("commitments:detail", args=[commitment.pk])


# ---------------------------------------------------------------------------------------- creation


@transaction.atomic
def commitment_create(
    *, document: Document, item: CommitmentInput, response: Response | None = None, user=None
) -> Commitment:
    """Store one commitment with its targets and responsible agencies (names matched to known agencies)."""
    commitment = Commitment(document=document, response=response)
    agencies = _fill(commitment, item, response)
    history_user_set(commitment, user)
    change_reason_set(commitment, "从答复中登记")
    commitment.save()
    commitment.agencies.set(agencies)
    Target.objects.bulk_create(
        Target(commitment=commitment, text=t.text[:100], value=Decimal(str(t.value)), unit=t.unit[:20])
        for t in item.targets
    )
    return commitment


def _fill(commitment: Commitment, item: CommitmentInput, response: Response | None) -> list[Agency]:
    """Copy the confirmed clause onto the commitment; returns its responsible agencies.

    With no responsible agency named in the letter, the reply's agency is responsible: a commitment always has
    one, so it appears in the per-agency table and someone is reminded of it.
    """
    if not item.text.strip():
        raise ValidationError({"text": _("承诺原文不能为空")})
    if not date_in_range(item.deadline):
        raise ValidationError({"deadline": DATE_RANGE_MESSAGE})
    precision = item.precision if item.deadline else Precision.NONE
    if item.deadline and precision == Precision.NONE:
        precision = Precision.DAY
    agencies: list[Agency] = []
    for name in item.agency_names:
        agency = _agency_for_name(name, response)
        if agency is not None and agency not in agencies:
            agencies.append(agency)
    lead = agencies[0] if agencies else (response.agency if response else None)
    commitment.proposal = response.proposal if response else None
    commitment.start, commitment.end = item.start, item.end
    commitment.section = item.section[:200] if item.section or not commitment.pk else commitment.section
    commitment.section_kind = item.section_kind
    commitment.text = item.text
    commitment.strength = item.strength
    commitment.deadline = item.deadline
    commitment.deadline_text = (item.deadline_text or "")[:100]
    commitment.precision = precision
    commitment.is_vague = item.deadline is None and any(w in (item.deadline_text or "") for w in VAGUE_WORDS)
    commitment.recurrence = item.recurrence or ""
    commitment.agency = lead
    commitment.agency_names = list(item.agency_names)
    commitment.owner_id = item.owner_id
    return agencies or ([lead] if lead else [])


def has_tracking(commitment: Commitment) -> bool:
    """Progress, evidence, change requests, recorded actual values, a closed status, or what a later app records
    (`tracking`: 回头看 reports, recurring periods' reports): what must not be lost."""
    return (
        commitment.status != CommitmentStatus.OPEN
        or commitment.progress_updates.exists()
        or commitment.change_requests.exists()
        or commitment.targets.filter(actual_value__isnull=False).exists()
        or tracking.tracked_elsewhere(commitment)
    )


@transaction.atomic
def commitment_revise(*, commitment: Commitment, item: CommitmentInput, user=None) -> Commitment:
    """Change a logged commitment in place from an edited reply: its history, progress, evidence and requests stay.

    Targets are matched by position: a changed target keeps its recorded actual value; extra ones are added, and
    surplus ones without an actual value are removed.
    """
    agencies = _fill(commitment, item, commitment.response)
    history_user_set(commitment, user)
    change_reason_set(commitment, "修改答复")
    commitment.save()
    commitment.agencies.set(agencies)
    existing = list(commitment.targets.order_by("pk"))
    for position, t in enumerate(item.targets):
        if position < len(existing):
            target = existing[position]
            target.text, target.value, target.unit = t.text[:100], Decimal(str(t.value)), t.unit[:20]
            target.save(update_fields=["text", "value", "unit"])
        else:
            Target.objects.create(
                commitment=commitment, text=t.text[:100], value=Decimal(str(t.value)), unit=t.unit[:20]
            )
    for target in existing[len(item.targets) :]:
        if target.actual_value is None:
            target.delete()
    return commitment


@transaction.atomic
def commitment_remove_from_reply(*, commitment: Commitment, user=None) -> bool:
    """A commitment taken out of an edited reply: deleted when nothing was tracked on it, else withdrawn with its
    history kept. Returns True when it was deleted."""
    if not has_tracking(commitment):
        commitment.delete()
        return True
    if commitment.status == CommitmentStatus.OPEN:
        reason = "答复修改时删除，已有进展记录，改为撤回"
        commitment.status = CommitmentStatus.WITHDRAWN
        commitment.closed_on = timezone.localdate()
        history_user_set(commitment, user)
        change_reason_set(commitment, reason)
        commitment.save(update_fields=["status", "closed_on", "updated_at"])
        ProgressUpdate.objects.create(
            commitment=commitment,
            author=user,
            note=reason,
            status_from=CommitmentStatus.OPEN,
            status_to=CommitmentStatus.WITHDRAWN,
        )
    return False


def _agency_for_name(name: str, response: Response | None) -> Agency | None:
    if response is not None and name in ("我委", "我局", "我厅", "我办", "我们", "本单位"):
        return response.agency
    return agency_find(name)


# ---------------------------------------------------------------------------------------- transitions

CLOSING = {
    CommitmentStatus.FULFILLED,
    CommitmentStatus.PARTLY_FULFILLED,
    CommitmentStatus.MISSED,
    CommitmentStatus.WITHDRAWN,
}


@transaction.atomic
def commitment_transition(
    *,
    commitment: Commitment,
    status: str,
    user,
    reason: str = "",
    evidence_file=None,
    evidence_url: str = "",
    on: dt.date | None = None,
) -> Commitment:
    """Close (fulfilled needs evidence; partly, missed or withdrawn need a reason) or reopen a commitment."""
    _require(can_edit(user, commitment), _("无权操作该承诺"))
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("未知状态：%(status)s") % {"status": status}})
    if status == commitment.status:
        # Most often a second click or a colleague who did it first: a conflict with the current state.
        raise Conflict(
            _("该承诺已是“%(status)s”状态") % {"status": CommitmentStatus(status).label},
            existing=commitment,
        )
    if status == CommitmentStatus.FULFILLED and not (evidence_file or evidence_url):
        raise ValidationError({"evidence": _("标记为已兑现须提供佐证材料")})
    if (
        status in (CommitmentStatus.PARTLY_FULFILLED, CommitmentStatus.MISSED, CommitmentStatus.WITHDRAWN)
        and not reason
    ):
        raise ValidationError({"reason": _("须说明理由")})
    if status == CommitmentStatus.OPEN:
        _require(can_decide(user, commitment), _("只有督办人员可以重新打开承诺"))
    # The row whose state changes, locked: of two concurrent closes the second waits, then finds the status
    # it started from gone and stops with a Conflict instead of writing a second history entry.
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    previous = commitment.status
    if locked.status != previous:
        raise Conflict(
            _("该承诺的状态已被他人改为“%(status)s”，请刷新后查看") % {"status": CommitmentStatus(locked.status).label},
            existing=locked,
        )
    locked.status = status
    locked.closed_on = (on or timezone.localdate()) if status in CLOSING else None
    # A supervisor's own closure needs no verification; a clerk's waits in the supervisors' inbox.
    decider = status in CLOSING and can_decide(user, locked)
    locked.closure_verified_at = timezone.now() if decider else None
    locked.closure_verified_by = user if decider else None
    history_user_set(locked, user)
    change_reason_set(locked, reason or CommitmentStatus(status).label)
    locked.save(update_fields=["status", "closed_on", "closure_verified_at", "closure_verified_by", "updated_at"])
    commitment.status, commitment.closed_on, commitment.updated_at = locked.status, locked.closed_on, locked.updated_at
    if status in CLOSING and not decider:
        supervisors_notify(
            proposal=locked.proposal,
            title=f"待核实办结：{CommitmentStatus(status).label} · {locked.text[:60]}",
            url=_commitment_url(locked),
            body=reason,
        )
    update = ProgressUpdate(
        commitment=locked,
        author=user,
        note=reason or str(CommitmentStatus(status).label),
        percent=100 if status == CommitmentStatus.FULFILLED else None,
        evidence_url=evidence_url,
        status_from=previous,
        status_to=status,
    )
    file_attach_on_commit(instance=update, field="evidence_file", content=evidence_file)
    update.save()
    return commitment


@transaction.atomic
def progress_record(
    *, commitment: Commitment, user, note: str, percent: int | None = None, evidence_file=None, evidence_url: str = ""
) -> ProgressUpdate:
    """Record progress on an open commitment (a note, optionally a percentage and evidence)."""
    _require(can_edit(user, commitment), _("无权操作该承诺"))
    if not note.strip():
        raise ValidationError({"note": _("进展说明不能为空")})
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成比例须在 0–100 之间")})
    update = ProgressUpdate(commitment=commitment, author=user, note=note, percent=percent, evidence_url=evidence_url)
    file_attach_on_commit(instance=update, field="evidence_file", content=evidence_file)
    update.save()
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=timezone.now())
    return update


@transaction.atomic
def change_request_create(
    *, commitment: Commitment, user, kind: str, reason: str, requested_deadline: dt.date | None = None
) -> ChangeRequest:
    """A clerk asks to extend or withdraw; nothing moves until a supervisor approves."""
    _require(can_edit(user, commitment), _("无权操作该承诺"))
    # Locked so that of two concurrent requests the second waits and then sees the first one pending.
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.OPEN:
        raise ValidationError({"commitment": _("只能对进行中的承诺提出申请")})
    if not reason.strip():
        raise ValidationError({"reason": _("须说明理由")})
    if kind == ChangeKind.EXTENSION:
        if requested_deadline is None:
            raise ValidationError({"requested_deadline": _("须填写新的期限")})
        if not date_in_range(requested_deadline):
            raise ValidationError({"requested_deadline": DATE_RANGE_MESSAGE})
        if commitment.deadline and requested_deadline <= commitment.deadline:
            raise ValidationError({"requested_deadline": _("新期限须晚于原期限")})
    elif kind != ChangeKind.WITHDRAWAL:
        raise ValidationError({"kind": _("未知申请类别：%(kind)s") % {"kind": kind}})
    pending = commitment.change_requests.filter(state=ChangeState.PENDING).first()
    if pending is not None:
        raise Conflict(_("已有待审批的申请"), existing=pending)
    try:
        with transaction.atomic():
            change_request = ChangeRequest.objects.create(
                commitment=commitment,
                kind=kind,
                reason=reason,
                requested_by=user,
                requested_deadline=requested_deadline if kind == ChangeKind.EXTENSION else None,
            )
    except IntegrityError:
        # The partial unique constraint (one pending request per commitment), should a write bypass the lock.
        raise Conflict(CONCURRENT_WRITE)
    supervisors_notify(
        proposal=commitment.proposal,
        title=f"待审批{ChangeKind(kind).label}申请：{commitment.text[:60]}",
        url=_commitment_url(commitment),
        body=reason,
    )
    return change_request


@transaction.atomic
def extension_decide(*, change_request: ChangeRequest, user, approve: bool, note: str = "") -> ChangeRequest:
    """A supervisor approves (the deadline moves, or the commitment is withdrawn) or refuses a request."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    commitment = Commitment.objects.select_for_update().get(pk=change_request.commitment_id)
    _require(can_decide(user, commitment), _("只有督办人员可以审批"))
    if change_request.state != ChangeState.PENDING:
        raise Conflict(_("该申请已审批"), existing=change_request)
    if not approve and not note.strip():
        raise ValidationError({"note": _("驳回须说明理由")})
    change_request.state = ChangeState.APPROVED if approve else ChangeState.REFUSED
    change_request.decided_by = user
    change_request.decided_at = timezone.now()
    change_request.decision_note = note
    change_request.save()
    if approve:
        commitment._history_user = user
        commitment._change_reason = f"批准{ChangeKind(change_request.kind).label}：{change_request.reason}"
        if change_request.kind == ChangeKind.EXTENSION:
            commitment.deadline = change_request.requested_deadline
            if commitment.precision == Precision.NONE:
                commitment.precision = Precision.DAY
            commitment.save(update_fields=["deadline", "precision", "updated_at"])
        else:
            previous = commitment.status
            commitment.status = CommitmentStatus.WITHDRAWN
            commitment.closed_on = timezone.localdate()
            commitment.closure_verified_at, commitment.closure_verified_by = timezone.now(), user
            commitment.save(
                update_fields=["status", "closed_on", "closure_verified_at", "closure_verified_by", "updated_at"]
            )
            ProgressUpdate.objects.create(
                commitment=commitment,
                author=user,
                note=commitment._change_reason,
                status_from=previous,
                status_to=CommitmentStatus.WITHDRAWN,
            )
    _requester_notify(change_request, commitment, user)
    return change_request


def _requester_notify(change_request: ChangeRequest, commitment: Commitment, decided_by) -> None:
    """The clerk who asked hears the decision (in-app), as the supervisors heard the request."""
    requester = change_request.requested_by
    if requester is None or not requester.is_active or requester.pk == getattr(decided_by, "pk", None):
        return
    kind = ChangeKind(change_request.kind).label
    verdict = "已批准" if change_request.state == ChangeState.APPROVED else "已驳回"
    Notification.objects.create(
        recipient=requester,
        title=f"{kind}申请{verdict}：{commitment.text[:60]}"[:200],
        body=change_request.decision_note,
        url=_commitment_url(commitment)[:500],
    )


@transaction.atomic
def closure_verify(*, commitment: Commitment, user) -> Commitment:
    """A supervisor verifies a clerk's closure (it leaves the inbox); the history keeps who and when."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _require(can_decide(user, commitment), _("只有督办人员可以核实办结"))
    if commitment.status not in CLOSING:
        raise ValidationError({"status": _("该承诺尚未办结")})
    if commitment.closure_verified_at is not None:
        raise ValidationError({"status": _("该办结已核实")})
    commitment.closure_verified_at, commitment.closure_verified_by = timezone.now(), user
    history_user_set(commitment, user)
    change_reason_set(commitment, "督办核实办结")
    commitment.save(update_fields=["closure_verified_at", "closure_verified_by", "updated_at"])
    return commitment


@transaction.atomic
def can_record_reply_rating(user, response: Response) -> bool:
    """Staff recording a rating they collected (the item page's form, `POST /api/v1/responses/{id}/satisfaction/`):
    `can_record_satisfaction` for clerks and supervisors. A proposer who is not staff rates on his own page (/my/,
    followup.services.rating_record: attitude and result apart, once per round), never through this form, which
    would let him say who collected it (session 16)."""
    return (scoping.is_clerk(user) or scoping.is_supervisor(user)) and can_record_satisfaction(user, response)


def reply_rate(*, response: Response, satisfaction: str, channel: str, user) -> Response:
    """Record the proposer's satisfaction (responses.services.satisfaction_record); 不满意 reaches the supervisors."""
    response = satisfaction_record(response=response, satisfaction=satisfaction, channel=channel, user=user)
    if satisfaction == Satisfaction.UNSATISFIED and response.proposal is not None:
        supervisors_notify(
            proposal=response.proposal,
            title=f"不满意：{response.proposal.number} {response.proposal.title[:50]}",
            url=reverse("proposals:detail", args=[response.proposal_id]),
        )
    return response


@transaction.atomic
def target_record_actual(*, target: Target, user, value: Decimal, note: str = "", on: dt.date | None = None) -> Target:
    """Record the value actually reached for a quantitative target."""
    _require(can_edit(user, target.commitment), _("无权操作该承诺"))
    target.actual_value = value
    target.actual_note = note
    target.actual_recorded_on = on or timezone.localdate()
    target.save(update_fields=["actual_value", "actual_note", "actual_recorded_on"])
    return target


# ---------------------------------------------------------------------------------------- counts (CommitmentTally)

# Recompute every count from the commitments (the triggers' key expressions, migration commitments 0009).
TALLY_REBUILD_SQL = """
INSERT INTO commitments_commitmenttally (agency_id, session_id, status, on_time, late, overdue, n)
SELECT c.agency_id, p.session_id, c.status,
       COALESCE(c.status = 'fulfilled' AND (c.deadline IS NULL OR c.closed_on <= c.deadline), false),
       COALESCE(c.status = 'fulfilled' AND c.closed_on > c.deadline, false),
       COALESCE(c.status = 'open' AND c.deadline < (SELECT v.day FROM commitments_tallypivot v), false), count(*)
  FROM commitments_commitment c LEFT JOIN proposals_proposal p ON p.id = c.proposal_id
 GROUP BY 1, 2, 3, 4, 5, 6
"""
OPEN_DAYS_REBUILD_SQL = """
INSERT INTO commitments_opendeadlinetally (session_id, deadline, n)
SELECT p.session_id, c.deadline, count(*)
  FROM commitments_commitment c LEFT JOIN proposals_proposal p ON p.id = c.proposal_id
 WHERE c.status = 'open' AND c.deadline IS NOT NULL
 GROUP BY 1, 2
"""
# The commitments per responsible agency (ResponsibilityTally; the triggers' key, migration commitments 0011).
RESPONSIBILITY_REBUILD_SQL = """
INSERT INTO commitments_responsibilitytally (agency_id, status, deadline, n)
SELECT l.agency_id, c.status, CASE WHEN c.status = 'open' THEN c.deadline END, count(*)
  FROM commitments_commitment_agencies l JOIN commitments_commitment c ON c.id = l.commitment_id
 GROUP BY 1, 2, 3
"""
# Moving the pivot from one day to another moves the open commitments due between the two from one `overdue`
# key to the other (%(forward)s: the pivot moves later, so they become overdue). Plan: an Index Scan of
# commitment_status_deadline_idx over those days (one day's ~1,700 rows at 5M), a hash join to the items.
PIVOT_MOVE_SQL = """
INSERT INTO commitments_commitmenttally AS t (agency_id, session_id, status, on_time, late, overdue, n)
SELECT c.agency_id, p.session_id, 'open', false, false, s.overdue, s.d * count(*)
  FROM commitments_commitment c LEFT JOIN proposals_proposal p ON p.id = c.proposal_id,
       (VALUES (%(forward)s, 1), (NOT %(forward)s, -1)) AS s (overdue, d)
 WHERE c.status = 'open' AND c.deadline >= %(lo)s AND c.deadline < %(hi)s
 GROUP BY 1, 2, s.overdue, s.d
ON CONFLICT (agency_id, session_id, status, on_time, late, overdue) DO UPDATE SET n = t.n + EXCLUDED.n
"""


def _lock_commitments(cur) -> None:
    # SHARE mode: reads go on, writers wait (and the writers already running are waited for), so no trigger runs
    # with a pivot or a count this transaction is changing.
    cur.execute("LOCK TABLE commitments_commitment IN SHARE MODE")


def _lock_links(cur) -> None:
    # The same for the agencies M2M, whose writes move ResponsibilityTally.
    cur.execute("LOCK TABLE commitments_commitment_agencies IN SHARE MODE")


@transaction.atomic
def commitment_tally_rebuild(*, today: dt.date | None = None) -> int:
    """Recount CommitmentTally, OpenDeadlineTally and ResponsibilityTally from scratch (after a load that bypassed
    the triggers), with the pivot set to `today` (default: the local date); returns the number of rows written.

    PostgreSQL only; a no-op elsewhere (SQLite counts live).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cur:
        _lock_commitments(cur)
        _lock_links(cur)
        cur.execute(
            "INSERT INTO commitments_tallypivot (id, day) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET day = %s",
            [today or timezone.localdate()] * 2,
        )
        # TRUNCATE, not DELETE: the dead rows of a recount would stay in the heap every read scans.
        cur.execute(
            "TRUNCATE commitments_commitmenttally, commitments_opendeadlinetally, commitments_responsibilitytally"
        )
        cur.execute(TALLY_REBUILD_SQL)
        rows = cur.rowcount
        cur.execute(OPEN_DAYS_REBUILD_SQL)
        rows += cur.rowcount
        cur.execute(RESPONSIBILITY_REBUILD_SQL)
        rows += cur.rowcount
        cur.execute(
            "ANALYZE commitments_commitmenttally, commitments_opendeadlinetally, commitments_responsibilitytally"
        )
        return rows


def commitment_tally_pivot_advance(*, today: dt.date | None = None) -> bool:
    """Move the tally's pivot to `today` (default: the local date), the beat's daily step; False if it was there.

    Between the pivot and their today the readers count the open commitments due in those days live; this keeps
    that range empty. PostgreSQL only.
    """
    from django.db import connection

    from .models import TallyPivot

    day = today or timezone.localdate()
    if connection.vendor != "postgresql" or TallyPivot.objects.filter(day=day).exists():
        return False
    with transaction.atomic(), connection.cursor() as cur:
        _lock_commitments(cur)
        cur.execute("SELECT day FROM commitments_tallypivot WHERE id = 1 FOR UPDATE")
        row = cur.fetchone()
        if row is None:  # never filled: a full recount sets it
            commitment_tally_rebuild(today=day)
            return True
        if row[0] == day:
            return False
        lo, hi = sorted((row[0], day))
        cur.execute(PIVOT_MOVE_SQL, {"forward": day > row[0], "lo": lo, "hi": hi})
        cur.execute("UPDATE commitments_tallypivot SET day = %s WHERE id = 1", [day])
    return True
