-- Custody events are stored once, as their ledger entries. The entry (`dokaz-custody-v1`)
-- carries every field of the event, so the JSON copy in `custody_events.doc` was a second
-- serialisation of each event, written on every append and read nowhere the entry could not
-- be. A custody row now says only which event and which item the entry at its index is filed
-- under; readers decode the entry, and `fsck` checks that the entry names the row's event
-- and item.
--
-- The table is rebuilt (SQLite cannot drop a column that a constraint or index names, and the
-- ledger index becomes the rowid, so the row needs no separate unique index). Existing rows
-- keep their index, event id and item. The history an application shows is from here on
-- what the signed log says, so an edited document can no longer mislead it.
--
-- The old documents are not dropped: a document that differs from its signed entry is
-- evidence that the database was edited, and nothing may be lost. Each one moves, as it was
-- stored, to `custody_documents_archive` under its ledger index; the archive is append-only
-- like the ledger, nothing writes to it after this migration (a fresh database's is empty),
-- and `fsck` checks every archived document against the signed entry at its index.
--
-- Dropping the old table drops its triggers (a DROP fires no DELETE trigger); they are made
-- again on the new one.
CREATE TABLE custody_documents_archive (
    ledger_index INTEGER PRIMARY KEY NOT NULL CHECK (ledger_index >= 0)
                 REFERENCES ledger_entries(idx),
    doc          TEXT NOT NULL
) STRICT;

INSERT INTO custody_documents_archive (ledger_index, doc)
    SELECT ledger_index, doc FROM custody_events ORDER BY ledger_index;

CREATE TRIGGER custody_documents_archive_no_update BEFORE UPDATE ON custody_documents_archive
BEGIN
    SELECT RAISE(ABORT, 'custody_documents_archive is append-only: documents are never changed');
END;
CREATE TRIGGER custody_documents_archive_no_delete BEFORE DELETE ON custody_documents_archive
BEGIN
    SELECT RAISE(ABORT, 'custody_documents_archive is append-only: documents are never deleted');
END;

CREATE TABLE custody_events_v2 (
    ledger_index INTEGER PRIMARY KEY NOT NULL CHECK (ledger_index >= 0)
                 REFERENCES ledger_entries(idx),
    id           BLOB NOT NULL UNIQUE,
    evidence_id  BLOB NOT NULL REFERENCES evidence(id)
) STRICT;

INSERT INTO custody_events_v2 (ledger_index, id, evidence_id)
    SELECT ledger_index, id, evidence_id FROM custody_events ORDER BY ledger_index;

DROP TABLE custody_events;
ALTER TABLE custody_events_v2 RENAME TO custody_events;
CREATE INDEX custody_events_by_evidence ON custody_events(evidence_id, ledger_index);

CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only: events are never changed');
END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN
    SELECT RAISE(ABORT, 'custody_events is append-only: events are never deleted');
END;
