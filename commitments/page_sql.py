"""The API's commitment list page written as JSON by PostgreSQL: the fast path of CommitmentViewSet.list.

The generic path (the filterset's queryset, selectors.commitment_page, serializers.commitment_representation)
spends most of a request's Python time building and compiling the ORM query and turning its rows into Python
values and back into JSON. Here the page is one hand-written query whose result is the page's JSON text (the
same keys, values and order as commitment_representation) and the list's total; the view embeds that text in
the paginated body without parsing it.

Only what it can express exactly is taken (`page_query` answers None otherwise, and the view takes the generic
path): the scopes of `selectors.commitment_list` for staff (everyone, the clerk's own lead agency, a clerk's
agencies, a supervisor's bodies) — not a proposer's — and every filter of CommitmentFilterSet except the text
search `q`. Validation stays with the filterset (the same 400s); this module reads its cleaned data.
tests/api/test_page_sql.py compares both paths JSON-equal over filters, orderings, pages and scopes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.db import connection
from django_filters.constants import EMPTY_VALUES

from config.api import RawJSON
from proposals import scoping

from . import selectors
from .choices import CommitmentStatus

_ORDER_COLUMNS = {"deadline": "c.deadline", "updated_at": "c.updated_at", "created_at": "c.created_at", "id": "c.id"}


def _iso(alias: str) -> str:
    """SQL for a timestamptz as serializers._datetime writes it: ISO 8601 in the current time zone, microseconds
    only when there are any, the offset as ±HH:MM (±HH:MM:SS when it has seconds), `Z` for UTC. `alias` is a
    _local() of the column: `l` its local time, `o` its offset (an interval), `v` the column.

    The offset costs more than the rest (~3 µs a value); since the zone's last change of offset (%(tz_since)s,
    `_steady_offset`; none for a zone with summer time) it is the constant %(tz_offset)s."""
    local, off = f"{alias}.l", f"{alias}.o"
    general = (
        f"CASE WHEN {off} = '0' THEN 'Z' WHEN {off} < '0' THEN '-' || to_char(-{off}, 'HH24:MI')"
        f" ELSE '+' || to_char({off}, 'HH24:MI') END"
        f" || CASE WHEN extract(second FROM {off}) = 0 THEN '' ELSE to_char(abs(extract(second FROM {off})), ':FM00') END"
    )
    return (
        f"replace(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '')"
        f" || CASE WHEN {alias}.v >= %(tz_since)s THEN %(tz_offset)s ELSE {general} END"
    )


STEADY_SINCE_AT_MOST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@functools.lru_cache(maxsize=16)
def _steady_offset(tz, now_day: dt.date) -> tuple[dt.datetime | None, str]:
    """(since, text): the instant from which `tz` keeps its present UTC offset, and that offset as _iso writes it;
    (None, "") for a zone whose offset changes within the coming year (summer time)."""

    def offset(at: dt.datetime) -> dt.timedelta:
        return at.astimezone(tz).utcoffset() or dt.timedelta(0)

    now = dt.datetime.combine(now_day, dt.time(), dt.UTC)
    present = offset(now)
    if any(offset(now + dt.timedelta(days=d)) != present for d in range(1, 367)):
        return None, ""
    text = now.astimezone(tz).isoformat()[19:]
    text = "Z" if text == "+00:00" else text
    day = now
    oldest = STEADY_SINCE_AT_MOST  # older timestamps (none that this application wrote) take the general formula
    while day > oldest and offset(day - dt.timedelta(days=1)) == present:
        day -= dt.timedelta(days=1)
    if day <= oldest:
        return day, text
    low, high = day - dt.timedelta(days=1), day  # the offset changes in (low, high]: find the second
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if offset(middle) == present:
            high = middle
        else:
            low = middle
    return high, text


def _local(column: str, alias: str) -> str:
    """A column's local time and UTC offset in the current time zone (%(tz)s), for _iso."""
    return (
        f"LATERAL (SELECT {column} AS v, {column} AT TIME ZONE %(tz)s AS l,"
        f" ({column} AT TIME ZONE %(tz)s) - ({column} AT TIME ZONE 'UTC') AS o) {alias}"
    )


# One commitment as commitment_representation writes it: the columns of a row whose names are the keys, in the same
# order (a row becomes a JSON object more cheaply than json_build_object's 52 arguments: ~0.2 ms a page of 50);
# `c` the commitment, `a` its lead agency, `p` its proposal, `ct`/`ut` its timestamps' _local. Decimals as text
# with their 4 places, as DRF's DecimalField writes them. The page query stays under psycopg's 4,096 characters,
# past which psycopg parses a query on every execution instead of once.
_ROW = f"""LATERAL (SELECT c.id AS id, c.text AS text, c.status AS status,
(c.status = '{CommitmentStatus.OPEN.value}' AND c.deadline IS NOT NULL AND c.deadline < %(today)s) AS overdue,
c.strength AS strength, c.deadline AS deadline, c.deadline_text AS deadline_text, c.precision AS precision,
c.is_vague AS is_vague, c.recurrence AS recurrence,
CASE WHEN c.agency_id IS NOT NULL THEN json_build_object('id', c.agency_id, 'name', a.name) END AS agency,
coalesce((SELECT json_agg(json_build_object('id', x.id, 'name', x.name) ORDER BY x.name, x.id)
  FROM commitments_commitment_agencies ca JOIN proposals_agency x ON x.id = ca.agency_id
  WHERE ca.commitment_id = c.id), '[]') AS agencies,
c.agency_names AS agency_names, c.proposal_id AS proposal, p.session_id AS session, c.response_id AS response,
c.document_id AS document, c.section AS section, c.section_kind AS section_kind, c.start AS start, c."end" AS "end",
coalesce((SELECT json_agg(json_build_object('id', t.id, 'text', t.text, 'value', t.value::text,
  'unit', t.unit, 'actual_value', t.actual_value::text, 'actual_recorded_on', t.actual_recorded_on,
  'actual_note', t.actual_note) ORDER BY t.id) FROM commitments_target t WHERE t.commitment_id = c.id), '[]') AS targets,
c.owner_id AS owner, c.closed_on AS closed_on, {_iso("ct")} AS created_at, {_iso("ut")} AS updated_at) r"""

_FROM = """commitments_commitment c
    LEFT JOIN proposals_proposal p ON p.id = c.proposal_id"""


def _counted_from(where: str) -> str:
    """The FROM of a count: the proposal only when a condition reads it (`p.`). PostgreSQL removes an unused LEFT
    JOIN, but its presence still turned the bounded count from an index-only scan into a bitmap heap scan
    (0.8 → 3.6 ms for 2,001 rows at 1M)."""
    return _FROM if re.search(r"\bp\.", where) else "commitments_commitment c"


INLINE_VALUES = True


def _execute(cursor, sql: str, params: dict) -> None:
    """Runs `sql` with its values written into it as literals (psycopg's own quoting, as its client-side cursor
    does), so that a repeated page (a dashboard polling one list) is one text that psycopg prepares after five
    runs and PostgreSQL then executes without planning it again: a statement without parameters keeps its plan,
    which is made for these very values, whereas `plan_cache_mode=force_custom_plan` (config/settings.py) plans a
    parameterised one on every execution (~0.9 ms for this query). Distinct texts cost what a fresh query costs."""
    if not INLINE_VALUES or connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    connection.ensure_connection()
    cursor.execute(psycopg.ClientCursor(connection.connection).mogrify(sql, params))


def _direction(position: int, column: str, descending: bool) -> str:
    """A sort key's direction: a later `-deadline` puts the undated rows last among equal earlier keys, as
    CommitmentFilterSet.qs orders the ORM's page (session 19); a first `-deadline` takes undated_last_page's two
    parts instead, each an ordered index scan (no index has the NULLS LAST order)."""
    if not descending:
        return "ASC"
    return "DESC NULLS LAST" if position and column == "c.deadline" else "DESC"


@dataclass(frozen=True)
class PageQuery:
    """A scoped, filtered and ordered commitment list as SQL: `where` over `c` (and `p`), `order` its ORDER BY."""

    where: str
    params: dict
    order: tuple[tuple[str, bool], ...]  # (column, descending)

    def _order_sql(self) -> str:
        return ", ".join(f"{col} {_direction(i, col, desc)}" for i, (col, desc) in enumerate(self.order))

    def count(self) -> int:
        with connection.cursor() as cursor:
            _execute(cursor, f"SELECT count(*) FROM {_counted_from(self.where)} WHERE {self.where}", self.params)
            return cursor.fetchone()[0]

    def fetch(
        self,
        offset: int,
        limit: int,
        *,
        bound: int,
        count_beyond: Callable[[], int | None] | None = None,
    ) -> tuple[RawJSON, int | None]:
        """The page's JSON array and the list's total, as selectors.commitment_page returns rows and total:
        the total is counted up to `bound` rows in the same query, a longer list's from `count_beyond()` (else a
        COUNT); None when a page past the first is empty. Sorted by `-deadline`, the undated commitments come
        after the dated ones (selectors.undated_last_page: the same two parts as the ORM's page)."""
        if self.order[0] == ("c.deadline", True):
            text, _, total = selectors.undated_last_page(
                lambda dated, o, n, counted: self._part(
                    "c.deadline IS NOT NULL" if dated else "c.deadline IS NULL", o, n, counted, bound
                ),
                self._count_dated,
                offset=offset,
                limit=limit,
                join=lambda a, b: f"{a[:-1]}, {b[1:]}",
            )
        else:
            text, _, total = self._part(None, offset, limit, True, bound)
        if text is None:
            return RawJSON("[]"), (0 if offset == 0 else None)
        if total > bound:
            known = count_beyond() if count_beyond is not None else None
            total = known if known is not None else self.count()
        return RawJSON(text), total

    def _part(
        self, part: str | None, offset: int, limit: int, counted: bool, bound: int
    ) -> tuple[str | None, int, int | None]:
        """(JSON array, its length, the list's total up to `bound` + 1 when `counted`) of the rows of the list that
        also meet `part`, from `offset`; the array is None when there are none."""
        keys = ", ".join(f"{col} AS k{i}" for i, (col, _) in enumerate(self.order))
        agg_order = ", ".join(f"s.k{i} {_direction(i, col, desc)}" for i, (col, desc) in enumerate(self.order))
        count = (
            f"(SELECT count(*) FROM (SELECT c.id FROM {_counted_from(self.where)} WHERE {self.where}"
            " LIMIT %(count_limit)s) n)"
            if counted
            else "NULL::bigint"
        )
        where = f"({self.where}) AND {part}" if part else self.where
        sql = f"""
SELECT {count}, t.text, t.n
  FROM (SELECT json_agg(s.r ORDER BY {agg_order})::text AS text, count(*) AS n
          FROM (SELECT r, {keys}
                  FROM {_FROM} LEFT JOIN proposals_agency a ON a.id = c.agency_id,
                       {_local("c.created_at", "ct")}, {_local("c.updated_at", "ut")}, {_ROW}
                 WHERE {where}
                 ORDER BY {self._order_sql()}
                 LIMIT %(limit)s OFFSET %(offset)s) s) t"""
        params = {**self.params, "count_limit": bound + 1, "limit": limit, "offset": offset}
        with connection.cursor() as cursor:
            _execute(cursor, sql, params)
            total, text, n = cursor.fetchone()
        return text, n, total

    def _count_dated(self, at_most: int) -> int:
        """The number of the list's rows with a deadline, at most `at_most`."""
        with connection.cursor() as cursor:
            _execute(
                cursor,
                f"SELECT count(*) FROM (SELECT c.id FROM {_counted_from(self.where)}"
                f" WHERE ({self.where}) AND c.deadline IS NOT NULL LIMIT %(at_most)s) n",
                {**self.params, "at_most": at_most},
            )
            return cursor.fetchone()[0]


_GENERIC = "generic"  # _scope's answer for a scope it does not write


def _scope(user, lead_agency_id: int | None, params: dict) -> str | None:
    """selectors.commitment_list(for_page=True) as SQL: Commitment.objects.visible_to(user) (staff only), or the
    lead agency itself when it is one of the clerk's. None: no condition (the user sees everything)."""
    agencies = scoping.agency_ids(user)
    if lead_agency_id is not None and lead_agency_id in agencies:
        params["scope_lead"] = lead_agency_id
        return "c.agency_id = %(scope_lead)s"
    if scoping.sees_everything(user):
        return None
    if scoping.proposer_ids(user):
        return _GENERIC  # a proposer's own items (and a proposer's staff roles)
    bodies = scoping.body_ids(user)
    clauses = []
    if agencies:
        params["scope_agencies"] = list(agencies)
        clauses.append(
            "c.id IN (SELECT commitment_id FROM commitments_commitment_agencies WHERE agency_id = ANY(%(scope_agencies)s))"
        )
    if bodies:
        params["scope_bodies"] = list(bodies)
        clauses.append(
            "p.session_id IN (SELECT id FROM proposals_session WHERE body_id = ANY(%(scope_bodies)s))"
            " OR c.proposal_id IS NULL"
        )
    return "(" + " OR ".join(clauses) + ")" if clauses else "false"


def _filters(cleaned: dict, today: dt.date, params: dict) -> list[str] | None:
    """CommitmentFilterSet's filters as SQL conditions (None: one it cannot express, the search)."""
    where = []
    given = {name: value for name, value in cleaned.items() if value not in EMPTY_VALUES}

    def param(name: str, value) -> str:
        params[name] = value
        return f"%({name})s"

    for name, value in given.items():
        if name in ("status", "strength", "precision"):
            where.append(f"c.{name} = ANY({param(name, [str(v) for v in value])})")
        elif name == "overdue":
            late = f"c.status = '{CommitmentStatus.OPEN.value}' AND c.deadline < %(today)s"
            where.append(f"({late})" if value else f"NOT ({late} AND c.deadline IS NOT NULL)")
        elif name == "deadline_after":
            where.append(f"c.deadline >= {param(name, value)}")
        elif name == "deadline_before":
            where.append(f"c.deadline <= {param(name, value)}")
        elif name == "due_within":
            end = param("due_end", today + dt.timedelta(days=int(value)))
            where.append(
                f"(c.status = '{CommitmentStatus.OPEN.value}' AND c.deadline >= %(today)s AND c.deadline <= {end})"
            )
        elif name in ("agency", "proposal", "response"):
            where.append(f"c.{name}_id = {param(name, int(value))}")
        elif name == "agencies":
            agency = param(name, int(value))
            where.append(
                f"(c.agency_id = {agency} OR EXISTS (SELECT 1 FROM commitments_commitment_agencies m"
                f" WHERE m.commitment_id = c.id AND m.agency_id = {agency}))"
            )
        elif name == "unassigned":
            where.append("c.agency_id IS NULL" if value else "c.agency_id IS NOT NULL")
        elif name == "session":
            where.append(f"p.session_id = {param(name, int(value))}")
        elif name == "body":
            where.append(
                f"p.session_id IN (SELECT id FROM proposals_session WHERE body_id = {param(name, int(value))})"
            )
        elif name == "kind":
            where.append(f"p.kind = {param(name, str(value))}")
        elif name == "is_key":
            where.append(f"p.is_key = {param(name, bool(value))}")
        elif name == "updated_since":
            where.append(f"c.updated_at >= {param(name, value)}")
        elif name == "ordering":
            continue
        else:
            return None  # `q`, or a filter added to CommitmentFilterSet and not here
    return where


def _order(cleaned: dict) -> tuple[tuple[str, bool], ...] | None:
    """CommitmentFilterSet.qs's order: the chosen one (else the deadline), then the primary key as tie-breaker."""
    order = list(cleaned.get("ordering") or ()) or ["deadline"]
    if not any(o.lstrip("-") in ("id", "pk") for o in order):
        order.append("-id" if order[-1].startswith("-") else "id")
    columns = []
    for item in order:
        column = _ORDER_COLUMNS.get("id" if item.lstrip("-") == "pk" else item.lstrip("-"))
        if column is None:
            return None
        columns.append((column, item.startswith("-")))
    return tuple(columns)


def page_query(*, user, cleaned: dict, lead_agency_id: int | None, today: dt.date, tz) -> PageQuery | None:
    """The list as SQL, or None when this module cannot write it exactly (the caller takes the generic path).

    `lead_agency_id` as the view passes it to selectors.commitment_list; `today` the date in Asia/Shanghai; `tz`
    the current time zone, in which datetimes are written (a zoneinfo zone: PostgreSQL knows it by its key).
    """
    if connection.vendor != "postgresql" or not getattr(tz, "key", None):
        return None
    since, offset = _steady_offset(tz, today)
    params: dict = {"today": today, "tz": tz.key, "tz_since": since, "tz_offset": offset}
    scope = _scope(user, lead_agency_id, params)
    if scope == _GENERIC:
        return None
    conditions = _filters(cleaned, today, params)
    order = _order(cleaned)
    if conditions is None or order is None:
        return None
    if scope is not None:
        conditions.insert(0, scope)
    return PageQuery(where=" AND ".join(conditions) or "true", params=params, order=order)
