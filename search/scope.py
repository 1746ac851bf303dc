"""The clerk's scope inside the search index: `scope_agencies` on commitments and letters (docs/search.md).

`scope_agencies` (integer[]) holds the agencies whose clerks may see the row:
- a commitment: its `agencies` (the M2M; the lead agency is one of them);
- a letter (Document): the agency of its reply and the agencies assigned the reply's item; `{0}` without a reply
  (0 is no agency: an unconfirmed upload, news or a report, visible to clerks through its uploader, so every
  clerk's search reads those few rows and `visible_to` decides).
It is a superset of the clerk's view, never the view itself: the search keeps `visible_to` and adds
`scope_agencies && ARRAY[agencies]`, which one GIN index over (scope_agencies, search_vector) answers together
with the text, so the fuzzy limit and the heap reads apply to the caller's rows only.

Kept by PostgreSQL triggers (commitments migration 0013, responses migration 0007; nothing on SQLite);
`rebuild()` (`manage.py search_scope_rebuild`) recomputes it after a load that bypassed them.
"""

from __future__ import annotations

from django.db import connection, transaction

# The value of a letter without a reply (no agency has id 0).
NO_REPLY = 0

_COMMITMENTS_SQL = """
WITH s AS (
    SELECT commitment_id, array_agg(DISTINCT agency_id::integer ORDER BY agency_id::integer) AS a
      FROM commitments_commitment_agencies GROUP BY commitment_id
)
UPDATE commitments_commitment c SET scope_agencies = s.a
  FROM s WHERE c.id = s.commitment_id AND c.scope_agencies IS DISTINCT FROM s.a
"""
_COMMITMENTS_UNLINKED_SQL = """
UPDATE commitments_commitment c SET scope_agencies = '{}'
 WHERE c.scope_agencies IS DISTINCT FROM '{}'
   AND NOT EXISTS (SELECT 1 FROM commitments_commitment_agencies l WHERE l.commitment_id = c.id)
"""
_DOCUMENTS_SQL = """
WITH s AS (
    SELECT document_id, array_agg(DISTINCT a ORDER BY a) AS a FROM (
        SELECT r.document_id, r.agency_id::integer AS a FROM responses_response r
        UNION ALL
        SELECT r.document_id, x.agency_id::integer
          FROM responses_response r JOIN proposals_assignment x ON x.proposal_id = r.proposal_id
    ) y GROUP BY document_id
)
UPDATE responses_document d SET scope_agencies = s.a
  FROM s WHERE d.id = s.document_id AND d.scope_agencies IS DISTINCT FROM s.a
"""
_DOCUMENTS_UNREPLIED_SQL = f"""
UPDATE responses_document d SET scope_agencies = '{{{NO_REPLY}}}'
 WHERE d.scope_agencies IS DISTINCT FROM '{{{NO_REPLY}}}'
   AND NOT EXISTS (SELECT 1 FROM responses_response r WHERE r.document_id = d.id)
"""


def rebuild() -> dict[str, int]:
    """Recompute every row's `scope_agencies` from the links; returns the rows changed per table (PostgreSQL only).

    Writers of the links, replies and assignments wait until it is done (SHARE locks); the rows' own BEFORE UPDATE
    trigger lets these writes through (`luoshi.scope_rebuild`, transaction-local).
    """
    if connection.vendor != "postgresql":
        return {}
    changed = {"commitment": 0, "document": 0}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('luoshi.scope_rebuild', 'on', true)")
        cur.execute(
            "LOCK TABLE commitments_commitment_agencies, responses_response, proposals_assignment IN SHARE MODE"
        )
        for kind, sql in (
            ("commitment", _COMMITMENTS_SQL),
            ("commitment", _COMMITMENTS_UNLINKED_SQL),
            ("document", _DOCUMENTS_SQL),
            ("document", _DOCUMENTS_UNREPLIED_SQL),
        ):
            cur.execute(sql)
            changed[kind] += cur.rowcount
    with connection.cursor() as cur:
        cur.execute("ANALYZE commitments_commitment, responses_document")
    return changed
