# Session 6: the clerk's scope inside the search index (docs/search.md, "A scoped caller"; search/scope.py).

from django.db import migrations

import search.fields
from search.fields import PostgresOnlySQL

# `scope_agencies` = the commitment's agencies (the `agencies` M2M), kept by a trigger on the M2M. A BEFORE trigger on
# the commitment keeps the stored value when Django saves an instance that holds an older one (only a trigger, depth
# > 1, or search_scope_rebuild may change it), and computes it on INSERT. The rebuild's SQL is search/scope.py.
TRIGGERS = r"""
ALTER TABLE commitments_commitment ALTER COLUMN scope_agencies SET DEFAULT '{}';

CREATE FUNCTION commitments_scope_of(cid bigint) RETURNS integer[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT l.agency_id::integer ORDER BY l.agency_id::integer), '{}')
      FROM commitments_commitment_agencies l WHERE l.commitment_id = cid
$$;

-- The commitment's row is locked first: a concurrent link change waits, then reads the links committed meanwhile.
CREATE FUNCTION commitments_scope_refresh(cid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v integer[];
BEGIN
    PERFORM 1 FROM commitments_commitment WHERE id = cid FOR NO KEY UPDATE;
    IF FOUND THEN
        v := commitments_scope_of(cid);
        UPDATE commitments_commitment SET scope_agencies = v WHERE id = cid AND scope_agencies IS DISTINCT FROM v;
    END IF;
END $$;

CREATE FUNCTION commitments_scope_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM commitments_scope_refresh(OLD.commitment_id);
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' AND NEW.commitment_id IS DISTINCT FROM OLD.commitment_id THEN
        PERFORM commitments_scope_refresh(NEW.commitment_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER commitments_scope_link AFTER INSERT OR UPDATE OR DELETE ON commitments_commitment_agencies
    FOR EACH ROW EXECUTE FUNCTION commitments_scope_link();

CREATE FUNCTION commitments_scope_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() = 1 AND current_setting('luoshi.scope_rebuild', true) IS DISTINCT FROM 'on' THEN
        IF TG_OP = 'INSERT' THEN
            NEW.scope_agencies := commitments_scope_of(NEW.id);
        ELSE
            NEW.scope_agencies := OLD.scope_agencies;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER commitments_scope_guard_insert BEFORE INSERT ON commitments_commitment
    FOR EACH ROW EXECUTE FUNCTION commitments_scope_guard();
CREATE TRIGGER commitments_scope_guard_update BEFORE UPDATE ON commitments_commitment
    FOR EACH ROW WHEN (OLD.scope_agencies IS DISTINCT FROM NEW.scope_agencies)
    EXECUTE FUNCTION commitments_scope_guard();

-- A clerk's search: `scope_agencies && ARRAY[…] AND search_vector @@ …` in one index scan (int[] array_ops and
-- tsvector_ops; no btree_gin needed). IF NOT EXISTS: a large database may build it beforehand (docs/search.md).
CREATE INDEX IF NOT EXISTS commitment_scope_search_idx ON commitments_commitment
    USING gin (scope_agencies, search_vector);
"""

UNDO = r"""
DROP INDEX IF EXISTS commitment_scope_search_idx;
DROP TRIGGER commitments_scope_guard_update ON commitments_commitment;
DROP TRIGGER commitments_scope_guard_insert ON commitments_commitment;
DROP FUNCTION commitments_scope_guard();
DROP TRIGGER commitments_scope_link ON commitments_commitment_agencies;
DROP FUNCTION commitments_scope_link();
DROP FUNCTION commitments_scope_refresh(bigint);
DROP FUNCTION commitments_scope_of(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0012_responsibility_tally"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="scope_agencies",
            field=search.fields.ScopeAgenciesField(),
        ),
        PostgresOnlySQL(TRIGGERS, reverse_sql=UNDO),
    ]
