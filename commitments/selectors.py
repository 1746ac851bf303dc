"""Reads for commitments: scoped, optimised querysets for lists and details (UI, API, exports, feeds)."""

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import Count, F, Field, IntegerField, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Greatest, Least, Trim, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from proposals import scoping
from proposals.choices import ProposalStatus
from proposals.models import Agency, Proposal
from responses.choices import Satisfaction
from responses.models import Response

from .choices import CLOSED_STATUSES, ChangeState, CommitmentStatus
from .models import (
    ChangeRequest,
    Commitment,
    CommitmentTally,
    OpenDeadlineTally,
    ProgressUpdate,
    ResponsibilityTally,
    TallyPivot,
    Target,
)


def commitment_list(*, user, lead_agency_id: int | None = None, for_page: bool = False) -> QuerySet[Commitment]:
    """Commitments the user may see, with what a list row shows loaded in a fixed number of queries.

    With `lead_agency_id` (a list limited to one primary agency) that is one of the user's own agencies, the
    agency itself is the scope: visible_to admits every commitment an agency of the clerk leads. Dropping the
    broader scope clause there lets PostgreSQL count from the (agency, status, deadline) index alone.
    `for_page`: the bare scoped queryset, for commitment_page (which reads plain rows, not instances).
    """
    if lead_agency_id is not None and lead_agency_id in scoping.agency_ids(user):
        base = Commitment.objects.filter(agency_id=lead_agency_id)
    else:
        base = Commitment.objects.visible_to(user)
    if for_page:
        return base
    return base.select_related("agency", "proposal__session").prefetch_related(
        Prefetch("agencies", queryset=Agency.objects.only("id", "name", "short_name")), "targets"
    )


PAGE_COLUMNS = (
    "id",
    "text",
    "status",
    "strength",
    "deadline",
    "deadline_text",
    "precision",
    "is_vague",
    "recurrence",
    "agency_id",
    "agency__name",
    "agency_names",
    "proposal_id",
    "proposal__session_id",
    "response_id",
    "document_id",
    "section",
    "section_kind",
    "start",
    "end",
    "owner_id",
    "closed_on",
    "created_at",
    "updated_at",
)


class _CountOf(Subquery):
    """The number of rows of a queryset, as a scalar subquery (PostgreSQL evaluates it once, as an InitPlan)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS _rows)"
    output_field = IntegerField()


class _SumOf(Subquery):
    """The sum of a queryset's one column (0 for no rows), as a scalar subquery."""

    template = "(SELECT coalesce(sum(_rows.n), 0) FROM (%(subquery)s) AS _rows(n))"
    output_field = IntegerField()


# Correlated on the outer query's own table name (the alias Django gives the base table of a top-level query).
# Plain SQL rather than ORM subqueries: building and compiling those cost more than running them, per request.
_PAGE_AGENCIES = """
    SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name, a.id)
      FROM commitments_commitment_agencies ca JOIN proposals_agency a ON a.id = ca.agency_id
     WHERE ca.commitment_id = commitments_commitment.id"""
# Decimals as text: a JSON number would come back as a float and lose digits.
_PAGE_TARGETS = """
    SELECT json_agg(json_build_object('id', t.id, 'text', t.text, 'value', t.value::text, 'unit', t.unit,
                                      'actual_value', t.actual_value::text,
                                      'actual_recorded_on', t.actual_recorded_on, 'actual_note', t.actual_note)
                    ORDER BY t.id)
      FROM commitments_target t WHERE t.commitment_id = commitments_commitment.id"""


# The page query counts its list up to this many rows (an index-only scan stopped by LIMIT: ~0.1 ms); a longer list's
# exact total comes from `count_beyond` (the tallies, list_count), a second query only for such lists.
PAGE_COUNT_BOUND = 2_000


def undated_last(queryset: QuerySet[Commitment]) -> bool:
    """Whether the list is sorted by deadline, latest first: PostgreSQL's descending order puts the commitments
    without a deadline first, and the list pages put them last instead (UndatedLast, undated_last_page)."""
    order = queryset.query.order_by
    return bool(order) and order[0] == "-deadline"


def undated_last_page(fetch, count_dated: Callable[[int], int], *, offset: int, limit: int, join):
    """One page of a list sorted by `-deadline` whose undated rows come after the dated ones, as the API's lists
    write it (the dashboard's is UndatedLast): the dated rows in the list's order, then the undated ones.

    `fetch(dated, offset, limit, counted) -> (page, n, total)` reads `n` rows of one part from `offset`, with the
    whole list's bounded total when `counted` (else None); `count_dated(at_most)` the number of dated rows, at most
    `at_most`; `join(a, b)` one page of two. Each part is an ordered index scan stopped by its LIMIT, as the
    single-part page is (commitment_deadline_idx, commitment_agency_deadline_idx walked backward): an ORDER BY
    deadline DESC NULLS LAST would sort the whole scope, no index having that order. A page within the dated rows
    is one query as before; one that reaches the undated rows costs one more (two when it starts past the dated
    ones: their number). Returns (page, n, total); total None when neither part has a row."""
    page, n, total = fetch(True, offset, limit, True)
    if n >= limit:
        return page, n, total
    dated = offset + n if n else (count_dated(offset) if offset else 0)
    more, m, more_total = fetch(False, max(0, offset - dated), limit - n, not n)
    if not m:
        return page, n, total
    if not n:
        return more, m, more_total
    return join(page, more), n + m, total


def _page_rows(queryset: QuerySet[Commitment], fetch, *, offset: int, limit: int) -> tuple[list[dict], int | None]:
    """One page's rows and the total `fetch(part, offset, limit, counted) -> (rows, n, total)` gives: of the whole
    list, or, sorted by `-deadline`, of its dated then its undated part (undated_last_page)."""
    if not undated_last(queryset):
        rows, _, total = fetch(queryset, offset, limit, True)
        return rows, total
    rows, _, total = undated_last_page(
        lambda dated, o, n, t: fetch(queryset.filter(deadline__isnull=not dated), o, n, t),
        lambda at_most: queryset.filter(deadline__isnull=False).order_by().values("pk")[:at_most].count(),
        offset=offset,
        limit=limit,
        join=lambda a, b: a + b,
    )
    return rows, total


def commitment_page(
    queryset: QuerySet[Commitment],
    *,
    offset: int,
    limit: int,
    count_beyond: Callable[[], int | None] | None = None,
    bound: int = PAGE_COUNT_BOUND,
) -> tuple[list[dict], int | None]:
    """One page of a scoped, filtered and ordered commitment list, and the list's total, in ONE query.

    Rows are plain dicts (PAGE_COLUMNS plus `agency_list` and `target_list`, lists of dicts aggregated as JSON
    by correlated subqueries): no model instances and no prefetch round-trips, which cost more than the
    database for a page of 50. The total rides on every row; it is None when a page past the first is empty.

    With `count_beyond`, the query counts at most `bound` + 1 rows, and only a list longer than `bound` asks
    `count_beyond()` for its size (None: counted by a second query). A typical agency's list (hundreds of rows)
    is one round trip; the largest (tens of thousands overdue at 5M) reads its total from the tallies instead of
    counting it (measured in benchmarks/bench_api.py).

    Sorted by `-deadline`, the undated commitments come after the dated ones (undated_last_page).
    """
    if connection.vendor != "postgresql":
        return _commitment_page_portable(queryset, offset=offset, limit=limit, count_beyond=count_beyond, bound=bound)
    counted = queryset.order_by().values("pk")
    total_of = _CountOf(counted if count_beyond is None else counted[: bound + 1])

    def fetch(part: QuerySet[Commitment], offset: int, limit: int, with_total: bool):
        rows = list(
            part.prefetch_related(None).values(  # values() drops select_related itself
                *PAGE_COLUMNS,
                **({"total": total_of} if with_total else {}),
                # A plain Field: psycopg already decodes `json` values, JSONField would decode them twice.
                agency_list=RawSQL(_PAGE_AGENCIES, (), output_field=Field()),
                target_list=RawSQL(_PAGE_TARGETS, (), output_field=Field()),
            )[offset : offset + limit]
        )
        return rows, len(rows), (rows[0]["total"] if rows and with_total else None)

    rows, total = _page_rows(queryset, fetch, offset=offset, limit=limit)
    for row in rows:
        row["total"] = total
    if not rows:
        return rows, (0 if offset == 0 else None)
    assert total is not None  # a page with rows carries the list's total
    if count_beyond is not None and total > bound:
        known = count_beyond()
        total = known if known is not None else queryset.order_by().count()
    return rows, total


def _commitment_page_portable(
    queryset: QuerySet[Commitment],
    *,
    offset: int,
    limit: int,
    count_beyond: Callable[[], int | None] | None = None,
    bound: int = PAGE_COUNT_BOUND,
):
    """commitment_page for databases without json_agg (SQLite, the `make run` default): same rows, three queries."""

    def fetch(part: QuerySet[Commitment], offset: int, limit: int, with_total: bool):
        rows = list(part.prefetch_related(None).values(*PAGE_COLUMNS)[offset : offset + limit])
        return rows, len(rows), None

    rows = _page_rows(queryset, fetch, offset=offset, limit=limit)[0]
    if not rows and offset:
        total = None
    else:
        total = queryset.order_by().count()
    ids = [row["id"] for row in rows]
    agencies: dict[int, list[dict]] = {}
    links = Commitment.agencies.through.objects.filter(commitment_id__in=ids).order_by("agency__name", "agency_id")
    for link in links.values("commitment_id", "agency_id", "agency__name"):
        agencies.setdefault(link["commitment_id"], []).append({"id": link["agency_id"], "name": link["agency__name"]})
    targets: dict[int, list[dict]] = {}
    for t in Target.objects.filter(commitment_id__in=ids).order_by("id").values():
        targets.setdefault(t["commitment_id"], []).append(
            {
                "id": t["id"],
                "text": t["text"],
                "value": str(t["value"]),
                "unit": t["unit"],
                "actual_value": None if t["actual_value"] is None else str(t["actual_value"]),
                "actual_recorded_on": t["actual_recorded_on"] and t["actual_recorded_on"].isoformat(),
                "actual_note": t["actual_note"],
            }
        )
    for row in rows:
        # json_agg over no rows is NULL: keep the same shape as the PostgreSQL path.
        row["total"] = total
        row["agency_list"] = agencies.get(row["id"])
        row["target_list"] = targets.get(row["id"])
    return rows, total


def commitment_detail_queryset(*, user) -> QuerySet[Commitment]:
    """Commitments the user may see, with targets, progress and change requests for a detail page."""
    return commitment_list(user=user).prefetch_related(
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
        Prefetch("change_requests", queryset=ChangeRequest.objects.select_related("requested_by", "decided_by")),
    )


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    """Change requests on commitments the user may see, newest first."""
    return (
        ChangeRequest.objects.filter(commitment__in=Commitment.objects.visible_to(user))
        .select_related("commitment", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


# ------------------------------------------------------------------------------------------ supervisor's inbox


def _decidable(user) -> Q:
    """Commitments whose requests and closures the user decides: their bodies' items, and those without an item."""
    if scoping.sees_everything(user):
        return Q()
    return Q(proposal__session__body_id__in=scoping.body_ids(user)) | Q(proposal__isnull=True)


def inbox_querysets(*, user) -> dict[str, QuerySet]:
    """What waits for a supervisor: pending extension/withdrawal requests, clerks' closures to verify, 不满意 items."""
    if not scoping.is_supervisor(user):
        return {}
    scope = _decidable(user)
    decidable = Commitment.objects.visible_to(user).filter(scope)
    return {
        "requests": ChangeRequest.objects.filter(state=ChangeState.PENDING, commitment__in=decidable)
        .select_related("commitment", "requested_by")
        .order_by("requested_at", "pk"),
        "closures": decidable.filter(status__in=CLOSED_STATUSES, closure_verified_at__isnull=True)
        .select_related("agency")
        .order_by("closed_on", "pk"),
        "unsatisfied": Response.objects.visible_to(user)
        .filter(satisfaction=Satisfaction.UNSATISFIED, proposal__status=ProposalStatus.REHANDLING)
        .filter(Q(proposal__session__body_id__in=scoping.body_ids(user)) | Q(pk__isnull=scoping.sees_everything(user)))
        .select_related("proposal", "agency")
        .order_by("satisfaction_recorded_at", "pk"),
    }


# The header's badge says "99+" past this. It was 999 until session 6: counting up to 1,000 closures to verify cost
# 20-25 ms of every supervisor page at 5M (a nested loop over 2,000 closed commitments to their items' bodies), more
# than the dashboard's own counts; 100 cost ~2 ms. Nobody reads a badge of 999 differently from one of 99+.
INBOX_BOUND = 99


def inbox_count(*, user, bound: int | None = INBOX_BOUND) -> int:
    """How many items wait in the supervisor's inbox (the header's count): one COUNT over a UNION ALL.

    Counts at most `bound` + 1 per list (a LIMIT inside the count; the header shows "99+"): at 5,000,000 commitments
    a freshly loaded province may hold millions of closures not yet verified, and this runs on every page.
    One bounded COUNT per list: under a UNION ALL with the LIMIT above it, PostgreSQL planned each list for all
    its rows (a parallel hash join of every item, ~100 ms at 5M); each with its own LIMIT, the closures to verify
    are a nested loop stopped after `bound` + 1 rows.
    """
    parts = [q.order_by().values_list("pk") for q in inbox_querysets(user=user).values()]
    if not parts:
        return 0
    if bound is not None:
        parts = [part[: bound + 1] for part in parts]
    # One query: SELECT (SELECT count(*) FROM (… LIMIT n)) + (…) + (…).
    compiled = [part.query.sql_with_params() for part in parts]
    sql = " + ".join(f"(SELECT count(*) FROM ({q}) AS _p{i})" for i, (q, _) in enumerate(compiled))
    with connection.cursor() as cur:
        cur.execute("SELECT " + sql, [p for _, params in compiled for p in params])
        total = cur.fetchone()[0]
    return total if bound is None else min(bound + 1, total)


# ------------------------------------------------------------------------------------------ dashboard (web UI)


# The agency table's and the dashboard's filters, on commitments and on their tally (None: the tally lacks it).
_LIVE_FILTERS = {
    "body": "proposal__session__body_id",
    "session": "proposal__session_id",
    "kind": "proposal__kind",
    "is_key": "proposal__is_key",
}
_TALLY_FILTERS: dict[str, str | None] = {
    "body": "session__body_id",
    "session": "session_id",
    "kind": None,
    "is_key": None,
}


def item_filter_lookups(filters: dict | None) -> dict:
    """The per-agency page's filters (body, session, kind, is_key) as lookups on a commitment or a reply: both reach
    their item by `proposal`, so the 满意率 beside the counts is of the same items (session 20: it was the whole scope's)."""
    return {_LIVE_FILTERS[k]: v for k, v in (filters or {}).items()}


def tally_filter_lookups(filters: dict | None) -> dict | None:
    """The same filters on a tally keyed by session (CommitmentTally, OpenDeadlineTally, followup's
    ReplyRatingTally), or None when one of them is a property of the item the tally does not hold."""
    lookups: dict[str, object] = {}
    for key, value in (filters or {}).items():
        lookup = _TALLY_FILTERS[key]
        if lookup is None:
            return None
        lookups[lookup] = value
    return lookups


def _scoped(user, filters: dict | None) -> QuerySet[Commitment]:
    """Live: the user's commitments with the page's filters."""
    return Commitment.objects.visible_to(user).filter(**item_filter_lookups(filters)).order_by()


def _tally(user, filters: dict | None, model=CommitmentTally) -> QuerySet | None:
    """The user's scope on a tally (CommitmentTally or OpenDeadlineTally), or None where it cannot say it exactly
    (counted live instead).

    Exact for those who see everything and for supervisors (their scope is the item's body, or no item: the tally's
    session). Not for clerks (their scope includes commitments another agency leads: `_responsibility`), proposers
    and mixed roles, the `kind`/`is_key` filters (properties of the item), and SQLite (no triggers).
    """
    if connection.vendor != "postgresql":
        return None
    lookups = tally_filter_lookups(filters)
    if lookups is None:
        return None
    rows = model.objects.filter(**lookups).order_by()
    if scoping.sees_everything(user):
        return rows
    if scoping.agency_ids(user) or scoping.proposer_ids(user) or not scoping.body_ids(user):
        return None
    return rows.filter(Q(session__body_id__in=scoping.body_ids(user)) | Q(session__isnull=True))


def _responsibility(user) -> QuerySet | None:
    """A clerk's scope on ResponsibilityTally: the rows of their one agency; None where that is not the scope exactly
    (counted live instead).

    A clerk of one agency sees exactly the commitments linked to it (the lead agency is one of the links). Not for
    a clerk of several agencies (a commitment linked to two of them would count twice), a clerk who is also a
    supervisor or a proposer (their scope is wider), and SQLite (no triggers).
    """
    if connection.vendor != "postgresql" or scoping.sees_everything(user):
        return None
    agencies = scoping.agency_ids(user)
    if len(agencies) != 1 or scoping.body_ids(user) or scoping.proposer_ids(user):
        return None
    return ResponsibilityTally.objects.filter(agency_id=agencies[0]).order_by()


def _pivot() -> dt.date | None:
    return TallyPivot.objects.values_list("day", flat=True).first()


def _pivot_gap(pivot: dt.date, today: dt.date) -> tuple[int, Q]:
    """CommitmentTally.overdue counts "deadline < pivot"; overdue today is that plus `sign` × the open commitments
    matching the returned condition (due in the days between the pivot and today: none once the beat moved it)."""
    if today >= pivot:
        return 1, Q(deadline__gte=pivot, deadline__lt=today)
    return -1, Q(deadline__gte=today, deadline__lt=pivot)


def _open_days(days: QuerySet, **ranges: Q):
    """Sums of OpenDeadlineTally.n per named condition, in one query.

    Plan at 5M (58,408 rows: one per session and deadline day), for the days a caller filters `days` to: Bitmap
    Index Scan of `open_deadline_tally_day_idx` (the 91 days ahead: ~1,800 rows), Hash Left Join to the 20 sessions
    for the body, Aggregate — about 1 ms; no commitment is read.
    """
    return {k: v or 0 for k, v in days.aggregate(**{k: Sum("n", filter=q) for k, q in ranges.items()}).items()}


def dashboard_counts(*, user, today: dt.date) -> dict[str, int]:
    """Overdue, due within 30 and 90 days, and open commitments in the user's scope.

    Supervisors and those who see everything: from the tallies, two queries that read no commitment (plans at 5M:
    Seq Scan of CommitmentTally's 8,000 open rows, Hash Left Join to the sessions for the body, Aggregate — 2 ms;
    OpenDeadlineTally's days from the pivot or today to the 90th day ahead, `_open_days` — 1 ms). A clerk of one
    agency: one sum over ResponsibilityTally (below). Others: one aggregate query over their scope (plan for a
    clerk of several agencies: the semi-join of `visible_to`).
    """
    links = _responsibility(user)
    if links is not None:
        # Bitmap Index Scan of the tally's key (agency, status, deadline) for the agency's open rows — one per
        # deadline day, 2,922 for the largest agency at 5M — and an Aggregate: 1.5 ms; no commitment is read.
        return links.filter(status=CommitmentStatus.OPEN).aggregate(
            overdue=Sum("n", filter=Q(deadline__lt=today), default=0),
            due30=Sum("n", filter=Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=30)), default=0),
            due90=Sum("n", filter=Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=90)), default=0),
            open=Sum("n", default=0),
        )
    tally, days = _tally(user, None), _tally(user, None, OpenDeadlineTally)
    if tally is None or days is None:
        return dashboard_counts_live(user=user, today=today)
    open_ = tally.filter(status=CommitmentStatus.OPEN).aggregate(
        open=Sum("n", default=0), flagged=Sum("n", filter=Q(overdue=True), default=0)
    )
    # The pivot read inside the query (no row: every `overdue` flag is false, as if the pivot were day one).
    pivot = Coalesce(Subquery(TallyPivot.objects.values("day")[:1]), Value(dt.date.min))
    ahead = _open_days(
        days.filter(
            deadline__gte=Least(pivot, Value(today)),
            deadline__lte=Greatest(pivot, Value(today + dt.timedelta(days=90))),
        ),
        since_pivot=Q(deadline__gte=pivot, deadline__lt=today),
        before_pivot=Q(deadline__gte=today, deadline__lt=pivot),
        due30=Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=30)),
        due90=Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=90)),
    )
    return {
        "overdue": open_["flagged"] + ahead["since_pivot"] - ahead["before_pivot"],
        "due30": ahead["due30"],
        "due90": ahead["due90"],
        "open": open_["open"],
    }


# The dashboard list's filters the tallies hold, beside the tab's (status, overdue, due_within) and the ordering.
_LIST_TALLY_FILTERS = {"body", "session", "agency"}


def list_count(*, user, today: dt.date, cleaned: dict) -> int | None:
    """How many commitments a dashboard list holds, from the tallies, when they hold its filters (`cleaned`: the
    CommitmentFilterSet's cleaned data); None otherwise (the list counts itself, bounded).

    The same queries as dashboard_counts: CommitmentTally for the tabs 已逾期 / 全部进行中 / 全部 (and the primary agency
    filter), OpenDeadlineTally for 30/90 天内到期 (without an agency: that tally has none); for a clerk of one agency,
    ResponsibilityTally for every tab without other filters, CommitmentTally with their own agency as the primary one.
    """
    given = {k: v for k, v in cleaned.items() if v not in (None, "", []) and k != "ordering"}
    tab = {k: given.pop(k) for k in ("status", "overdue", "due_within") if k in given}
    if set(given) - _LIST_TALLY_FILTERS or tab.get("overdue") is False:
        return None
    statuses = tab.get("status")
    agency = given.pop("agency", None)
    links = _responsibility(user)
    if links is None:
        tally, scoped = _tally(user, given), _scoped(user, given)
    elif given or agency not in (None, *scoping.agency_ids(user)):
        return None  # body, session, or led by another agency: no tally holds them with the clerk's scope
    elif agency is None:
        if statuses:
            links = links.filter(status__in=statuses)
        if tab.get("overdue"):
            links = links.filter(status=CommitmentStatus.OPEN, deadline__lt=today)
        if "due_within" in tab:
            end = today + dt.timedelta(days=int(tab["due_within"]))
            links = links.filter(status=CommitmentStatus.OPEN, deadline__gte=today, deadline__lte=end)
        return links.aggregate(n=Sum("n", default=0))["n"]
    else:
        # Led by the clerk's own agency: the scope takes nothing away (the lead is one of the links), so these are
        # the agency's rows of CommitmentTally, as for those who see everything.
        tally, scoped = CommitmentTally.objects.order_by(), Commitment.objects.order_by()
    if tally is None:
        return None
    if agency is not None:
        tally = tally.filter(agency_id=agency)
    if "due_within" in tab:
        days = _tally(user, given, OpenDeadlineTally)
        if agency is not None or tab.get("overdue") or days is None or statuses not in (None, [CommitmentStatus.OPEN]):
            return None
        window = Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=int(tab["due_within"])))
        return _open_days(days.filter(window), n=Q())["n"]
    if statuses:
        tally = tally.filter(status__in=statuses)
    if not tab.get("overdue"):
        return tally.aggregate(n=Sum("n", default=0))["n"]
    # The pivot and the flagged rows' sum in one query (none when there is no pivot yet).
    flagged_on = TallyPivot.objects.values_list("day", _SumOf(tally.filter(overdue=True).values("n"))).first()
    if flagged_on is None:
        return None
    pivot, flagged = flagged_on
    if pivot == today or (statuses and CommitmentStatus.OPEN not in statuses):
        return flagged
    sign, gap = _pivot_gap(pivot, today)
    live = scoped.filter(gap, status=CommitmentStatus.OPEN)
    return flagged + sign * (live.filter(agency_id=agency) if agency is not None else live).count()


def dashboard_counts_live(*, user, today: dt.date) -> dict[str, int]:
    """dashboard_counts by one aggregate query over the commitments (the reference the tally is tested against)."""
    is_open = Q(status=CommitmentStatus.OPEN)
    return Commitment.objects.visible_to(user).aggregate(
        overdue=Count("pk", filter=is_open & Q(deadline__lt=today)),
        due30=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=30))),
        due90=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=90))),
        open=Count("pk", filter=is_open),
    )


_PERFORMANCE_COLUMNS = ("total", "open", "overdue", "on_time", "late", "partly", "missed")


def agency_performance(*, user, today: dt.date, filters: dict | None = None, rated: dict | None = None) -> list[dict]:
    """Per primary agency: open, overdue, fulfilled on time / late, missed, the on-time rate (办成率) and 满意率.

    `filters`: the per-agency page's body, session, kind and is_key. From CommitmentTally where it covers the
    user's scope and filters — one GROUP BY over the tally (plan at 5M: Seq Scan of its 12,000 rows, Hash Left Join
    to the sessions for the body and to the agencies' names, HashAggregate — 3–7 ms), plus, only until the beat
    has moved the pivot to today, a live count of the open commitments due between the two — otherwise two
    aggregate queries over the commitments. 办成率 = fulfilled on time ÷ commitments whose outcome is due
    (fulfilled, partly fulfilled, missed, or open past the deadline); withdrawn ones do not count.
    满意率 = (满意 + 基本满意) ÷ rated replies of the agency: `rated` (agency id → {"rated", "satisfied"}) when the
    caller has counted them (followup's ReplyRatingTally), otherwise one aggregate over the visible replies.
    """
    tally, pivot = _tally(user, filters), _pivot()
    if tally is None or pivot is None:
        rows = agency_performance_rows_live(user=user, today=today, filters=filters)
    else:
        S = CommitmentStatus
        rows = [
            r
            for r in tally.values("agency_id", "agency__name").annotate(
                total=Sum("n"),
                open=Sum("n", filter=Q(status=S.OPEN), default=0),
                overdue=Sum("n", filter=Q(overdue=True), default=0),
                on_time=Sum("n", filter=Q(on_time=True), default=0),
                late=Sum("n", filter=Q(late=True), default=0),
                partly=Sum("n", filter=Q(status=S.PARTLY_FULFILLED), default=0),
                missed=Sum("n", filter=Q(status=S.MISSED), default=0),
            )
            if r["total"]
        ]
        if pivot != today:
            # Plan: Index Scan of commitment_status_deadline_idx over the days between the pivot and today, Nested
            # Loop to the items for the body (one day at 5M: 1,434 rows, 10 ms).
            sign, gap = _pivot_gap(pivot, today)
            live = _scoped(user, filters).filter(gap, status=S.OPEN)
            recent = {r["agency_id"]: r["n"] for r in live.values("agency_id").annotate(n=Count("pk")).order_by()}
            for row in rows:
                row["overdue"] += sign * recent.get(row["agency_id"], 0)
        rows.sort(key=lambda r: (-r["overdue"], -r["open"], r["agency__name"] or ""))
    return _performance_rates(user, rows, rated, filters)


def agency_performance_rows_live(*, user, today: dt.date, filters: dict | None = None) -> list[dict]:
    """agency_performance's counts by one GROUP BY over the commitments (the reference for the tally)."""
    S = CommitmentStatus
    on_time = Q(status=S.FULFILLED) & (Q(deadline__isnull=True) | Q(closed_on__lte=F("deadline")))
    # Every commitment in scope is in exactly one row, so the rows add up to the dashboard's counts; those with no
    # responsible agency (news and reports that name none) form their own row instead of vanishing.
    return list(
        _scoped(user, filters)
        .values("agency_id", "agency__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status=S.OPEN)),
            overdue=Count("pk", filter=Q(status=S.OPEN, deadline__lt=today)),
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=Q(status=S.FULFILLED, closed_on__gt=F("deadline"))),
            partly=Count("pk", filter=Q(status=S.PARTLY_FULFILLED)),
            missed=Count("pk", filter=Q(status=S.MISSED)),
        )
        .order_by("-overdue", "-open", "agency__name")
    )


def _performance_rates(user, rows: list[dict], rated: dict | None = None, filters: dict | None = None) -> list[dict]:
    if rated is None:
        rated = {
            r["agency_id"]: r
            for r in Response.objects.visible_to(user)
            .filter(**item_filter_lookups(filters))
            .exclude(satisfaction="")
            .values("agency_id")
            .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basically"])))
            .order_by()
        }
    for row in rows:
        if row["agency_id"] is None:
            row["agency__name"] = gettext("（未指定责任单位）")
        due = row["on_time"] + row["late"] + row["partly"] + row["missed"] + row["overdue"]
        row["due"] = due
        row["on_time_rate"] = row["on_time"] / due if due else None
        sat = rated.get(row["agency_id"])
        row["rated"] = sat["rated"] if sat else 0
        row["satisfaction_rate"] = sat["satisfied"] / sat["rated"] if sat and sat["rated"] else None
    return rows


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def deadlines_by_month(
    *, user, today: dt.date, months: int = 12, filters: dict | None = None
) -> list[tuple[dt.date, int]]:
    """Open commitments falling due in each of the next `months` calendar months (overdue ones excluded).

    From OpenDeadlineTally where it covers the scope (plan at 5M: Bitmap Index Scan of `open_deadline_tally_day_idx`
    over the 12 months, 7,220 rows, Hash Left Join to the sessions for the body, HashAggregate by month — 3 ms),
    otherwise one GROUP BY over the commitments.
    """
    first = today.replace(day=1)
    year, month = divmod(first.month - 1 + months, 12)
    end = dt.date(first.year + year, month + 1, 1)
    days = _tally(user, filters, OpenDeadlineTally)
    if days is not None:
        rows = days.filter(deadline__gte=today, deadline__lt=end).annotate(month=TruncMonth("deadline"))
        counts = {r["month"]: r["n"] for r in rows.values("month").annotate(n=Sum("n")).order_by()}
    else:
        counts = {
            row["month"]: row["n"]
            for row in _scoped(user, filters)
            .filter(status=CommitmentStatus.OPEN, deadline__gte=today, deadline__lt=end)
            .annotate(month=TruncMonth("deadline"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        }
    out, cursor = [], first
    for _ in range(months):
        out.append((cursor, counts.get(cursor, 0)))
        cursor = _next_month(cursor)
    return out


def commitment_timeline(*, commitment: Commitment) -> list[dict]:
    """History (status and deadline changes), progress updates and change requests, newest first.

    Expects `progress_updates` and `change_requests` prefetched (commitment_detail_queryset); history is one query.
    """
    events: list[dict] = []
    previous = None
    for record in commitment.history.select_related("history_user").order_by("history_date", "history_id"):
        changes = []
        if previous is None:
            changes.append(("created", None, record.status))
        else:
            # Status changes appear through their progress update, which carries the evidence.
            if record.deadline != previous.deadline:
                changes.append(("deadline", previous.deadline, record.deadline))
        if changes:
            events.append(
                {
                    "kind": "history",
                    "at": record.history_date,
                    "user": record.history_user,
                    "reason": record.history_change_reason or "",
                    "changes": changes,
                }
            )
        previous = record
    for update in commitment.progress_updates.all():
        events.append({"kind": "progress", "at": update.created_at, "user": update.author, "item": update})
    for request in commitment.change_requests.all():
        events.append({"kind": "request", "at": request.requested_at, "user": request.requested_by, "item": request})
        if request.decided_at:
            events.append({"kind": "decision", "at": request.decided_at, "user": request.decided_by, "item": request})
    events.sort(key=lambda e: e["at"], reverse=True)
    return events


EXPORT_FIELDS = (
    "pk",
    "text",
    "deadline",
    "deadline_text",
    "precision",
    "strength",
    "status",
    "agency__name",
    "proposal_id",
    "proposal__number",
    "proposal__title",
    "proposal__session__name",
    "proposal__is_key",
)


class UndatedLast:
    """A list sorted by deadline, latest first (`-deadline`), with the commitments without a deadline after the dated
    ones — where “期限由近到远” (PostgreSQL's ascending order) already puts them. PostgreSQL's descending order puts
    NULLs first, so “期限由远到近” opened on the undated ones (session 17's walk-through).

    Two queries in the list's own order, the dated ones then the undated ones, each an ordered index scan stopped
    by the page's LIMIT as before (commitment_deadline_idx, commitment_agency_deadline_idx walked backward): an ORDER
    BY deadline DESC NULLS LAST would need an index of its own for each of those orders, or PostgreSQL sorts the
    whole scope (13 s for a supervisor's 全部 at 5,000,000 commitments before those indexes, docs/deployment.md).

    What the paginator and the export ask of a queryset: a slice (a page), `order_by()` (the bounded count) and
    `parts()` (the export's rows, in order)."""

    def __init__(self, queryset: QuerySet[Commitment]):
        self.queryset = queryset
        self.dated = queryset.filter(deadline__isnull=False)
        self.undated = queryset.filter(deadline__isnull=True)

    def order_by(self, *fields) -> QuerySet[Commitment]:
        return self.queryset.order_by(*fields)

    def count(self) -> int:
        return self.queryset.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def parts(self) -> tuple[QuerySet[Commitment], QuerySet[Commitment]]:
        return self.dated, self.undated

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        if stop is None:  # to the end: every dated row from `start`, then every undated one
            rows = list(self.dated[start:])
            dated = start + len(rows) if rows else self.dated.order_by()[:start].count()
            return rows + list(self.undated[max(0, start - dated) :])

        def fetch(dated: bool, offset: int, limit: int, _counted: bool):
            rows = list((self.dated if dated else self.undated)[offset : offset + limit])
            return rows, len(rows), None

        return undated_last_page(
            fetch,
            lambda at_most: self.dated.order_by()[:at_most].count(),
            offset=start,
            limit=stop - start,
            join=lambda a, b: a + b,
        )[0]


def commitment_export_rows(queryset: QuerySet[Commitment], *, chunk: int = 2000):
    """Rows of an already scoped and filtered list as plain dicts, with responsible agencies and targets.

    Plain values instead of model instances and prefetches: four queries per `chunk` rows and no per-row
    ORM work, so an export of thousands of rows stays well under a second.
    """
    from proposals.models import ProposalProposer

    from .models import Target

    through = Commitment.agencies.through
    rows = queryset.prefetch_related(None).values(*EXPORT_FIELDS).iterator(chunk_size=chunk)
    batch: list[dict] = []

    def flush(batch):
        ids = [r["pk"] for r in batch]
        names: dict[int, list[str]] = {}
        for cid, name in (
            through.objects.filter(commitment_id__in=ids).order_by("pk").values_list("commitment_id", "agency__name")
        ):
            names.setdefault(cid, []).append(name)
        targets: dict[int, list[tuple]] = {}
        for cid, text, value, unit in (
            Target.objects.filter(commitment_id__in=ids)
            .order_by("pk")
            .values_list("commitment_id", "text", "value", "unit")
        ):
            targets.setdefault(cid, []).append((text, value, unit))
        proposers: dict[int, list[str]] = {}
        for pid, name in (
            ProposalProposer.objects.filter(proposal_id__in={r["proposal_id"] for r in batch if r["proposal_id"]})
            .order_by("proposal_id", "position", "pk")
            .values_list("proposal_id", "proposer__name")
        ):
            proposers.setdefault(pid, []).append(name)
        for r in batch:
            r["agency_names"] = names.get(r["pk"], [])
            r["targets"] = targets.get(r["pk"], [])
            r["proposers"] = proposers.get(r["proposal_id"], [])
            yield r

    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def evidence_with_file(*, user, pk: int, commitment_id: int | None = None) -> ProgressUpdate:
    """A progress update with an evidence file on a commitment `user` may see; 404 otherwise."""
    updates = ProgressUpdate.objects.filter(commitment__in=Commitment.objects.visible_to(user)).exclude(
        evidence_file=""
    )
    if commitment_id is not None:
        updates = updates.filter(commitment_id=commitment_id)
    return get_object_or_404(updates, pk=pk)


# ------------------------------------------------------------------------------------- replies awaiting their item

REPLIES_TO_LINK_SCANNED = 200  # the newest unlinked replies naming a number (one of the items') that are looked at


def replies_to_link(
    *, user, limit: int = 20, items: Sequence[Proposal] | None = None
) -> list[tuple[Response, Proposal]]:
    """Replies saved without an item whose letter names an item the user now sees, with that item:
    `reply_logging.letter_item`'s matching (the letter's session, with the reply's agency as context, and its
    number) for many replies in five queries however many there are (six when a letter's agency is named only
    by an alias). It reads the letter's stored metadata (whatever pipeline stored it: nothing is extracted again
    on a page); the link itself (`reply_link_item`) checks again with the current extraction.

    Without `items` (the home page): the replies of the user's own agencies (a clerk's); only the newest
    `REPLIES_TO_LINK_SCANNED` unlinked replies naming a number are looked at. With `items` (an import's result
    page, session 15): the unlinked replies the user may link (`scoping.may_act_for_agency`: a supervisor, any
    visible one) whose letter names one of those items' numbers, kept only when the item matched is one of
    them. Newest first, at most `limit`."""
    from responses.extraction.storage import metadata_from_json

    from .reply_logging import letters_items

    replies = Response.objects.visible_to(user).filter(proposal__isnull=True)
    wanted: set[int] | None = None
    if items is None:
        agencies = scoping.agency_ids(user)
        if not agencies:
            return []
        replies = replies.filter(agency_id__in=agencies)
    else:
        wanted = {item.pk for item in items}
        numbers = {item.number for item in items}
        if not numbers:
            return []
        if not (scoping.sees_everything(user) or scoping.body_ids(user)):
            replies = replies.filter(agency_id__in=scoping.agency_ids(user))
    replies = replies.annotate(
        letter_meta=KeyTransform("metadata", "document__extraction_detail"),
        letter_number=Trim(
            KeyTextTransform("proposal_number", KeyTransform("metadata", "document__extraction_detail"))
        ),
    )
    if wanted is None:
        replies = replies.exclude(letter_number__isnull=True).exclude(letter_number="")
    else:
        replies = replies.filter(letter_number__in=numbers)
    candidates = list(replies.select_related("agency").order_by("-pk")[:REPLIES_TO_LINK_SCANNED])
    named = []
    for reply in candidates:
        try:
            named.append((reply, metadata_from_json(reply.letter_meta or {})))
        except (TypeError, ValueError, KeyError):  # a stored shape this code no longer reads
            continue
    matched = letters_items(named, user=user)
    out = []
    for reply in candidates:
        item = matched.get(reply.pk)
        if item is not None and (wanted is None or item.pk in wanted):
            out.append((reply, item))
            if len(out) == limit:
                break
    return out
