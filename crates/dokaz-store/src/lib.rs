//! Where dokaz keeps its records: one trait per aggregate (agencies, users, incidents, cases,
//! persons, units), implemented by `dokaz-store-sqlite` and `dokaz-store-postgres`, and one
//! conformance suite (feature `conformance`) that every backend must pass unchanged.
//!
//! The traits are object-safe (`async_trait`) so the binary can pick a backend from a URL at
//! run time and hand `Arc<dyn Store>` to everything above.
#![forbid(unsafe_code)]

mod access;
mod error;
mod interop;
mod matching;
mod page;
mod provenance;
mod traits;
mod vault;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use access::{
    ApiToken, AuditFilter, AuditStore, GrantFilter, GrantStore, Session, SessionStore,
};
pub use error::{StoreError, StoreResult};
pub use interop::{
    check_batch, hash_of, kind_of, AnyRecord, ExternalId, ExternalRecord, HistoryChange,
    HistoryEntry, ImportBatch, ImportStore, ImportWrite, RecordKind,
};
pub use matching::{Candidate, Candidates, Filing, MatchFilter, MatchStore, Recorded};
pub use page::{Cursor, Page, PageRequest, MAX_PAGE_SIZE};
pub use provenance::{family_bounds, withdrawn, ConsentStore, InterviewStore, ProvenanceStore};
pub use traits::{
    AgencyStore, CaseStore, IncidentFilter, IncidentStore, PersonStore, Store, UnitStore, UserStore,
};
pub use vault::{
    ArchivedCustodyDocument, CustodyRecord, CustodyRow, CustodyWrite, EvidenceChange,
    EvidenceFilter, EvidenceStore, LedgerEntry, LedgerStore, StoredCheckpoint,
};

pub mod sql;

pub mod blob;
