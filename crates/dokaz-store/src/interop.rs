//! Records that come from an agency's own system: the source's identifiers for them
//! (external ids) and the history of what each import changed. Bulk import and export rely on
//! this; the ordinary per-aggregate traits know nothing of it.

use std::collections::HashMap;
use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Case, Incident, Person, Unit, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreResult;

/// The kinds of record an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Incident,
    Person,
    Unit,
    Case,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [Self::Incident, Self::Person, Self::Unit, Self::Case];

    pub fn code(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::Person => "person",
            Self::Unit => "unit",
            Self::Case => "case",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One record of any kind, as an import writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    /// Boxed: an incident is several times the size of the other records.
    Incident(Box<Incident>),
    Person(Person),
    Unit(Unit),
    Case(Case),
}

impl AnyRecord {
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Incident(_) => RecordKind::Incident,
            Self::Person(_) => RecordKind::Person,
            Self::Unit(_) => RecordKind::Unit,
            Self::Case(_) => RecordKind::Case,
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Self::Incident(r) => r.id.as_uuid(),
            Self::Person(r) => r.id.as_uuid(),
            Self::Unit(r) => r.id.as_uuid(),
            Self::Case(r) => r.id.as_uuid(),
        }
    }

    pub fn agency(&self) -> AgencyId {
        match self {
            Self::Incident(r) => r.agency,
            Self::Person(r) => r.agency,
            Self::Unit(r) => r.agency,
            Self::Case(r) => r.agency,
        }
    }
}

/// What the store knows of an external id: the record it names and the hash of what the
/// source said when it was last imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalRecord {
    pub record: Uuid,
    pub content_hash: [u8; 32],
}

/// A record's external id, as an export prints it so the source can join results back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalId {
    pub record: Uuid,
    pub source: String,
    pub external_id: String,
}

/// One write of an import batch.
#[derive(Debug, Clone)]
pub struct ImportWrite {
    /// The source's id for the record; `None` for a row that carries none, which is stored
    /// as a new record every time it is imported.
    pub external_id: Option<String>,
    /// The record as it is to be stored (for an update: the stored record with the imported
    /// fields replaced, same id).
    pub record: AnyRecord,
    /// SHA-256 of the imported fields, kept beside the external id.
    pub content_hash: [u8; 32],
    /// `None` for a new record; for an update, what changed and the hash it replaces.
    pub update: Option<HistoryChange>,
}

/// What an update changed, for the record's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryChange {
    /// `{"field": {"old": …, "new": …}, …}` over the record's document.
    pub changes: serde_json::Value,
    pub old_hash: Option<[u8; 32]>,
}

/// A batch of writes from one source, applied atomically.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    pub agency: AgencyId,
    pub source: String,
    pub actor: Option<UserId>,
    pub at: DateTime<Utc>,
    pub writes: Vec<ImportWrite>,
}

/// One entry of a record's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: Uuid,
    pub kind: RecordKind,
    pub record: Uuid,
    pub at: DateTime<Utc>,
    pub agency: AgencyId,
    pub actor: Option<UserId>,
    pub source: String,
    pub external_id: String,
    pub changes: serde_json::Value,
    pub old_hash: Option<[u8; 32]>,
    pub new_hash: [u8; 32],
}

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// The records that `ids` (external ids of `kind` in `agency`'s `source`) name; ids not
    /// yet imported are absent from the map.
    async fn find_external_ids(
        &self,
        agency: AgencyId,
        source: &str,
        kind: RecordKind,
        ids: &[String],
    ) -> StoreResult<HashMap<String, ExternalRecord>>;

    /// The external ids of the given records, for exports; records without one are absent.
    async fn external_ids_of(&self, records: &[Uuid]) -> StoreResult<Vec<ExternalId>>;

    /// Applies the batch in one transaction: inserts the new records with their external
    /// ids, replaces the updated ones, moves their hashes and appends one history entry per
    /// update. All or nothing; `Conflict` when an external id is taken (an insert of an id
    /// already imported) or a record's own uniqueness rule breaks, `NotFound` when an update
    /// names a record that does not exist.
    async fn apply_import(&self, batch: &ImportBatch) -> StoreResult<()>;

    /// A record's history, oldest first.
    async fn record_history(&self, record: Uuid) -> StoreResult<Vec<HistoryEntry>>;
}

/// Checks a batch before a backend opens a transaction: every record belongs to the batch's
/// agency, updates carry their change, and no external id or record appears twice.
pub fn check_batch(batch: &ImportBatch) -> StoreResult<()> {
    use crate::error::StoreError;
    let mut seen = std::collections::HashSet::new();
    let mut records = std::collections::HashSet::new();
    for (n, w) in batch.writes.iter().enumerate() {
        if w.record.agency() != batch.agency {
            return Err(StoreError::Conflict {
                what: format!(
                    "batch[{n}] ({}) belongs to another agency than the batch",
                    w.record.id()
                ),
            });
        }
        if let Some(id) = &w.external_id {
            if !seen.insert((w.record.kind(), id.as_str())) {
                return Err(StoreError::Conflict {
                    what: format!(
                        "external id {id:?} ({}) appears twice in one batch",
                        w.record.kind()
                    ),
                });
            }
        }
        if w.update.is_some() && w.external_id.is_none() {
            return Err(StoreError::Conflict {
                what: format!(
                    "the update of record {} names no external id",
                    w.record.id()
                ),
            });
        }
        if !records.insert(w.record.id()) {
            return Err(StoreError::Conflict {
                what: format!("record {} appears twice in one batch", w.record.id()),
            });
        }
    }
    Ok(())
}

/// The `kind` of a stored history row back.
pub fn kind_of(code: &str) -> StoreResult<RecordKind> {
    RecordKind::from_code(code).ok_or_else(|| {
        crate::error::StoreError::Backend(format!("unknown record kind {code:?} stored"))
    })
}

/// A stored 32-byte hash back.
pub fn hash_of(b: &[u8]) -> StoreResult<[u8; 32]> {
    b.try_into().map_err(|_| {
        crate::error::StoreError::Backend(format!("stored hash has {} bytes, not 32", b.len()))
    })
}
