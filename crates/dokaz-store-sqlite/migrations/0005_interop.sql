-- Interoperability with the agencies' own systems (issue 13): the identifiers their
-- spreadsheets and tools give records, and the history of changes an import made.
--
-- An external id is unique per agency, source and record kind: a source's persons sheet and
-- its incidents sheet may both number their rows from 1. `content_hash` is the SHA-256 of
-- what the source said last time (the imported fields only), so a nightly re-sync knows an
-- unchanged row without reading the record.
CREATE TABLE external_ids (
    agency_id    BLOB NOT NULL REFERENCES agencies(id),
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    record_id    BLOB NOT NULL,
    content_hash BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (agency_id, source, kind, external_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX external_ids_by_record ON external_ids(record_id);

-- What an import changed in a record: one row per update, never changed or deleted.
CREATE TABLE record_history (
    id          BLOB PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    record_id   BLOB NOT NULL,
    at          INTEGER NOT NULL,
    agency_id   BLOB NOT NULL REFERENCES agencies(id),
    actor       BLOB,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    changes     TEXT NOT NULL,
    old_hash    BLOB,
    new_hash    BLOB NOT NULL
) STRICT;
CREATE INDEX record_history_by_record ON record_history(record_id, at);

CREATE TRIGGER record_history_no_update BEFORE UPDATE ON record_history
BEGIN SELECT RAISE(ABORT, 'record history is append-only'); END;
CREATE TRIGGER record_history_no_delete BEFORE DELETE ON record_history
BEGIN SELECT RAISE(ABORT, 'record history is append-only'); END;
