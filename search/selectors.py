"""One search over letters, commitments, items and agencies: candidates per kind, ranked together, one page.

Query shape (docs/search.md, plan "search-kind"): per kind one query
    SELECT id, search_text FROM <table> WHERE <visible_to(user)>
      AND search_vector @@ '<n-grams>'::tsquery AND search_text LIKE '%term%' LIMIT 200
which PostgreSQL runs as a Bitmap Index Scan on the kind's GIN index (`*_search_idx`), a Bitmap Heap Scan with
the LIKE as a filter, stopped by the LIMIT. The GIN scan's work is bounded by `gin_fuzzy_search_limit` (a
one-character query can match millions of rows) and the whole search by `statement_timeout`; both are set
for the search's transaction only. Ranking is then done in Python on at most 4 × 200 candidates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commitments.models import Commitment
from proposals import scoping
from proposals.models import Agency, Proposal
from responses.models import Document

from .query import match_q, scope_q
from .scope import NO_REPLY
from .text import parse_query, snippet

KINDS = ("document", "commitment", "proposal", "agency")
# Kinds weigh differently at equal text match: an agency or item named by the query beats a letter mentioning it.
KIND_WEIGHT = {"agency": 3.0, "proposal": 2.0, "commitment": 1.5, "document": 1.0}


@dataclass(frozen=True)
class Hit:
    """One search result: kind, row, rank and the highlighted snippet (escaped HTML with <mark>)."""

    kind: str
    pk: int
    rank: float
    title: str
    snippet: SafeString
    obj: object = field(compare=False, repr=False)


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the number of candidates ranked, and the kinds whose candidates were capped."""

    terms: list[str]
    hits: list[Hit]
    total: int
    capped: list[str]
    counts: dict[str, int]


def clerk_agencies(user) -> list[int]:
    """The agencies of a caller whose whole scope is agencies (a clerk: no bodies, no proposers, not everything);
    [] for every other caller, whose search reads no scope column."""
    if connection.vendor != "postgresql" or scoping.sees_everything(user):
        return []
    if scoping.body_ids(user) or scoping.proposer_ids(user):
        return []
    return sorted(scoping.agency_ids(user))


def _querysets(user, agencies: list[int]) -> dict[str, QuerySet]:
    """The kinds' scoped querysets; `agencies`: clerk_agencies(user)."""
    documents, commitments = Document.objects.visible_to(user), Commitment.objects.visible_to(user)
    if agencies:
        # The scope inside the index (docs/search.md, "A scoped caller"): `scope_agencies` is a superset of the
        # clerk's view (search/scope.py), so `visible_to` stays and decides; the overlap only narrows the index
        # scan to the clerk's rows. Letters without a reply carry {0}: every clerk reads them, visible_to decides.
        documents = documents.filter(scope_q([*agencies, NO_REPLY]))
        commitments = commitments.filter(scope_q(agencies))
    return {
        "document": documents,
        "commitment": commitments,
        "proposal": Proposal.objects.visible_to(user),
        # Agencies are reference data that every signed-in user sees (as /api/v1/agencies/).
        "agency": Agency.objects.all(),
    }


def _rank(kind: str, text: str, terms: list[str]) -> float:
    # Occurrences of the terms, damped by length (a short row that is about the term beats a long letter that
    # mentions it once), weighed by kind. Deterministic: ties are broken by kind and id by the caller.
    occurrences = sum(text.count(t) for t in terms)
    return KIND_WEIGHT[kind] * (1 + math.log(occurrences)) / math.log(len(text) + 2) if occurrences else 0.0


def _load(kind: str, ids: list[int]) -> dict[int, object]:
    qs: QuerySet
    if kind == "document":
        qs = (
            Document.objects.filter(pk__in=ids)
            .select_related("response")
            .only("id", "title", "text", "kind", "response__id")
        )
    elif kind == "commitment":
        qs = Commitment.objects.filter(pk__in=ids).only("id", "text", "status", "deadline")
    elif kind == "proposal":
        qs = Proposal.objects.filter(pk__in=ids).select_related("session").prefetch_related("proposer_links__proposer")
    else:
        qs = Agency.objects.filter(pk__in=ids)
    return {o.pk: o for o in qs}


def _title(kind: str, obj) -> str:
    if kind == "document":
        return obj.title or obj.text[:30]
    if kind == "commitment":
        return obj.text[:40]
    return str(obj)


def _snippet(obj, terms: list[str]) -> SafeString:
    parts = snippet(obj.search_source(), terms)
    if parts is None:
        return mark_safe("")
    before, matched, after = parts
    return mark_safe(f"{escape(before)}<mark>{escape(matched)}</mark>{escape(after)}")


def search(*, user, q: str | None, kinds: list[str] | None = None, offset: int = 0, limit: int = 20) -> SearchResult:
    """Visible rows of every kind that hold every term of `q`, best first; raises text.QueryError on bad input."""
    terms = parse_query(q)
    kinds = [k for k in KINDS if not kinds or k in kinds]
    if not terms:
        return SearchResult(terms=[], hits=[], total=0, capped=[], counts={k: 0 for k in kinds})
    cap = settings.SEARCH_CANDIDATES_PER_KIND
    candidates: list[tuple[float, str, int]] = []
    counts: dict[str, int] = {}
    capped: list[str] = []
    agencies = clerk_agencies(user)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{settings.SEARCH_TIMEOUT_MS}"])
                # A clerk's index scan ANDs two entries (the agency, the text): see SEARCH_GIN_FUZZY_LIMIT_SCOPED.
                fuzzy = settings.SEARCH_GIN_FUZZY_LIMIT_SCOPED if agencies else settings.SEARCH_GIN_FUZZY_LIMIT
                cursor.execute("SELECT set_config('gin_fuzzy_search_limit', %s, true)", [f"{fuzzy}"])
                # The GIN index, always: the planner estimates an AND of bigrams (公共 & 共交 & 交通) as common and
                # picks a sequential scan that the LIMIT would stop early, but when the term itself is rare or
                # absent that scan reads all 5,000,000 commitments (> 3 s, measured); the bitmap scan takes ms.
                cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        # One round trip: the kinds' queries as the branches of one UNION ALL, each with its own LIMIT.
        # Plan "search-kind" (module docstring): no ORDER BY, so each LIMIT stops its Bitmap Heap Scan early.
        branches = [
            qs.filter(match_q(terms))
            .order_by()
            .values_list(Value(kind, output_field=CharField()), "pk", "search_text")[: cap + 1]
            for kind, qs in _querysets(user, agencies).items()
            if kind in kinds
        ]
        if connection.features.supports_slicing_ordering_in_compound and len(branches) > 1:
            results = [branches[0].union(*branches[1:], all=True)]
        else:  # SQLite (`make run`) refuses a LIMIT inside a UNION: one query per kind
            results = branches
        rows_by_kind: dict[str, list[tuple[int, str]]] = {k: [] for k in kinds}
        for result in results:
            for kind, pk, text in result:
                rows_by_kind[kind].append((pk, text))
        for kind, rows in rows_by_kind.items():
            if len(rows) > cap:
                rows = rows[:cap]
                capped.append(kind)
            counts[kind] = len(rows)
            candidates.extend((_rank(kind, text, terms), kind, pk) for pk, text in rows)
    candidates.sort(key=lambda c: (-c[0], KINDS.index(c[1]), -c[2]))
    page = candidates[offset : offset + limit]
    by_kind: dict[str, list[int]] = {}
    for _, kind, pk in page:
        by_kind.setdefault(kind, []).append(pk)
    objects = {kind: _load(kind, ids) for kind, ids in by_kind.items()}
    hits = []
    for rank, kind, pk in page:
        obj = objects[kind].get(pk)
        if obj is None:  # deleted between the two queries
            continue
        hits.append(
            Hit(kind=kind, pk=pk, rank=round(rank, 4), title=_title(kind, obj), snippet=_snippet(obj, terms), obj=obj)
        )
    return SearchResult(terms=terms, hits=hits, total=len(candidates), capped=capped, counts=counts)
