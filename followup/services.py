"""Writes for follow-through: 回头看 rounds (open, report, submit, verify), periods of recurring duties, ratings.

Commitments change status and record progress only through `commitments.services`, so a verified round
outcome lands in the commitment's history and in the on-time rate like any other closure.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import services as commitment_services
from commitments.choices import CommitmentStatus
from commitments.models import Commitment, Target
from proposals import scoping
from proposals.dates import add_months
from proposals.errors import CONCURRENT_WRITE, Conflict
from proposals.models import Agency, Body, Proposer, Session
from responses.choices import ReviewState, SatisfactionChannel
from responses.models import Response
from responses.services import satisfaction_record

from . import periods as period_math
from .choices import CollectedBy, RatingValue, ReportedState, RoundOrigin, RoundState, Verdict
from .models import CommitmentPeriod, Rating, ReviewItem, ReviewRound

DEFAULT_REVIEW_MONTHS = (6, 12)
# Rounds whose lines are still being asked: a commitment on one of them is not asked again by a manual round.
UNFINISHED_ROUND_STATES = (RoundState.OPEN, RoundState.SUBMITTED)
# pg_advisory_xact_lock key of manual round openings (any fixed number unused elsewhere: the scan uses its own).
ROUND_OPEN_LOCK = 0x4C53_5247


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def review_months(configured: Iterable | None) -> tuple[int, ...]:
    """A body's 回头看 offsets in whole months, smallest first; empty or invalid means the default 6 and 12."""
    values = set()
    for value in configured or ():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number <= 120:
            values.add(number)
    return tuple(sorted(values)) or DEFAULT_REVIEW_MONTHS


def reply_date(response: Response) -> dt.date:
    """The date a reply counts from: signed, else issued, else registered."""
    return response.signed_on or response.issued_on or timezone.localtime(response.created_at).date()


def _round_due(opened_on: dt.date) -> dt.date:
    return opened_on + dt.timedelta(days=getattr(settings, "FOLLOWUP_ROUND_DUE_DAYS", 30))


# ---------------------------------------------------------------------------------------- opening rounds


def _items_create(round_: ReviewRound, commitments: QuerySet[Commitment]) -> int:
    items = [ReviewItem(round=round_, commitment_id=pk) for pk in commitments.values_list("pk", flat=True)]
    ReviewItem.objects.bulk_create(items)
    return len(items)


def review_round_open_for_reply(*, response: Response, offset_months: int, today: dt.date) -> ReviewRound | None:
    """Open the round of `response` at `offset_months` (once: the unique key); None when nothing is open.

    It leaves out the commitments a round opened by hand and not yet verified (open or submitted) is already
    asking, as a manual opening leaves out those of any unfinished round. The reply's own earlier offset is not
    such a round: each of its 6/12-month checkpoints asks what is still open then. When that leaves none, the
    round is still recorded, as skipped (无需填报, no lines, `covered_by` the manual round that asks them), so
    the beat does not try it again every hour."""
    existing = ReviewRound.objects.filter(response=response, offset_months=offset_months).first()
    if existing is not None:
        return existing
    open_commitments = Commitment.objects.filter(response=response, status=CommitmentStatus.OPEN).order_by("pk")
    if not open_commitments.exists():
        return None
    try:
        # A savepoint: two beat runs racing for the same key leave one round, the loser reads it.
        with transaction.atomic():
            # The manual openings' lock: a round opened by hand at the same moment cannot take the same lines.
            _round_open_lock()
            manual = ReviewRound.objects.filter(origin=RoundOrigin.MANUAL, state__in=UNFINISHED_ROUND_STATES)
            asked = ReviewItem.objects.filter(round__in=manual).values("commitment_id")
            fresh = open_commitments.exclude(pk__in=asked)
            covered_by = None
            if not fresh.exists():
                covered_by = manual.filter(items__commitment__in=open_commitments).order_by("due_on", "pk").first()
            round_ = ReviewRound.objects.create(
                origin=RoundOrigin.SCHEDULED,
                response=response,
                offset_months=offset_months,
                session_id=response.proposal.session_id if response.proposal is not None else None,
                agency=response.agency,
                title=f"{response} 答复后{offset_months}个月回头看",
                opened_on=today,
                due_on=_round_due(today),
                state=RoundState.SKIPPED if covered_by is not None else RoundState.OPEN,
                covered_by=covered_by,
            )
            if covered_by is None:
                _items_create(round_, fresh)
    except IntegrityError:
        return ReviewRound.objects.get(response=response, offset_months=offset_months)
    return round_


def review_rounds_open_due(*, today: dt.date) -> list[ReviewRound]:
    """Beat: open every reply's round that has come due (only its latest due offset: an old letter imported
    today gets one round, not one per offset already passed). Idempotent by (reply, offset). Returns the rounds
    opened with lines to fill in (a skipped one is recorded, not returned)."""
    months_by_body = {pk: review_months(m) for pk, m in Body.objects.values_list("pk", "review_months")}
    opened = []
    # The latest offset each reply already has a round for: one query, not one per reply.
    done = dict(
        ReviewRound.objects.filter(response__isnull=False)
        .values("response_id")
        .annotate(latest=Max("offset_months"))
        .values_list("response_id", "latest")
    )
    replies = (
        Response.objects.filter(review_state=ReviewState.CONFIRMED, is_draft=False)
        .filter(commitments__status=CommitmentStatus.OPEN)
        .distinct()
        .select_related("proposal__session", "agency")
    )
    for response in replies.iterator(chunk_size=500):
        body_id = response.proposal.session.body_id if response.proposal is not None else None
        start = reply_date(response)
        offsets = months_by_body.get(body_id, DEFAULT_REVIEW_MONTHS) if body_id else DEFAULT_REVIEW_MONTHS
        due = [m for m in offsets if add_months(start, m) <= today]
        if not due:
            continue
        latest = max(due)
        if done.get(response.pk, 0) >= latest:
            continue
        round_ = review_round_open_for_reply(response=response, offset_months=latest, today=today)
        if round_ is not None and round_.opened_on == today and round_.state != RoundState.SKIPPED:
            opened.append(round_)
    return opened


def review_rounds_skip_emptied() -> int:
    """Beat: an open round left without lines — every commitment it asked was deleted before anyone reported on it
    (the reply edited, or deleted by an administrator; a reported line keeps its commitment, `commitment_has_reports`)
    — is recorded as skipped (无需填报): nobody could submit it, yet it was reminded and escalated (session 20).
    A round and its lines are created in one transaction, so the beat never sees a new round before its lines."""
    return (
        ReviewRound.objects.filter(state=RoundState.OPEN)
        .exclude(Exists(ReviewItem.objects.filter(round=OuterRef("pk"))))
        .update(state=RoundState.SKIPPED)
    )


@transaction.atomic
def review_round_open(
    *,
    user,
    session: Session | None = None,
    agency: Agency | None = None,
    due_on: dt.date,
    title: str = "",
    today: dt.date | None = None,
) -> ReviewRound:
    """A supervisor opens a round by hand for a session, an agency, or an agency within a session."""
    _require(scoping.is_supervisor(user), _("只有督办人员可以开启回头看"))
    today = today or timezone.localdate()
    if session is None and agency is None:
        raise ValidationError({"scope": _("请选择会议或承办单位")})
    if session is not None and not (scoping.sees_everything(user) or session.body_id in scoping.body_ids(user)):
        raise PermissionDenied(_("无权对该会议开启回头看"))
    if due_on <= today:
        raise ValidationError({"due_on": _("填报期限须晚于今天")})
    commitments = Commitment.objects.editable_by(user).filter(status=CommitmentStatus.OPEN)
    if session is not None:
        commitments = commitments.filter(proposal__session=session)
    if agency is not None:
        commitments = commitments.filter(agency=agency)
    if not commitments.exists():
        raise ValidationError({"scope": _("范围内没有进行中的承诺")})
    _round_open_lock()
    # A commitment already asked in a round not yet verified (open, or submitted and awaiting a verdict) is not
    # asked again; when that leaves nothing, the round would only repeat the open one: refused, naming it.
    unfinished = ReviewItem.objects.filter(round__state__in=UNFINISHED_ROUND_STATES)
    asked = commitments.filter(pk__in=unfinished.values("commitment_id"))
    fresh = commitments.exclude(pk__in=unfinished.values("commitment_id"))
    if not fresh.exists():
        open_rounds = (
            ReviewRound.objects.filter(state__in=UNFINISHED_ROUND_STATES, items__commitment__in=asked)
            .distinct()
            .order_by("due_on", "pk")
        )
        first = open_rounds.first()
        names = _("、").join(
            _("「%(title)s」（%(state)s，%(due)s 截止）")
            % {"title": r.title, "state": r.get_state_display(), "due": f"{r.due_on:%Y-%m-%d}"}
            for r in open_rounds[:3]
        )
        raise Conflict(
            _("范围内的承诺都已在尚未核实的回头看%(names)s中，请待其核实后再开启") % {"names": names}, existing=first
        )
    already_asked = asked.count()
    label = "、".join(str(x) for x in (session, agency) if x is not None)
    round_ = ReviewRound.objects.create(
        origin=RoundOrigin.MANUAL,
        session=session,
        agency=agency,
        title=(title.strip() or f"{label} 回头看")[:200],
        opened_by=user,
        opened_on=today,
        due_on=due_on,
    )
    _items_create(round_, fresh.order_by("pk"))
    round_.already_asked = already_asked  # type: ignore[attr-defined]  # for the page's message
    return round_


def _round_open_lock() -> None:
    """Serialise manual openings (a transaction-scoped advisory lock), so two supervisors opening the same scope at
    once cannot both see no open round; SQLite (`make run`) has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROUND_OPEN_LOCK])


# ---------------------------------------------------------------------------------------- reporting, verifying


def can_report(user, item: ReviewItem) -> bool:
    """Clerks of the responsible agency (and supervisors in scope) report an item."""
    return commitment_services.can_edit(user, item.commitment)


@transaction.atomic
def review_item_report(
    *,
    item: ReviewItem,
    user,
    state: str,
    note: str = "",
    evidence_file=None,
    evidence_url: str = "",
    actuals: Mapping[int, Decimal] | None = None,
) -> ReviewItem:
    """The agency reports one commitment's state with evidence (done needs evidence; the rest a note), and the
    values reached for its quantitative targets (`actuals`: target id → value, recorded on the targets)."""
    item = ReviewItem.objects.select_for_update(of=("self",)).select_related("round", "commitment").get(pk=item.pk)
    _require(can_report(user, item), _("无权填报该承诺"))
    if item.round.state != RoundState.OPEN:
        raise Conflict(_("本轮回头看已提交，不能再修改"), existing=item.round)
    if state not in ReportedState.values:
        raise ValidationError({"state": _("未知落实情况：%(state)s") % {"state": state}})
    if state == ReportedState.DONE and not (evidence_file or evidence_url or item.evidence_file or item.evidence_url):
        raise ValidationError({"evidence": _("已完成须提供佐证材料")})
    if state != ReportedState.DONE and not note.strip():
        raise ValidationError({"note": _("须说明情况")})
    targets = _targets_for(item.commitment, actuals or {})
    item.reported_state = state
    item.note = note
    if evidence_file:
        item.evidence_file = evidence_file
    if evidence_url:
        item.evidence_url = evidence_url
    item.reported_by = user
    item.reported_at = timezone.now()
    if item.verdict == Verdict.RETURNED:
        item.verdict = ""
    item.save()
    for target, value in targets:
        commitment_services.target_record_actual(
            target=target, user=user, value=value, note=f"回头看「{item.round.title}」填报"[:500]
        )
    return item


def _targets_for(commitment: Commitment, actuals: Mapping[int, Decimal]) -> list[tuple[Target, Decimal]]:
    """The commitment's targets named in `actuals` (target id → value reached); an id of another commitment is
    refused before anything is written."""
    if not actuals:
        return []
    targets = Target.objects.filter(commitment=commitment).select_related("commitment").in_bulk(list(actuals))
    unknown = sorted(set(actuals) - set(targets))
    if unknown:
        raise ValidationError({"actuals": _("该承诺没有这些目标：%(ids)s") % {"ids": ", ".join(map(str, unknown))}})
    return [(targets[pk], value) for pk, value in sorted(actuals.items())]


@transaction.atomic
def review_round_submit(*, round_: ReviewRound, user) -> ReviewRound:
    """The agency submits a round once every item is reported; a supervisor then verifies it."""
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    items = list(round_.items.select_related("commitment"))
    _require(any(can_report(user, i) for i in items), _("无权提交本轮回头看"))
    if round_.state != RoundState.OPEN:
        raise Conflict(_("本轮回头看已提交"), existing=round_)
    missing = [i for i in items if not i.reported_state or i.verdict == Verdict.RETURNED]
    if missing:
        raise ValidationError({"items": _("还有 %(n)s 条未填报") % {"n": len(missing)}})
    round_.state = RoundState.SUBMITTED
    round_.submitted_at = timezone.now()
    round_.save(update_fields=["state", "submitted_at"])
    _verifiers_notify(round_)
    return round_


def _verifiers_notify(round_: ReviewRound) -> int:
    """Tell the supervisors who verify the submitted round's lines (those of the lines' items' bodies) that it
    awaits them: an in-app notification beside the inbox, one per supervisor however many lines he verifies."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            supervised_bodies__sessions__proposals__commitments__review_items__round=round_,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    return commitment_services.users_notify(
        sorted(users),
        title=f"回头看已提交，待核实：{round_.title[:150]}",
        url=reverse("followup:round", args=[round_.pk]),
    )


def _apply_outcome(item: ReviewItem, user) -> None:
    """A verified report becomes the commitment's record: done closes it (dated when reported), the rest progress."""
    commitment = item.commitment
    label = ReportedState(item.reported_state).label
    note = f"回头看「{item.round.title}」核实：{label}。{item.note}".strip()
    # The line's stored file itself (read and written again under the progress update on commit), not its name:
    # the services take an upload's content (session 15: the name was a 500 on accepting such a line).
    evidence = item.evidence_file if item.evidence_file else None
    if item.reported_state == ReportedState.DONE and commitment.status == CommitmentStatus.OPEN:
        assert item.reported_at is not None
        commitment_services.commitment_transition(
            commitment=commitment,
            status=CommitmentStatus.FULFILLED,
            user=user,
            reason=note,
            evidence_file=evidence,
            evidence_url=item.evidence_url,
            on=timezone.localtime(item.reported_at).date(),
        )
    elif commitment.status == CommitmentStatus.OPEN:
        commitment_services.progress_record(
            commitment=commitment,
            user=user,
            note=note,
            percent=100 if item.reported_state == ReportedState.DONE else None,
            evidence_file=evidence,
            evidence_url=item.evidence_url,
        )


def _proposers_notify(round_: ReviewRound) -> None:
    """Tell the proposers whose items the verified round covered that they may rate the replies again."""
    from django.urls import reverse

    from commitments.models import Notification

    users = set(
        Proposer.objects.filter(
            user__isnull=False,
            user__is_active=True,
            proposal_links__proposal__commitments__review_items__round=round_,
        ).values_list("user_id", flat=True)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient_id=u, title=f"回头看已核实：{round_.title[:150]}，可再次评价", url=reverse("followup:mine")
        )
        for u in sorted(users)
    )


@transaction.atomic
def review_item_verify(*, item: ReviewItem, user, accept: bool, note: str = "") -> ReviewItem:
    """A supervisor accepts a reported item (its outcome is recorded on the commitment) or returns it."""
    round_ = ReviewRound.objects.select_for_update().get(pk=item.round_id)
    review_round_verify(round_=round_, user=user, verdicts=[(item.pk, accept, note)])
    return ReviewItem.objects.select_related("round", "commitment").get(pk=item.pk)


@transaction.atomic
def review_round_verify(*, round_: ReviewRound, user, verdicts: Sequence[tuple[int, bool, str]]) -> ReviewRound:
    """A supervisor's verdicts on items of a submitted round, all or none: (item id, accept, note) each.

    Every verdict is checked before anything is written. Accepted items record their outcome on the commitment;
    a return (it needs a reason) puts the round back to open for the agency to re-report that item. When every
    item is accepted the round is verified and the proposers are told they may rate again.
    """
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if not verdicts:
        raise ValidationError({"verdicts": _("请至少核实一条")})
    ids = [pk for pk, _accept, _note in verdicts]
    if len(set(ids)) != len(ids):
        raise ValidationError({"verdicts": _("同一条不能核实两次")})
    items = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("round", "commitment__proposal__session")
        .filter(round=round_)
        .in_bulk(ids)
    )
    unknown = [pk for pk in ids if pk not in items]
    if unknown:
        raise ValidationError({"verdicts": _("不属于本轮回头看：%(ids)s") % {"ids": ", ".join(map(str, unknown))}})
    for pk in ids:
        _require(
            commitment_services.can_decide(user, items[pk].commitment),
            _("只有督办人员可以核实"),
        )
    if round_.state != RoundState.SUBMITTED:
        raise Conflict(_("本轮回头看尚未提交或已核实"), existing=round_)
    done = [pk for pk in ids if items[pk].verdict == Verdict.ACCEPTED]
    if done:
        raise Conflict(_("该条已核实：%(ids)s") % {"ids": ", ".join(map(str, done))}, existing=items[done[0]])
    if any(not accept and not note.strip() for _pk, accept, note in verdicts):
        raise ValidationError({"note": _("退回须说明理由")})
    now = timezone.now()
    for pk, accept, note in verdicts:
        item = items[pk]
        item.verdict = Verdict.ACCEPTED if accept else Verdict.RETURNED
        item.verdict_note = note
        item.verified_by = user
        item.verified_at = now
        item.save()
        if accept:
            _apply_outcome(item, user)
    if any(not accept for _pk, accept, _note in verdicts):
        round_.state = RoundState.OPEN
        round_.save(update_fields=["state"])
    elif not round_.items.exclude(verdict=Verdict.ACCEPTED).exists():
        round_.state = RoundState.VERIFIED
        round_.verified_at = now
        round_.save(update_fields=["state", "verified_at"])
        _proposers_notify(round_)
    return round_


# ---------------------------------------------------------------------------------------- recurring duties


def commitment_start(commitment: Commitment) -> dt.date:
    """A duty runs from its reply's date (or, without a reply, the day it was registered)."""
    if commitment.response is not None:
        return reply_date(commitment.response)
    return timezone.localtime(commitment.created_at).date()


@transaction.atomic
def commitment_periods_sync(*, commitment: Commitment, today: dt.date) -> list[CommitmentPeriod]:
    """Create a recurring commitment's periods up to its deadline (or the horizon); move unmet ones if the end moved."""
    if not commitment.recurrence:
        return []
    start = commitment_start(commitment)
    end = commitment.deadline if commitment.deadline else period_math.horizon(today)
    wanted = {p.number: p for p in period_math.periods(commitment.recurrence, start, end)}
    existing = {p.number: p for p in CommitmentPeriod.objects.select_for_update().filter(commitment=commitment)}
    for number, period in existing.items():
        target = wanted.get(number)
        if period.met_at is not None:
            continue
        if target is None:
            period.delete()
        elif (period.starts_on, period.due_on) != (target.starts_on, target.due_on):
            period.starts_on, period.due_on = target.starts_on, target.due_on
            period.save(update_fields=["starts_on", "due_on"])
    CommitmentPeriod.objects.bulk_create(
        [
            CommitmentPeriod(commitment=commitment, number=n, starts_on=p.starts_on, due_on=p.due_on)
            for n, p in wanted.items()
            if n not in existing
        ]
    )
    return list(CommitmentPeriod.objects.filter(commitment=commitment).order_by("number"))


def periods_sync_all(*, today: dt.date) -> int:
    """Beat: keep every open recurring commitment's periods up to date (new ones, moved deadlines, the horizon).

    The stored periods of all duties are summarised in one query (count, first start, last due date) and
    compared with the pure arithmetic; only duties whose periods differ are synced (and locked).
    """
    stored = {
        row["commitment_id"]: (row["n"], row["first"], row["last"])
        for row in CommitmentPeriod.objects.values("commitment_id")
        .annotate(n=Count("pk"), first=Min("starts_on"), last=Max("due_on"))
        .order_by()
    }
    synced = 0
    queryset = Commitment.objects.filter(status=CommitmentStatus.OPEN).exclude(recurrence="").select_related("response")
    for commitment in queryset.iterator(chunk_size=500):
        end = commitment.deadline if commitment.deadline else period_math.horizon(today)
        wanted = period_math.periods(commitment.recurrence, commitment_start(commitment), end)
        expected = (len(wanted), wanted[0].starts_on, wanted[-1].due_on) if wanted else None
        if stored.get(commitment.pk) != expected:
            commitment_periods_sync(commitment=commitment, today=today)
            synced += 1
    return synced


@transaction.atomic
def period_mark_met(
    *, period: CommitmentPeriod, user, note: str, evidence_file=None, evidence_url: str = ""
) -> CommitmentPeriod:
    """Report one period as met, with a note and optional evidence (once)."""
    period = CommitmentPeriod.objects.select_for_update(of=("self",)).select_related("commitment").get(pk=period.pk)
    _require(commitment_services.can_edit(user, period.commitment), _("无权操作该承诺"))
    if period.met_at is not None:
        raise Conflict(_("该期已登记完成"), existing=period)
    if not note.strip():
        raise ValidationError({"note": _("须说明本期完成情况")})
    period.met_at = timezone.now()
    period.met_by = user
    period.note = note
    period.evidence_file = evidence_file or ""
    period.evidence_url = evidence_url
    period.save()
    return period


# ---------------------------------------------------------------------------------------- ratings

_CHANNEL = {
    CollectedBy.PROPOSER: SatisfactionChannel.PROPOSER,
    CollectedBy.AGENCY: SatisfactionChannel.AGENCY,
    CollectedBy.BODY: SatisfactionChannel.BODY,
}


def rating_round(response: Response) -> ReviewRound | None:
    """The latest 回头看 that reported on this reply's commitments (submitted or verified): a rating belongs to it."""
    return (
        ReviewRound.objects.filter(
            items__commitment__response=response, state__in=[RoundState.SUBMITTED, RoundState.VERIFIED]
        )
        .order_by("-opened_on", "-pk")
        .first()
    )


def proposers_for(user, response: Response) -> Sequence[Proposer]:
    """The proposers of the reply's item that the user's account speaks for."""
    if response.proposal_id is None:
        return []
    return list(
        Proposer.objects.filter(pk__in=scoping.proposer_ids(user), proposal_links__proposal=response.proposal_id)
    )


@transaction.atomic
def rating_record(
    *,
    response: Response,
    user,
    attitude: str,
    result: str,
    collected_by: str,
    comment: str = "",
    proposer: Proposer | None = None,
) -> Rating:
    """Record a rating of a reply (attitude and result apart); 不满意 on the result reopens the item."""
    if attitude not in RatingValue.values or result not in RatingValue.values:
        raise ValidationError({"result": _("请选择满意、基本满意或不满意")})
    if collected_by == CollectedBy.PROPOSER:
        mine = proposers_for(user, response)
        _require(bool(mine), _("只能评价本人的建议提案"))
        if proposer is None:
            proposer = mine[0]
        _require(proposer in mine, _("只能以本人身份评价"))
    elif collected_by == CollectedBy.AGENCY:
        _require(
            scoping.sees_everything(user) or response.agency_id in scoping.agency_ids(user),
            _("只有承办单位人员可以代录"),
        )
        proposer = None
    elif collected_by == CollectedBy.BODY:
        body_id = response.proposal.session.body_id if response.proposal is not None else None
        _require(
            scoping.sees_everything(user) or (body_id is not None and body_id in scoping.body_ids(user)),
            _("只有督办人员可以代录"),
        )
        proposer = None
    else:
        raise ValidationError({"collected_by": _("未知录入方：%(value)s") % {"value": collected_by}})
    round_ = rating_round(response)
    if (
        collected_by == CollectedBy.PROPOSER
        and Rating.objects.filter(
            response=response, proposer=proposer, round=round_, collected_by=CollectedBy.PROPOSER
        ).exists()
    ):
        raise Conflict(
            _("本轮已评价，下一轮回头看后可再次评价"),
            existing=Rating.objects.filter(
                response=response, proposer=proposer, round=round_, collected_by=CollectedBy.PROPOSER
            ).first(),
        )
    try:
        # A savepoint: the same proposer rating twice at once leaves one row and a Conflict, not a 500.
        with transaction.atomic():
            rating = Rating.objects.create(
                response=response,
                proposer=proposer,
                round=round_,
                attitude=attitude,
                result=result,
                comment=comment,
                collected_by=collected_by,
                rated_by=user,
            )
    except IntegrityError as exc:
        raise Conflict(CONCURRENT_WRITE) from exc
    # The reply's own satisfaction fields keep the latest result and who collected it; 不满意 reopens the item there.
    # Ratings are kept side by side, so the reply's "latest" fields follow the newest one whatever the caller read
    # (a fresh row: satisfaction_record's Conflict guards overwriting a rating one has not seen, not this ledger).
    satisfaction_record(
        response=Response.objects.get(pk=response.pk),
        satisfaction=result,
        channel=_CHANNEL[CollectedBy(collected_by)],
        user=user,
    )
    return rating


@transaction.atomic
def rating_tally_rebuild() -> int:
    """Recount ReplyRatingTally (and each reply's state) from scratch, after a load that bypassed the triggers;
    returns the number of tally rows. Replies and ratings are locked against writes meanwhile (SHARE mode: reads
    go on). PostgreSQL only; a no-op elsewhere (SQLite counts live)."""
    from django.db import connection

    from .rating_tally_sql import REBUILD

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cur:
        cur.execute("LOCK TABLE responses_response, followup_rating IN SHARE MODE")
        cur.execute(REBUILD)
        cur.execute("ANALYZE followup_replyratingtally, followup_replyratingstate")
        cur.execute("SELECT count(*) FROM followup_replyratingtally")
        return cur.fetchone()[0]


def commitment_has_reports(commitment) -> bool:
    """A 回头看 line or a recurring period with something reported on it (a state, a note, evidence, met): what
    `commitments.services.has_tracking` must count (registered through `commitments.tracking`), so that editing or
    deleting the reply withdraws the commitment instead of deleting these records with it."""
    reported = ~Q(reported_state="") | ~Q(evidence_file="") | ~Q(evidence_url="")
    return (
        ReviewItem.objects.filter(reported, commitment=commitment).exists()
        or CommitmentPeriod.objects.filter(
            Q(met_at__isnull=False) | ~Q(note="") | ~Q(evidence_file="") | ~Q(evidence_url=""), commitment=commitment
        ).exists()
    )
