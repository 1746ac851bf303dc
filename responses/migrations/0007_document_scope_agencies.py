# Session 6: the clerk's scope inside the search index (docs/search.md, "A scoped caller"; search/scope.py).

from django.db import migrations

import search.fields
from search.fields import PostgresOnlySQL

# A letter's `scope_agencies` = the agency of its reply and the agencies assigned the reply's item; {0} without a
# reply (0 is no agency: such letters are read by every clerk's search and `visible_to` decides). Kept by triggers on
# replies (insert, delete, a change of agency, item or document) and on assignments (the letters of the replies to
# that item). A BEFORE trigger on the letter keeps the stored value against a stale instance's save and computes it
# on INSERT. The rebuild's SQL is search/scope.py.
TRIGGERS = r"""
ALTER TABLE responses_document ALTER COLUMN scope_agencies SET DEFAULT '{0}';

CREATE FUNCTION responses_document_scope_of(did bigint) RETURNS integer[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT y.a ORDER BY y.a), '{0}') FROM (
        SELECT r.agency_id::integer AS a FROM responses_response r WHERE r.document_id = did
        UNION ALL
        SELECT x.agency_id::integer FROM responses_response r
          JOIN proposals_assignment x ON x.proposal_id = r.proposal_id
         WHERE r.document_id = did
    ) y
$$;

-- The letter's row is locked first: a concurrent change of its reply or of the item's assignments waits, then
-- reads what was committed meanwhile.
CREATE FUNCTION responses_document_scope_refresh(did bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v integer[];
BEGIN
    PERFORM 1 FROM responses_document WHERE id = did FOR NO KEY UPDATE;
    IF FOUND THEN
        v := responses_document_scope_of(did);
        UPDATE responses_document SET scope_agencies = v WHERE id = did AND scope_agencies IS DISTINCT FROM v;
    END IF;
END $$;

CREATE FUNCTION responses_document_scope_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM responses_document_scope_refresh(OLD.document_id);
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' AND NEW.document_id IS DISTINCT FROM OLD.document_id THEN
        PERFORM responses_document_scope_refresh(NEW.document_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER responses_document_scope_reply AFTER INSERT OR DELETE ON responses_response
    FOR EACH ROW EXECUTE FUNCTION responses_document_scope_reply();
CREATE TRIGGER responses_document_scope_reply_update AFTER UPDATE ON responses_response
    FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id
                       OR OLD.proposal_id IS DISTINCT FROM NEW.proposal_id
                       OR OLD.document_id IS DISTINCT FROM NEW.document_id)
    EXECUTE FUNCTION responses_document_scope_reply();

CREATE FUNCTION responses_document_scope_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    did bigint;
BEGIN
    FOR did IN
        SELECT r.document_id FROM responses_response r
         WHERE TG_OP <> 'INSERT' AND r.proposal_id = OLD.proposal_id
            OR TG_OP <> 'DELETE' AND r.proposal_id = NEW.proposal_id
    LOOP
        PERFORM responses_document_scope_refresh(did);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER responses_document_scope_assignment AFTER INSERT OR DELETE ON proposals_assignment
    FOR EACH ROW EXECUTE FUNCTION responses_document_scope_assignment();
CREATE TRIGGER responses_document_scope_assignment_update AFTER UPDATE ON proposals_assignment
    FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.proposal_id IS DISTINCT FROM NEW.proposal_id)
    EXECUTE FUNCTION responses_document_scope_assignment();

CREATE FUNCTION responses_document_scope_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() = 1 AND current_setting('luoshi.scope_rebuild', true) IS DISTINCT FROM 'on' THEN
        IF TG_OP = 'INSERT' THEN
            NEW.scope_agencies := responses_document_scope_of(NEW.id);
        ELSE
            NEW.scope_agencies := OLD.scope_agencies;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER responses_document_scope_guard_insert BEFORE INSERT ON responses_document
    FOR EACH ROW EXECUTE FUNCTION responses_document_scope_guard();
CREATE TRIGGER responses_document_scope_guard_update BEFORE UPDATE ON responses_document
    FOR EACH ROW WHEN (OLD.scope_agencies IS DISTINCT FROM NEW.scope_agencies)
    EXECUTE FUNCTION responses_document_scope_guard();

-- A clerk's search over letters: the scope and the text in one index scan (docs/search.md).
CREATE INDEX IF NOT EXISTS document_scope_search_idx ON responses_document USING gin (scope_agencies, search_vector);
"""

UNDO = r"""
DROP INDEX IF EXISTS document_scope_search_idx;
DROP TRIGGER responses_document_scope_guard_update ON responses_document;
DROP TRIGGER responses_document_scope_guard_insert ON responses_document;
DROP FUNCTION responses_document_scope_guard();
DROP TRIGGER responses_document_scope_assignment_update ON proposals_assignment;
DROP TRIGGER responses_document_scope_assignment ON proposals_assignment;
DROP FUNCTION responses_document_scope_assignment();
DROP TRIGGER responses_document_scope_reply_update ON responses_response;
DROP TRIGGER responses_document_scope_reply ON responses_response;
DROP FUNCTION responses_document_scope_reply();
DROP FUNCTION responses_document_scope_refresh(bigint);
DROP FUNCTION responses_document_scope_of(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0006_response_created_idx"),
        ("proposals", "0004_dashboard_filter_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="scope_agencies",
            field=search.fields.ScopeAgenciesField(),
        ),
        PostgresOnlySQL(TRIGGERS, reverse_sql=UNDO),
    ]
