"""Reads for commitments: scoped, optimised querysets for lists and details (UI, API, exports, feeds)."""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Field, IntegerField, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from proposals import scoping
from proposals.models import Agency

from .models import ChangeRequest, Commitment, ProgressUpdate, Target


def commitment_list(*, user, lead_agency_id: int | None = None) -> QuerySet[Commitment]:
    """Commitments the user may see, with what a list row shows loaded in a fixed number of queries.

    With `lead_agency_id` (a list limited to one primary agency) that is one of the user's own agencies, the
    agency itself is the scope: visible_to admits every commitment an agency of the clerk leads. Dropping the
    broader scope clause there lets PostgreSQL count from the (agency, status, deadline) index alone.
    """
    if lead_agency_id is not None and lead_agency_id in scoping.agency_ids(user):
        base = Commitment.objects.filter(agency_id=lead_agency_id)
    else:
        base = Commitment.objects.visible_to(user)
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


def commitment_page(queryset: QuerySet[Commitment], *, offset: int, limit: int) -> tuple[list[dict], int | None]:
    """One page of a scoped, filtered and ordered commitment list, and the list's total, in ONE query.

    Rows are plain dicts (PAGE_COLUMNS plus `agency_list` and `target_list`, lists of dicts aggregated as JSON
    by correlated subqueries): no model instances and no prefetch round-trips, which cost more than the
    database for a page of 50. The total rides on every row; it is None when a page past the first is empty.
    """
    if connection.vendor != "postgresql":
        return _commitment_page_portable(queryset, offset=offset, limit=limit)
    rows = list(
        queryset.select_related(None)
        .prefetch_related(None)
        .values(
            *PAGE_COLUMNS,
            total=_CountOf(queryset.order_by().values("pk")),
            # A plain Field: psycopg already decodes `json` values, JSONField would decode them twice.
            agency_list=RawSQL(_PAGE_AGENCIES, (), output_field=Field()),
            target_list=RawSQL(_PAGE_TARGETS, (), output_field=Field()),
        )[offset : offset + limit]
    )
    if rows:
        return rows, rows[0]["total"]
    return rows, (0 if offset == 0 else None)


def _commitment_page_portable(queryset: QuerySet[Commitment], *, offset: int, limit: int):
    """commitment_page for databases without json_agg (SQLite, the `make run` default): same rows, three queries."""
    rows = list(queryset.select_related(None).prefetch_related(None).values(*PAGE_COLUMNS)[offset : offset + limit])
    total = queryset.order_by().count() if rows or offset == 0 else None
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


# ------------------------------------------------------------------------------------------ dashboard (web UI)


def dashboard_counts(*, user, today: dt.date) -> dict[str, int]:
    """Overdue, due within 30 and 90 days, and open commitments in the user's scope, in one aggregate query."""
    from .choices import CommitmentStatus

    is_open = Q(status=CommitmentStatus.OPEN)
    return Commitment.objects.visible_to(user).aggregate(
        overdue=Count("pk", filter=is_open & Q(deadline__lt=today)),
        due30=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=30))),
        due90=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=90))),
        open=Count("pk", filter=is_open),
    )


def agency_performance(*, user, today: dt.date, queryset: QuerySet[Commitment] | None = None) -> list[dict]:
    """Per primary agency: open, overdue, fulfilled on time / late, missed, the on-time rate (办成率) and 满意率.

    Two aggregate queries whatever the number of rows. 办成率 = fulfilled on time ÷ commitments whose
    outcome is due (fulfilled, partly fulfilled, missed, or open past the deadline); withdrawn ones do not count.
    满意率 = (满意 + 基本满意) ÷ rated replies of the agency.
    """
    from responses.models import Response

    from .choices import CommitmentStatus as S

    base = queryset if queryset is not None else Commitment.objects.visible_to(user)
    on_time = Q(status=S.FULFILLED) & (Q(deadline__isnull=True) | Q(closed_on__lte=F("deadline")))
    rows = list(
        base.filter(agency__isnull=False)
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
    rated = {
        r["agency_id"]: r
        for r in Response.objects.visible_to(user)
        .exclude(satisfaction="")
        .values("agency_id")
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basically"])))
        .order_by()
    }
    for row in rows:
        due = row["on_time"] + row["late"] + row["partly"] + row["missed"] + row["overdue"]
        row["due"] = due
        row["on_time_rate"] = row["on_time"] / due if due else None
        sat = rated.get(row["agency_id"])
        row["rated"] = sat["rated"] if sat else 0
        row["satisfaction_rate"] = sat["satisfied"] / sat["rated"] if sat and sat["rated"] else None
    return rows


def deadlines_by_month(
    *, user, today: dt.date, months: int = 12, queryset: QuerySet[Commitment] | None = None
) -> list[tuple[dt.date, int]]:
    """Open commitments falling due in each of the next `months` calendar months (overdue ones excluded)."""
    from .choices import CommitmentStatus

    first = today.replace(day=1)
    year, month = divmod(first.month - 1 + months, 12)
    end = dt.date(first.year + year, month + 1, 1)
    base = queryset if queryset is not None else Commitment.objects.visible_to(user)
    counts = {
        row["month"]: row["n"]
        for row in base.filter(status=CommitmentStatus.OPEN, deadline__gte=today, deadline__lt=end)
        .annotate(month=TruncMonth("deadline"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    out, cursor = [], first
    for _ in range(months):
        out.append((cursor, counts.get(cursor, 0)))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
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
