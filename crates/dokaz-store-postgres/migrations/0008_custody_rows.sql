-- Custody events are stored once, as their ledger entries. The entry (`dokaz-custody-v1`)
-- carries every field of the event, so the JSON copy in `custody_events.doc` was a second
-- serialisation of each event, written on every append. A custody row now says only which
-- event and which item the entry at its index is filed under; readers decode the entry, and
-- `fsck` checks that the entry names the row's event and item. The same change as the SQLite
-- backend's 0008.
--
-- Existing rows keep their index, event id and item. The history an application shows is
-- from here on what the signed log says. The old documents are not dropped: a document that
-- differs from its signed entry is evidence that the database was edited, and nothing may be
-- lost. Each one moves, as it was stored (the JSONB's text), to `custody_documents_archive`
-- under its ledger index; the archive is append-only like the ledger, nothing writes to it
-- after this migration (a fresh database's is empty), and `fsck` checks every archived
-- document against the signed entry at its index. Dropping a column fires no row trigger,
-- so the append-only triggers of custody_events stay as they are.
CREATE TABLE custody_documents_archive (
    ledger_index BIGINT PRIMARY KEY CHECK (ledger_index >= 0)
                 REFERENCES ledger_entries(idx),
    doc          TEXT NOT NULL
);

INSERT INTO custody_documents_archive (ledger_index, doc)
    SELECT ledger_index, doc::text FROM custody_events ORDER BY ledger_index;

CREATE TRIGGER custody_documents_archive_append_only
    BEFORE UPDATE OR DELETE ON custody_documents_archive
    FOR EACH ROW EXECUTE FUNCTION dokaz_refuse_change();
CREATE TRIGGER custody_documents_archive_no_truncate
    BEFORE TRUNCATE ON custody_documents_archive
    FOR EACH STATEMENT EXECUTE FUNCTION dokaz_refuse_change();

ALTER TABLE custody_events DROP COLUMN doc;
