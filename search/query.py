"""One match condition for every `q`: the n-gram GIN index, then an exact check on the normalised text.

Every list's `?q=` and /api/v1/search/ call `search_filter`. Models (search.fields.SearchIndexed) and apps are
not imported here, so each app's filtersets can use it without pointing a dependency upwards.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from .text import parse_query, tsquery


class _Infix(Func):
    """`<lhs> <operator> <rhs>` as a condition: `search_vector @@ '<lexemes>'::tsquery` and
    `scope_agencies && '{…}'::integer[]`, both answered by a GIN index (a Bitmap Index Scan)."""

    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, lhs, operator: str, rhs):
        super().__init__(lhs, rhs)
        self.arg_joiner = f" {operator} "


def match_q(terms: list[str], *, prefix: str = "") -> Q:
    """The condition that a row (or the row at `prefix`, e.g. "document__") holds every term.

    PostgreSQL: the AND of the terms' n-grams against `search_vector` (GIN; a superset), and each term
    against `search_text` with LIKE (exact, on the index's candidates only). SQLite (`make run`): the LIKE alone.
    """
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{prefix}search_text__contains": term})
    if connection.vendor == "postgresql":
        # The tsquery is written into the SQL as a literal, not bound as a parameter: with server-side binding
        # psycopg prepares a statement after 5 runs, and PostgreSQL's generic plan for `@@ $1` cannot tell a rare
        # term (index) from a common one (a sequential scan stopped by the LIMIT). Measured at 5,000,000
        # commitments: the generic plan scanned the whole table for a rare one-character term (> 3 s, timeout);
        # the custom plans take 10-90 ms. Safe: lexemes hold only word characters (search.text), and quotes are
        # doubled all the same.
        literal = "'" + tsquery(terms).replace("'", "''") + "'::tsquery"
        condition &= Q(_Infix(F(f"{prefix}search_vector"), "@@", RawSQL(literal, [])))
    return condition


def scope_q(agencies: list[int]) -> Q:
    """The row's `scope_agencies` (search.scope) shares an agency with `agencies` (PostgreSQL only).

    A literal, as the tsquery above: each search gets its own plan. Integers only.
    """
    literal = "'{" + ",".join(str(int(a)) for a in agencies) + "}'::integer[]"
    return Q(_Infix(F("scope_agencies"), "&&", RawSQL(literal, [])))


def search_filter(queryset: QuerySet, q: str | None, *, prefix: str = "") -> QuerySet:
    """`queryset` narrowed to the rows matching `q`; blank `q` leaves it as is; a bad `q` raises QueryError.

    A query of punctuation only has no terms and matches nothing.
    """
    if q is None or not q.strip():
        return queryset
    terms = parse_query(q)
    if not terms:
        return queryset.none()
    return queryset.filter(match_q(terms, prefix=prefix))
