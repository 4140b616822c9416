//! Where dokaz keeps its records: one trait per aggregate (agencies, users, incidents, cases,
//! persons, units), implemented by `dokaz-store-sqlite` and `dokaz-store-postgres`, and one
//! conformance suite (feature `conformance`) that every backend must pass unchanged.
//!
//! The traits are object-safe (`async_trait`) so the binary can pick a backend from a URL at
//! run time and hand `Arc<dyn Store>` to everything above.
#![forbid(unsafe_code)]

mod access;
mod error;
mod page;
mod traits;
mod vault;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use access::{
    ApiToken, AuditFilter, AuditStore, GrantFilter, GrantStore, Session, SessionStore,
};
pub use error::{StoreError, StoreResult};
pub use page::{Cursor, Page, PageRequest, MAX_PAGE_SIZE};
pub use traits::{
    AgencyStore, CaseStore, IncidentFilter, IncidentStore, PersonStore, Store, UnitStore, UserStore,
};
pub use vault::{
    CustodyRecord, CustodyWrite, EvidenceChange, EvidenceFilter, EvidenceStore, LedgerEntry,
    LedgerStore, StoredCheckpoint,
};

pub mod sql;

pub mod blob;
