"""Reads for follow-through: the 回头看 board and its findings, a round's items, periods, a proposer's own items,
and the two satisfaction rates (the proposer's own vs staff-entered) per agency."""

from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When

from commitments.models import Commitment, ProgressUpdate, Target
from commitments.selectors import item_filter_lookups, tally_filter_lookups
from proposals import scoping
from proposals.models import Assignment, Proposal, ProposalProposer
from responses.models import Response

from .choices import CollectedBy, ReportedState, RoundState, Verdict
from .models import CommitmentPeriod, Rating, ReplyRatingTally, ReviewItem, ReviewRound

SATISFIED = ("satisfied", "basically")


def round_list(*, user) -> QuerySet[ReviewRound]:
    """Rounds the user may see, with item counts (total, reported, accepted, accepted as done) in one query."""
    return (
        ReviewRound.objects.visible_to(user)
        .select_related("agency", "session", "response", "covered_by")
        .annotate(
            n_items=Count("items"),
            n_reported=Count("items", filter=~Q(items__reported_state="")),
            n_accepted=Count("items", filter=Q(items__verdict=Verdict.ACCEPTED)),
            n_done=Count("items", filter=Q(items__verdict=Verdict.ACCEPTED, items__reported_state=ReportedState.DONE)),
        )
        .order_by("due_on", "pk")
    )


def round_board(*, user) -> dict[str, list[ReviewRound]]:
    """The board's columns: rounds due (open), submitted (awaiting verification), verified, and scheduled rounds
    skipped because a round not yet verified was already asking their commitments."""
    columns: dict[str, list[ReviewRound]] = {s.value: [] for s in RoundState}
    for r in round_list(user=user):
        columns[r.state].append(r)
    return columns


def round_findings(*, user, by: str) -> list[dict]:
    """Promised vs done per agency (`by="agency"`) or per session (`by="session"`), over the rounds in scope.

    promised = items asked; reported = items the agency answered; done = items verified as done; and the
    reported states, so a board shows how many were only "in progress" or "delayed" at the check.
    """
    key, name = {
        "agency": ("commitment__agency_id", "commitment__agency__name"),
        "session": ("commitment__proposal__session_id", "commitment__proposal__session__name"),
    }[by]
    rows = (
        ReviewItem.objects.filter(round__in=ReviewRound.objects.visible_to(user).values("pk"))
        .values(key, name)
        .annotate(
            promised=Count("pk"),
            reported=Count("pk", filter=~Q(reported_state="")),
            done=Count("pk", filter=Q(verdict=Verdict.ACCEPTED, reported_state=ReportedState.DONE)),
            claimed_done=Count("pk", filter=Q(reported_state=ReportedState.DONE)),
            in_progress=Count("pk", filter=Q(reported_state=ReportedState.IN_PROGRESS)),
            delayed=Count("pk", filter=Q(reported_state__in=[ReportedState.DELAYED, ReportedState.NOT_STARTED])),
            partly=Count("pk", filter=Q(reported_state=ReportedState.PARTLY)),
        )
        .order_by("-promised", name)
    )
    out = []
    for row in rows:
        row["id"], row["name"] = row.pop(key), row.pop(name) or "—"
        row["done_rate"] = row["done"] / row["promised"] if row["promised"] else None
        out.append(row)
    return out


def round_lines(*, user) -> QuerySet[ReviewItem]:
    """The lines of rounds a user is shown: those about commitments he may see (`Commitment.visible_to`). A round
    may ask several agencies (a session-wide round, a reply whose letter makes another agency lead of a commitment);
    a clerk sees his agencies' lines and how many others there are, never their text, reports or evidence."""
    lines = ReviewItem.objects.all()
    if scoping.sees_everything(user):
        return lines
    return lines.filter(commitment__in=Commitment.objects.visible_to(user).values("pk"))


def editable_ids(user, lines) -> set[int]:
    """The commitments of `lines` the user may act on (`services.can_report` for each line, in one query)."""
    ids = {line.commitment_id for line in lines}
    return set(Commitment.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


# Lines still to be reported: never reported, or returned by a supervisor and not yet reported again.
UNREPORTED = Q(items__reported_state="") | Q(items__verdict=Verdict.RETURNED)


def round_detail_queryset(*, user) -> QuerySet[ReviewRound]:
    """Rounds the user may see, with the lines he may see (their commitments and agencies) for the round page, and
    the round's own counts of lines (`n_items`) and of lines still to report (`n_unreported`), all agencies'."""
    return (
        ReviewRound.objects.visible_to(user)
        .select_related("agency", "session", "response", "opened_by", "covered_by")
        .annotate(n_items=Count("items"), n_unreported=Count("items", filter=UNREPORTED))
        .prefetch_related(
            Prefetch(
                "items",
                queryset=round_lines(user=user)
                .select_related("commitment__agency", "commitment__proposal", "reported_by", "verified_by")
                .prefetch_related(Prefetch("commitment__targets", queryset=Target.objects.order_by("pk")))
                .order_by("commitment__deadline", "pk"),
            )
        )
    )


def periods_of(*, commitment: Commitment) -> list[CommitmentPeriod]:
    """A commitment's periods, first to last, with who reported each."""
    return list(commitment.periods.select_related("met_by").order_by("number"))


def proposer_items(*, user) -> QuerySet[Proposal]:
    """The proposer's own items (never another's), each with its replies, their ratings, commitments,
    progress with evidence, targets and periods, in a fixed number of queries."""
    mine = scoping.proposer_ids(user)
    commitments = Commitment.objects.select_related("agency").prefetch_related(
        Prefetch(
            "progress_updates", queryset=ProgressUpdate.objects.select_related("author").order_by("-created_at", "-pk")
        ),
        Prefetch("targets", queryset=Target.objects.order_by("pk")),
        Prefetch("periods", queryset=CommitmentPeriod.objects.select_related("met_by").order_by("number")),
    )
    replies = Response.objects.select_related("agency").prefetch_related(
        Prefetch("commitments", queryset=commitments.order_by("deadline", "pk")),
        Prefetch(
            "ratings",
            queryset=Rating.objects.filter(collected_by=CollectedBy.PROPOSER, proposer_id__in=mine).select_related(
                "round", "proposer"
            ),
        ),
    )
    return (
        Proposal.objects.filter(proposer_links__proposer_id__in=mine)
        .distinct()
        .select_related("session")
        .prefetch_related(
            Prefetch("proposer_links", queryset=ProposalProposer.objects.select_related("proposer")),
            Prefetch("responses", queryset=replies.order_by("signed_on", "pk")),
        )
        .order_by("-session__year", "-pk")
    )


def rating_rates_by_agency(*, user, filters: dict | None = None) -> dict[int, dict]:
    """Per reply agency: the proposers' own 满意率 and the staff-entered one, counted apart (on the result), and the
    replies' recorded satisfaction (`rated`, `satisfied`: the page's 满意率 column).

    Each reply counts once per side with its latest rating of that side. Replies rated before ratings were
    kept (only `Response.satisfaction` set, by staff through the old form) count on the side their channel says,
    if they have no rating at all. From ReplyRatingTally where it holds the user's scope: one GROUP BY over a few
    thousand rows (plan at 5M: Seq Scan of the tally, Hash Left Join to the sessions for the body, HashAggregate by
    agency); otherwise `rating_rates_by_agency_live`. `filters`: the per-agency page's (body, session, kind, is_key),
    so the rates are of the items its counts are of (`commitments.selectors.item_filter_lookups`).
    """
    tally = _rating_tally(user, filters)
    if tally is None:
        return rating_rates_by_agency_live(user=user, filters=filters)
    legacy = Q(own="", staff="") & ~Q(sat="")
    rows = tally.values("agency_id").annotate(
        own_rated=Sum("n", filter=~Q(own="") | legacy & Q(sat_own=True), default=0),
        own_ok=Sum("n", filter=Q(own="ok") | legacy & Q(sat_own=True, sat="ok"), default=0),
        staff_rated=Sum("n", filter=~Q(staff="") | legacy & Q(sat_own=False), default=0),
        staff_ok=Sum("n", filter=Q(staff="ok") | legacy & Q(sat_own=False, sat="ok"), default=0),
        rated=Sum("n", filter=~Q(sat=""), default=0),
        satisfied=Sum("n", filter=Q(sat="ok"), default=0),
    )
    return _with_rates({r.pop("agency_id"): r for r in rows if any(r.values())})


def _rating_tally(user, filters: dict | None = None) -> QuerySet[ReplyRatingTally] | None:
    """The replies the user may see, on ReplyRatingTally, or None where it cannot say them exactly (counted live):
    those who see everything, and supervisors (Response.visible_to: their bodies' items' replies, and the replies
    without an item of the agencies their bodies assign to). Not clerks, proposers or mixed roles; not SQLite."""
    if connection.vendor != "postgresql":
        return None
    lookups = tally_filter_lookups(filters)  # kind and is_key are the item's: counted live
    if lookups is None:
        return None
    rows = ReplyRatingTally.objects.filter(**lookups).order_by()
    if scoping.sees_everything(user):
        return rows
    bodies = scoping.body_ids(user)
    if scoping.agency_ids(user) or scoping.proposer_ids(user) or not bodies:
        return None
    # The replies without an item: a correlated EXISTS, looked up only for the tally's rows without a session (an
    # `agency_id IN (supervised_agencies)` was a hashed subplan over every assignment of the body: 160 ms at 5M).
    assigns = Assignment.objects.filter(agency_id=OuterRef("agency_id"), proposal__session__body_id__in=bodies)
    return rows.filter(Q(session__body_id__in=bodies) | Q(session__isnull=True) & Q(Exists(assigns)))


def _with_rates(out: dict) -> dict[int, dict]:
    for row in out.values():
        row.setdefault("rated", 0)
        row.setdefault("satisfied", 0)
        row["own_rate"] = row["own_ok"] / row["own_rated"] if row["own_rated"] else None
        row["staff_rate"] = row["staff_ok"] / row["staff_rated"] if row["staff_rated"] else None
    return dict(out)


def rating_rates_by_agency_live(*, user, filters: dict | None = None) -> dict[int, dict]:
    """rating_rates_by_agency counted from the replies and ratings (the reference the tally is tested against).

    Each reply counts once per side with its latest rating of that side. Replies rated before ratings were
    kept (only `Response.satisfaction` set, by staff through the old form) count on the side their channel says,
    if they have no rating at all. Two aggregate queries (a province holds a million replies: none is loaded
    into Python): the latest ratings (plan: the ratings of the visible replies, each kept if no later rating of
    its side exists — an anti-join on the rating's reply), and the legacy replies (plan: `response_rated_idx`,
    the rated replies only, then the scope and an anti-join on the ratings).
    """
    own = Case(When(collected_by=CollectedBy.PROPOSER, then=Value("own")), default=Value("staff"))
    replies = Response.objects.visible_to(user).filter(**item_filter_lookups(filters))
    visible = replies.values("pk")
    later = (
        Rating.objects.annotate(side=own)
        .filter(response_id=OuterRef("response_id"), side=OuterRef("side"))
        .filter(Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")))
    )
    latest = (
        Rating.objects.filter(response_id__in=visible)
        .annotate(side=own)
        .filter(~Exists(later))
        .values("response__agency_id", "side")
        .annotate(rated=Count("pk"), ok=Count("pk", filter=Q(result__in=SATISFIED)))
        .order_by()
    )
    legacy_side = Case(When(satisfaction_channel=CollectedBy.PROPOSER, then=Value("own")), default=Value("staff"))
    legacy = (
        replies.exclude(satisfaction="")
        .filter(~Exists(Rating.objects.filter(response_id=OuterRef("pk"))))
        .values("agency_id", side=legacy_side)
        .annotate(rated=Count("pk"), ok=Count("pk", filter=Q(satisfaction__in=SATISFIED)))
        .order_by()
    )
    out: dict[int, dict] = defaultdict(lambda: {"own_rated": 0, "own_ok": 0, "staff_rated": 0, "staff_ok": 0})
    for rows, agency in ((latest, "response__agency_id"), (legacy, "agency_id")):
        for r in rows:
            row = out[r[agency]]
            row[f"{r['side']}_rated"] += r["rated"]
            row[f"{r['side']}_ok"] += r["ok"]
    legacy_rates = (
        replies.exclude(satisfaction="")
        .values("agency_id")
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)))
        .order_by()
    )
    for r in legacy_rates:
        out[r["agency_id"]].update(rated=r["rated"], satisfied=r["satisfied"])
    return _with_rates(out)


def rating_rounds(*, response_ids) -> dict[int, ReviewRound]:
    """Per reply: the latest submitted or verified round that reported on its commitments (two queries)."""
    latest: dict[int, ReviewRound] = {}
    items = list(
        ReviewItem.objects.filter(
            commitment__response_id__in=list(response_ids), round__state__in=[RoundState.SUBMITTED, RoundState.VERIFIED]
        )
        .order_by("round__opened_on", "round_id")
        .values_list("commitment__response_id", "round_id")
    )
    rounds = ReviewRound.objects.in_bulk({round_id for _, round_id in items})
    for response_id, round_id in items:
        latest[response_id] = rounds[round_id]
    return latest


def round_reports(*, commitment_ids, with_verified: bool = False) -> dict[int, list[ReviewItem]]:
    """Per commitment: what the agency reported on it in a submitted round that a supervisor has not yet verified
    (newest round first; one query). An accepted line is the commitment's progress already, a returned one puts its
    round back to open (the agency reports again), a line of an open round may still change: none is listed. The
    proposer's page shows these as 待督办核实 beside the second rating they open (session 19).

    `with_verified`: also the accepted lines of submitted and verified rounds (a line is verified when its verdict
    is accepted); the deputy's API lists both, each with `verified` (s19ui2). A round sent back to open shows none
    of its lines, accepted or not, until it is submitted again."""
    reports: dict[int, list[ReviewItem]] = defaultdict(list)
    states = [RoundState.SUBMITTED, RoundState.VERIFIED] if with_verified else [RoundState.SUBMITTED]
    lines = ReviewItem.objects.filter(commitment_id__in=list(commitment_ids), round__state__in=states).exclude(
        reported_state=""
    )
    if not with_verified:
        lines = lines.exclude(verdict=Verdict.ACCEPTED)
    for line in lines.select_related("round").order_by("-round__opened_on", "-round_id", "pk"):
        reports[line.commitment_id].append(line)
    return dict(reports)


def reply_reports(*, replies, rounds, with_verified: bool = False) -> dict[int, list[ReviewItem]]:
    """`round_reports` for the commitments of `replies` (their commitments prefetched), as the proposer's page and his
    API list them; none without a round to rate after (`rating_rounds`' answer for the same replies), so no query."""
    if not rounds:
        return {}
    ids = [c.pk for reply in replies for c in reply.commitments.all()]
    return round_reports(commitment_ids=ids, with_verified=with_verified)


def round_detail(*, user) -> QuerySet[ReviewRound]:
    """Rounds the user may see with their counts (as round_list: every agency's lines) and each line he may see
    (`round_lines`): commitment, agency, targets, who reported and verified; a fixed number of queries whatever the
    number of lines."""
    lines = (
        round_lines(user=user)
        .select_related("commitment__agency", "reported_by", "verified_by")
        .prefetch_related(Prefetch("commitment__targets", queryset=Target.objects.order_by("pk")))
    )
    return round_list(user=user).prefetch_related(
        Prefetch("items", queryset=lines.order_by("commitment__deadline", "pk"))
    )


def round_line(*, pk: int) -> ReviewItem:
    """One line as the round detail shows it (the caller has checked the round is visible)."""
    return (
        ReviewItem.objects.select_related("commitment__agency", "reported_by", "verified_by")
        .prefetch_related(Prefetch("commitment__targets", queryset=Target.objects.order_by("pk")))
        .get(pk=pk)
    )


def period_list(*, user) -> QuerySet[CommitmentPeriod]:
    """Periods of recurring duties whose commitment the user may see (proposers: their own items'), in order."""
    return (
        CommitmentPeriod.objects.filter(commitment__in=Commitment.objects.visible_to(user).values("pk"))
        .select_related("met_by", "commitment")
        .order_by("commitment_id", "number", "pk")
    )


def rating_list(*, user) -> QuerySet[Rating]:
    """Ratings of the replies the user may see (a proposer: his own items' replies), newest first."""
    return (
        Rating.objects.filter(response__in=Response.objects.visible_to(user).values("pk"))
        .select_related("proposer")
        .order_by("-created_at", "-pk")
    )
