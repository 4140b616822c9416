-- Provenance and consent: consents of persons (per person or per statement) and the
-- interview register. Collection records and derivative links live in the evidence
-- document (they are fixed at intake); a family is found by its ERN prefix on the unique
-- ERN index.
--
-- A consent is never deleted and changes only by its withdrawal, set once; an interview
-- record never changes. The triggers hold the database to that.

CREATE TABLE consents (
    id           BLOB PRIMARY KEY NOT NULL,
    person_id    BLOB NOT NULL REFERENCES persons(id),
    agency_id    BLOB NOT NULL REFERENCES agencies(id),
    -- The one statement covered; NULL: all the person's statements and their identity.
    statement_id BLOB REFERENCES evidence(id),
    given_on     TEXT NOT NULL,
    withdrawn_on TEXT,
    doc          TEXT NOT NULL
) STRICT;
CREATE INDEX consents_by_person ON consents(person_id, id);
CREATE INDEX consents_by_statement ON consents(statement_id) WHERE statement_id IS NOT NULL;

CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
    SELECT RAISE(ABORT, 'consents are never deleted: record a withdrawal instead');
END;
-- The one change a consent may undergo: its withdrawal, once, which sets withdrawn_on and
-- adds the withdrawal fields to the document.
CREATE TRIGGER consents_withdrawal_only BEFORE UPDATE ON consents
WHEN OLD.withdrawn_on IS NOT NULL
    OR NEW.withdrawn_on IS NULL
    OR NEW.id IS NOT OLD.id
    OR NEW.person_id IS NOT OLD.person_id
    OR NEW.agency_id IS NOT OLD.agency_id
    OR NEW.statement_id IS NOT OLD.statement_id
    OR NEW.given_on IS NOT OLD.given_on
    OR json_remove(NEW.doc, '$.withdrawn_on', '$.withdrawal_recorded_by', '$.withdrawal_recorded_at')
        IS NOT json_remove(OLD.doc, '$.withdrawn_on', '$.withdrawal_recorded_by', '$.withdrawal_recorded_at')
BEGIN
    SELECT RAISE(ABORT, 'consents are never changed, only withdrawn once');
END;

CREATE TABLE interviews (
    id        BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES persons(id),
    agency_id BLOB NOT NULL REFERENCES agencies(id),
    date      TEXT NOT NULL,
    doc       TEXT NOT NULL
) STRICT;
CREATE INDEX interviews_by_person ON interviews(person_id, date);
CREATE INDEX interviews_by_agency ON interviews(agency_id, id);

CREATE TRIGGER interviews_no_update BEFORE UPDATE ON interviews
BEGIN
    SELECT RAISE(ABORT, 'the interview register is append-only: records are never changed');
END;
CREATE TRIGGER interviews_no_delete BEFORE DELETE ON interviews
BEGIN
    SELECT RAISE(ABORT, 'the interview register is append-only: records are never deleted');
END;
