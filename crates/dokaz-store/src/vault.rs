//! The storage contract of the evidence vault: evidence rows, custody events and the ledger
//! entries they become, written together so that a custody event exists exactly when its
//! ledger entry does.

use async_trait::async_trait;
use dokaz_model::{
    AgencyId, CaseId, CustodyEvent, CustodyEventId, Ern, Evidence, EvidenceId, IncidentId, Sha256,
};

use crate::error::StoreResult;
use crate::page::{Page, PageRequest};
use crate::sql::batch::{prepare_writes, PreparedWrite};

/// Which evidence items a list covers. Empty means all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceFilter {
    pub agency: Option<AgencyId>,
    pub case: Option<CaseId>,
    pub incident: Option<IncidentId>,
    pub sha256: Option<Sha256>,
}

/// What a custody write does to the evidence row beside the event.
#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceChange {
    /// The event changes no registry row (e.g. an access).
    None,
    /// An intake of a new item: the row is inserted. `Conflict` if the ERN exists.
    Insert(Evidence),
    /// The event changes the item's mutable fields (classification, state, links); the row is
    /// replaced. `NotFound` if it does not exist.
    Update(Evidence),
}

/// One custody event with its effect on the registry, appended as one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CustodyWrite {
    pub event: CustodyEvent,
    pub change: EvidenceChange,
}

/// A stored ledger entry: its position in the log and its bytes. The leaf hash is
/// `dokaz_ledger::leaf_hash(&entry)`; backends keep it beside the entry for fast tree
/// rebuilding, and `fsck` recomputes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub index: u64,
    /// What kind of record the entry is (`custody`; later `audit`), for readers that
    /// select.
    pub kind: String,
    pub entry: Vec<u8>,
    pub leaf_hash: [u8; 32],
}

/// A custody event as stored, with the ledger position it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct CustodyRecord {
    pub ledger_index: u64,
    pub event: CustodyEvent,
}

/// A custody event's row as stored beside its ledger entry: which event and which item the
/// entry at `ledger_index` is filed under. The event itself is read from the entry (the row
/// keeps no copy of it); `fsck` checks that the entry names the same event and item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustodyRow {
    pub ledger_index: u64,
    pub id: CustodyEventId,
    pub evidence: EvidenceId,
}

/// A custody event's JSON document from before migration 0008, when each custody row kept
/// one beside its ledger entry: kept, as it was stored, in an append-only archive under the
/// entry's index. A document that does not describe the event its entry holds is evidence
/// of an edit; `fsck` checks each one. Nothing writes the archive after the migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedCustodyDocument {
    pub ledger_index: u64,
    /// The JSON of the [`CustodyEvent`], as the store wrote it (on PostgreSQL, the text of
    /// the JSONB value).
    pub doc: String,
}

/// A signed checkpoint as stored: the C2SP signed note text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub note: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[async_trait]
pub trait EvidenceStore: Send + Sync {
    async fn evidence(&self, id: EvidenceId) -> StoreResult<Evidence>;
    async fn evidence_by_ern(&self, ern: &Ern) -> StoreResult<Evidence>;
    async fn list_evidence(
        &self,
        filter: &EvidenceFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Evidence>>;
    /// Reserves the next ERN sequence number for an agency and case segment, durably: a
    /// number once handed out is never handed out again, even if the intake then fails.
    async fn next_ern_sequence(&self, agency: AgencyId, case_segment: &str) -> StoreResult<u32>;
    /// Every distinct blob digest the registry refers to, for `fsck`'s orphan check.
    async fn all_blob_digests(&self) -> StoreResult<Vec<Sha256>>;
}

#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Appends a batch in one transaction: gives the events consecutive ledger indexes from
    /// the current size, stores each event, its entry (`event.ledger_entry()`, kind
    /// `custody`) and leaf hash, and applies each evidence change. All or nothing; durable
    /// when it returns. Returns the indexes in batch order. This is the group commit: many
    /// intakes, one fsync.
    async fn append_custody(&self, batch: &[CustodyWrite]) -> StoreResult<Vec<u64>> {
        self.append_prepared(&prepare_writes(batch)?).await
    }
    /// [`LedgerStore::append_custody`] of writes already serialised and hashed, each by
    /// whoever submitted it, so that the one path every write shares only writes rows.
    async fn append_prepared(&self, batch: &[PreparedWrite]) -> StoreResult<Vec<u64>>;
    /// How many entries the log holds.
    async fn ledger_size(&self) -> StoreResult<u64>;
    /// Entries with `from <= index < to`, in index order.
    async fn ledger_entries(&self, from: u64, to: u64) -> StoreResult<Vec<LedgerEntry>>;
    /// Leaf hashes with `from <= index < to`, in index order: what rebuilding the tree needs.
    async fn leaf_hashes(&self, from: u64, to: u64) -> StoreResult<Vec<[u8; 32]>>;
    /// An item's custody history, oldest first, each event decoded from its ledger entry.
    async fn custody_history(&self, evidence: EvidenceId) -> StoreResult<Vec<CustodyRecord>>;
    /// Every custody event with `from <= ledger_index < to`, in ledger order, each decoded
    /// from its ledger entry.
    async fn custody_range(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRecord>>;
    /// The custody rows with `from <= ledger_index < to`, in ledger order, as stored, for
    /// `fsck` to hold against the entries.
    async fn custody_rows(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRow>>;
    /// One page of the archived custody documents (see [`ArchivedCustodyDocument`]): at most
    /// `limit` (clamped to `1..=`[`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE)) with `ledger_index >= from`, in ledger
    /// order, for `fsck` to hold against the entries. The next page starts after the last
    /// index returned; an empty page is the end.
    async fn archived_custody_documents(
        &self,
        from: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArchivedCustodyDocument>>;
    /// Keeps a signed checkpoint. Storing the same size twice keeps the first.
    async fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> StoreResult<()>;
    async fn latest_checkpoint(&self) -> StoreResult<Option<StoredCheckpoint>>;
    async fn checkpoint_at(&self, size: u64) -> StoreResult<StoredCheckpoint>;
}
