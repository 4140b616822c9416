//! The custody ledger in SQLite: appending (through `append.rs`), reading entries, leaf
//! hashes and events back by position, and keeping signed checkpoints.

use async_trait::async_trait;
use chrono::DateTime;
use dokaz_model::EvidenceId;
use dokaz_store::sql::backend;
use dokaz_store::sql::batch::{
    archive_page_limit, archived_document, custody_records, custody_row, db_index, from_db_index,
    leaf_hash_bytes, ledger_entry, prepare_batch, PreparedWrite,
};
use dokaz_store::{
    ArchivedCustodyDocument, CustodyRecord, CustodyRow, LedgerEntry, LedgerStore, StoreError,
    StoreResult, StoredCheckpoint,
};

use crate::{micros, SqliteStore};

fn checkpoint((size, note, at): (i64, String, i64)) -> StoreResult<StoredCheckpoint> {
    Ok(StoredCheckpoint {
        size: from_db_index(size)?,
        note,
        created_at: DateTime::from_timestamp_micros(at)
            .ok_or_else(|| StoreError::Backend(format!("checkpoint time {at} out of range")))?,
    })
}

#[async_trait]
impl LedgerStore for SqliteStore {
    async fn append_prepared(&self, batch: &[PreparedWrite]) -> StoreResult<Vec<u64>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        // Serialising and hashing happened before, on the submitters' tasks.
        let prepared = prepare_batch(batch)?;
        self.write_prepared(&prepared).await
    }

    async fn ledger_size(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries")
            .fetch_one(&self.read)
            .await
            .map_err(backend)?;
        from_db_index(n)
    }

    async fn ledger_entries(&self, from: u64, to: u64) -> StoreResult<Vec<LedgerEntry>> {
        let rows: Vec<(i64, String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
            "SELECT idx, kind, entry, leaf_hash FROM ledger_entries \
             WHERE idx >= ? AND idx < ? ORDER BY idx",
        )
        .bind(db_index(from))
        .bind(db_index(to))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(ledger_entry).collect()
    }

    async fn leaf_hashes(&self, from: u64, to: u64) -> StoreResult<Vec<[u8; 32]>> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT leaf_hash FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
        )
        .bind(db_index(from))
        .bind(db_index(to))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(|h| leaf_hash_bytes(h)).collect()
    }

    async fn custody_history(&self, evidence: EvidenceId) -> StoreResult<Vec<CustodyRecord>> {
        let rows = sqlx::query_as(
            "SELECT c.ledger_index, l.entry FROM custody_events c \
             LEFT JOIN ledger_entries l ON l.idx = c.ledger_index \
             WHERE c.evidence_id = ? ORDER BY c.ledger_index",
        )
        .bind(evidence.as_uuid())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        custody_records(rows)
    }

    async fn custody_range(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRecord>> {
        let rows = sqlx::query_as(
            "SELECT c.ledger_index, l.entry FROM custody_events c \
             LEFT JOIN ledger_entries l ON l.idx = c.ledger_index \
             WHERE c.ledger_index >= ? AND c.ledger_index < ? ORDER BY c.ledger_index",
        )
        .bind(db_index(from))
        .bind(db_index(to))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        custody_records(rows)
    }

    async fn custody_rows(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRow>> {
        let rows: Vec<(i64, uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
            "SELECT ledger_index, id, evidence_id FROM custody_events \
             WHERE ledger_index >= ? AND ledger_index < ? ORDER BY ledger_index",
        )
        .bind(db_index(from))
        .bind(db_index(to))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(custody_row).collect()
    }

    async fn archived_custody_documents(
        &self,
        from: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArchivedCustodyDocument>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT ledger_index, doc FROM custody_documents_archive \
             WHERE ledger_index >= ? ORDER BY ledger_index LIMIT ?",
        )
        .bind(db_index(from))
        .bind(archive_page_limit(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(archived_document).collect()
    }

    async fn save_checkpoint(&self, c: &StoredCheckpoint) -> StoreResult<()> {
        // DO NOTHING: the first checkpoint of a size was signed and may have been witnessed;
        // it stays what the store says the log was.
        sqlx::query(
            "INSERT INTO checkpoints (size, note, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (size) DO NOTHING",
        )
        .bind(db_index(c.size))
        .bind(&c.note)
        .bind(micros(c.created_at))
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn latest_checkpoint(&self) -> StoreResult<Option<StoredCheckpoint>> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT size, note, created_at FROM checkpoints ORDER BY size DESC LIMIT 1",
        )
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(checkpoint).transpose()
    }

    async fn checkpoint_at(&self, size: u64) -> StoreResult<StoredCheckpoint> {
        let row: Option<(i64, String, i64)> =
            sqlx::query_as("SELECT size, note, created_at FROM checkpoints WHERE size = ?")
                .bind(db_index(size))
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
        checkpoint(row.ok_or_else(|| StoreError::not_found("checkpoint of size", size))?)
    }
}
