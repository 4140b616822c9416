-- The evidence vault: the evidence registry, ERN sequences, the ledger's entries, the custody
-- events they encode, and signed checkpoints. The same shape as the SQLite backend's.
--
-- `ledger_entries`, `custody_events` and `checkpoints` are append-only: triggers refuse UPDATE
-- and DELETE (and TRUNCATE), so rewriting history takes a deliberate act (dropping the
-- triggers) that `fsck` and the signed checkpoints will expose, never a stray statement.

CREATE TABLE evidence (
    id             UUID PRIMARY KEY,
    agency_id      UUID NOT NULL REFERENCES agencies(id),
    ern            TEXT NOT NULL UNIQUE,
    sha256         BYTEA NOT NULL CHECK (length(sha256) = 32),
    case_id        UUID,
    classification TEXT NOT NULL,
    doc            JSONB NOT NULL
);
CREATE INDEX evidence_by_agency ON evidence(agency_id, id);
CREATE INDEX evidence_by_case ON evidence(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX evidence_by_sha256 ON evidence(sha256);

-- Which incidents an item is linked to, for the incident filter. No foreign key to
-- `incidents`: a link may name an incident that reached this node later, or not yet.
CREATE TABLE evidence_incidents (
    evidence_id UUID NOT NULL REFERENCES evidence(id),
    incident_id UUID NOT NULL,
    PRIMARY KEY (incident_id, evidence_id)
);
CREATE INDEX evidence_incidents_by_evidence ON evidence_incidents(evidence_id);

-- The last ERN sequence number handed out per agency and case segment. Numbers are never
-- reused, so rows only grow; six digits is the ERN's limit.
CREATE TABLE ern_sequences (
    agency_id    UUID NOT NULL REFERENCES agencies(id),
    case_segment TEXT NOT NULL,
    last         INTEGER NOT NULL CHECK (last BETWEEN 1 AND 999999),
    PRIMARY KEY (agency_id, case_segment)
);

-- The Merkle log's leaves in order. The leaf hash is kept so a tree can be rebuilt without
-- rehashing every entry; `fsck` recomputes it.
CREATE TABLE ledger_entries (
    idx       BIGINT PRIMARY KEY CHECK (idx >= 0),
    kind      TEXT NOT NULL,
    entry     BYTEA NOT NULL,
    leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32)
);

CREATE TABLE custody_events (
    id           UUID PRIMARY KEY,
    evidence_id  UUID NOT NULL REFERENCES evidence(id),
    ledger_index BIGINT NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    doc          JSONB NOT NULL
);
CREATE INDEX custody_events_by_evidence ON custody_events(evidence_id, ledger_index);

CREATE TABLE checkpoints (
    size       BIGINT PRIMARY KEY CHECK (size >= 0),
    note       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE FUNCTION dokaz_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events
    FOR EACH ROW EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER custody_events_no_truncate BEFORE TRUNCATE ON custody_events
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();
