-- Provenance and consent: consents of persons (per person or per statement) and the
-- interview register. Collection records and derivative links live in the evidence
-- document (they are fixed at intake); a family is found by its ERN prefix, which the
-- pattern index below serves whatever the database's collation.
--
-- A consent is never deleted and changes only by its withdrawal, set once; an interview
-- record never changes. The triggers hold the database to that.

CREATE INDEX evidence_ern_prefix ON evidence (ern text_pattern_ops);

CREATE TABLE consents (
    id           UUID PRIMARY KEY,
    person_id    UUID NOT NULL REFERENCES persons(id),
    agency_id    UUID NOT NULL REFERENCES agencies(id),
    -- The one statement covered; NULL: all the person's statements and their identity.
    statement_id UUID REFERENCES evidence(id),
    given_on     DATE NOT NULL,
    withdrawn_on DATE,
    doc          JSONB NOT NULL
);
CREATE INDEX consents_by_person ON consents(person_id, id);
CREATE INDEX consents_by_statement ON consents(statement_id) WHERE statement_id IS NOT NULL;

CREATE FUNCTION consents_withdrawal_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'consents are never deleted: record a withdrawal instead';
    END IF;
    IF OLD.withdrawn_on IS NOT NULL
        OR NEW.withdrawn_on IS NULL
        OR NEW.id IS DISTINCT FROM OLD.id
        OR NEW.person_id IS DISTINCT FROM OLD.person_id
        OR NEW.agency_id IS DISTINCT FROM OLD.agency_id
        OR NEW.statement_id IS DISTINCT FROM OLD.statement_id
        OR NEW.given_on IS DISTINCT FROM OLD.given_on
        OR (NEW.doc - 'withdrawn_on' - 'withdrawal_recorded_by' - 'withdrawal_recorded_at')
            IS DISTINCT FROM (OLD.doc - 'withdrawn_on' - 'withdrawal_recorded_by' - 'withdrawal_recorded_at')
    THEN
        RAISE EXCEPTION 'consents are never changed, only withdrawn once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consents_withdrawal_only BEFORE UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION consents_withdrawal_only();

CREATE TABLE interviews (
    id        UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES persons(id),
    agency_id UUID NOT NULL REFERENCES agencies(id),
    date      DATE NOT NULL,
    doc       JSONB NOT NULL
);
CREATE INDEX interviews_by_person ON interviews(person_id, date);
CREATE INDEX interviews_by_agency ON interviews(agency_id, id);

CREATE FUNCTION interviews_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the interview register is append-only: records are never changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER interviews_append_only BEFORE UPDATE OR DELETE ON interviews
    FOR EACH ROW EXECUTE FUNCTION interviews_append_only();
