"""The SQL that keeps followup.models.ReplyRatingTally exact (PostgreSQL; migration followup 0003 installs it).

A migration imports it rather than copying it, so `rating_tally_rebuild()` and the triggers cannot disagree; a
later change to the triggers belongs in a new migration with its own copy of what it replaces.
"""

# One reply's state: its legacy satisfaction, and the latest proposer's and staff rating results ("", ok, no).
_STATE_OF = """
SELECT r.id AS response_id, r.agency_id, p.session_id,
       CASE WHEN r.satisfaction = '' THEN '' WHEN r.satisfaction IN ('satisfied', 'basically') THEN 'ok' ELSE 'no' END
           AS sat,
       r.satisfaction_channel = 'proposer' AS sat_own,
       COALESCE(o.res, '') AS own, COALESCE(s.res, '') AS staff
  FROM responses_response r
  LEFT JOIN proposals_proposal p ON p.id = r.proposal_id
  LEFT JOIN latest o ON o.response_id = r.id AND o.own
  LEFT JOIN latest s ON s.response_id = r.id AND NOT s.own
"""
_LATEST = """
latest AS (
    SELECT DISTINCT ON (x.response_id, x.collected_by = 'proposer')
           x.response_id, x.collected_by = 'proposer' AS own,
           CASE WHEN x.result IN ('satisfied', 'basically') THEN 'ok' ELSE 'no' END AS res
      FROM followup_rating x
     WHERE %(where)s
     ORDER BY x.response_id, x.collected_by = 'proposer', x.created_at DESC, x.id DESC
)
"""

# Every reply's state and the counts, from scratch (the migration's fill, a TRUNCATE, rating_tally_rebuild()).
REBUILD = (
    """
DELETE FROM followup_replyratingstate;
DELETE FROM followup_replyratingtally;
INSERT INTO followup_replyratingstate (response_id, agency_id, session_id, sat, sat_own, own, staff, counted)
WITH """
    + _LATEST % {"where": "true"}
    + _STATE_OF.replace("COALESCE(s.res, '') AS staff", "COALESCE(s.res, '') AS staff, true")
    + """;
INSERT INTO followup_replyratingtally (agency_id, session_id, sat, sat_own, own, staff, n)
SELECT agency_id, session_id, sat, sat_own, own, staff, count(*) FROM followup_replyratingstate GROUP BY 1, 2, 3, 4, 5, 6;
"""
)

TRIGGERS = (
    """
CREATE FUNCTION followup_rating_tally_add(a bigint, sess bigint, st varchar, st_own boolean, o varchar, f varchar,
                                          d bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO followup_replyratingtally AS t (agency_id, session_id, sat, sat_own, own, staff, n)
    VALUES (a, sess, st, st_own, o, f, d)
    ON CONFLICT (agency_id, session_id, sat, sat_own, own, staff) DO UPDATE SET n = t.n + EXCLUDED.n;
END $$;

-- Recount one reply: subtract the state it was counted with, add its state now (none once it is deleted). The
-- state row is locked first, so two transactions rating the same reply count it one after the other.
CREATE FUNCTION followup_reply_refresh(rid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old record;
    cur record;
BEGIN
    INSERT INTO followup_replyratingstate (response_id, sat, sat_own, own, staff, counted)
    VALUES (rid, '', false, '', '', false) ON CONFLICT DO NOTHING;
    SELECT * INTO old FROM followup_replyratingstate WHERE response_id = rid FOR UPDATE;
    IF old.counted THEN
        PERFORM followup_rating_tally_add(old.agency_id, old.session_id, old.sat, old.sat_own, old.own, old.staff, -1);
    END IF;
    WITH """
    + _LATEST % {"where": "x.response_id = rid"}
    + _STATE_OF
    + """ WHERE r.id = rid INTO cur;
    IF cur.response_id IS NULL THEN
        DELETE FROM followup_replyratingstate WHERE response_id = rid;
        RETURN;
    END IF;
    UPDATE followup_replyratingstate
       SET agency_id = cur.agency_id, session_id = cur.session_id, sat = cur.sat, sat_own = cur.sat_own,
           own = cur.own, staff = cur.staff, counted = true
     WHERE response_id = rid;
    PERFORM followup_rating_tally_add(cur.agency_id, cur.session_id, cur.sat, cur.sat_own, cur.own, cur.staff, 1);
END $$;

CREATE FUNCTION followup_rating_tally_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM followup_reply_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END $$;
CREATE TRIGGER followup_rating_tally_reply_insert_delete AFTER INSERT OR DELETE ON responses_response
    FOR EACH ROW EXECUTE FUNCTION followup_rating_tally_reply();
CREATE TRIGGER followup_rating_tally_reply_update AFTER UPDATE ON responses_response
    FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.proposal_id IS DISTINCT FROM NEW.proposal_id
                       OR OLD.satisfaction IS DISTINCT FROM NEW.satisfaction
                       OR OLD.satisfaction_channel IS DISTINCT FROM NEW.satisfaction_channel)
    EXECUTE FUNCTION followup_rating_tally_reply();

CREATE FUNCTION followup_rating_tally_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM followup_reply_refresh(OLD.response_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.response_id IS DISTINCT FROM OLD.response_id) THEN
        PERFORM followup_reply_refresh(NEW.response_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER followup_rating_tally_rating AFTER INSERT OR UPDATE OR DELETE ON followup_rating
    FOR EACH ROW EXECUTE FUNCTION followup_rating_tally_rating();

-- An item moved to another session moves its replies.
CREATE FUNCTION followup_rating_tally_session_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM followup_reply_refresh(r.id) FROM responses_response r WHERE r.proposal_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER followup_rating_tally_session_moved AFTER UPDATE OF session_id ON proposals_proposal
    FOR EACH ROW WHEN (OLD.session_id IS DISTINCT FROM NEW.session_id)
    EXECUTE FUNCTION followup_rating_tally_session_moved();

-- A TRUNCATE (Django's flush) recounts from what is left; DELETE inside, so a TRUNCATE of several tables at once
-- never truncates these twice.
CREATE FUNCTION followup_rating_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
"""
    + REBUILD
    + """
    RETURN NULL;
END $$;
CREATE TRIGGER followup_rating_tally_truncate_replies AFTER TRUNCATE ON responses_response
    FOR EACH STATEMENT EXECUTE FUNCTION followup_rating_tally_truncate();
CREATE TRIGGER followup_rating_tally_truncate_ratings AFTER TRUNCATE ON followup_rating
    FOR EACH STATEMENT EXECUTE FUNCTION followup_rating_tally_truncate();
"""
)

UNDO = """
DROP TRIGGER followup_rating_tally_truncate_ratings ON followup_rating;
DROP TRIGGER followup_rating_tally_truncate_replies ON responses_response;
DROP FUNCTION followup_rating_tally_truncate();
DROP TRIGGER followup_rating_tally_session_moved ON proposals_proposal;
DROP FUNCTION followup_rating_tally_session_moved();
DROP TRIGGER followup_rating_tally_rating ON followup_rating;
DROP FUNCTION followup_rating_tally_rating();
DROP TRIGGER followup_rating_tally_reply_update ON responses_response;
DROP TRIGGER followup_rating_tally_reply_insert_delete ON responses_response;
DROP FUNCTION followup_rating_tally_reply();
DROP FUNCTION followup_reply_refresh(bigint);
DROP FUNCTION followup_rating_tally_add(bigint, bigint, varchar, boolean, varchar, varchar, bigint);
"""
