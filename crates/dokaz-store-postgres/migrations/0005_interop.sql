-- Interoperability with the agencies' own systems (issue 13): the identifiers their
-- spreadsheets and tools give records, and the history of changes an import made.
-- The same shape as the SQLite backend's.
--
-- An external id is unique per agency, source and record kind: a source's persons sheet and
-- its incidents sheet may both number their rows from 1. `content_hash` is the SHA-256 of
-- what the source said last time (the imported fields only), so a nightly re-sync knows an
-- unchanged row without reading the record.
CREATE TABLE external_ids (
    agency_id    UUID NOT NULL REFERENCES agencies(id),
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    record_id    UUID NOT NULL,
    content_hash BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, source, kind, external_id)
);
CREATE INDEX external_ids_by_record ON external_ids(record_id);

-- What an import changed in a record: one row per update, never changed or deleted.
CREATE TABLE record_history (
    id          UUID PRIMARY KEY,
    kind        TEXT NOT NULL,
    record_id   UUID NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    agency_id   UUID NOT NULL REFERENCES agencies(id),
    actor       UUID,
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    changes     JSONB NOT NULL,
    old_hash    BYTEA,
    new_hash    BYTEA NOT NULL
);
CREATE INDEX record_history_by_record ON record_history(record_id, at);

CREATE FUNCTION record_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'record history is append-only';
END $$;
CREATE TRIGGER record_history_no_change BEFORE UPDATE OR DELETE ON record_history
    FOR EACH ROW EXECUTE FUNCTION record_history_append_only();
