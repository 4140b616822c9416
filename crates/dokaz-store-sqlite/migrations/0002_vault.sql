-- The evidence vault: the evidence registry, ERN sequences, the ledger's entries, the custody
-- events they encode, and signed checkpoints.
--
-- `ledger_entries` and `custody_events` are append-only: triggers refuse UPDATE and DELETE,
-- so rewriting history takes a deliberate act (dropping the triggers) that `fsck` and the
-- signed checkpoints will expose, never a stray statement.

CREATE TABLE evidence (
    id             BLOB PRIMARY KEY NOT NULL,
    agency_id      BLOB NOT NULL REFERENCES agencies(id),
    ern            TEXT NOT NULL UNIQUE,
    sha256         BLOB NOT NULL CHECK (length(sha256) = 32),
    case_id        BLOB,
    classification TEXT NOT NULL,
    doc            TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_by_agency ON evidence(agency_id, id);
CREATE INDEX evidence_by_case ON evidence(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX evidence_by_sha256 ON evidence(sha256);

-- Which incidents an item is linked to, for the incident filter. No foreign key to
-- `incidents`: a link may name an incident that reached this node later, or not yet.
CREATE TABLE evidence_incidents (
    evidence_id BLOB NOT NULL REFERENCES evidence(id),
    incident_id BLOB NOT NULL,
    PRIMARY KEY (incident_id, evidence_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX evidence_incidents_by_evidence ON evidence_incidents(evidence_id);

-- The last ERN sequence number handed out per agency and case segment. Numbers are never
-- reused, so rows only grow; six digits is the ERN's limit.
CREATE TABLE ern_sequences (
    agency_id    BLOB NOT NULL REFERENCES agencies(id),
    case_segment TEXT NOT NULL,
    last         INTEGER NOT NULL CHECK (last BETWEEN 1 AND 999999),
    PRIMARY KEY (agency_id, case_segment)
) STRICT;

-- The Merkle log's leaves in order. The leaf hash is kept so a tree can be rebuilt without
-- rehashing every entry; `fsck` recomputes it.
CREATE TABLE ledger_entries (
    idx       INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
    kind      TEXT NOT NULL,
    entry     BLOB NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
) STRICT;

CREATE TABLE custody_events (
    id           BLOB PRIMARY KEY NOT NULL,
    evidence_id  BLOB NOT NULL REFERENCES evidence(id),
    ledger_index INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    doc          TEXT NOT NULL
) STRICT;
CREATE INDEX custody_events_by_evidence ON custody_events(evidence_id, ledger_index);

CREATE TABLE checkpoints (
    size       INTEGER PRIMARY KEY NOT NULL CHECK (size >= 0),
    note       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only: entries are never changed');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only: entries are never deleted');
END;
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only: events are never changed');
END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only: events are never deleted');
END;
-- A signed checkpoint, once kept, is evidence of what the log was; it is never replaced.
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are never changed');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are never deleted');
END;
