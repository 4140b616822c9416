//! What the SQL backends share: records kept as canonical JSON documents beside the columns
//! that are indexed, filtered or constrained, and one mapping from `sqlx` errors to
//! [`StoreError`].
//!
//! The document is the record's one serialisation (the same JSON the API speaks), so a new
//! optional field needs no migration; columns are projections written in the same statement
//! and exist only where the database must enforce or search something.

pub mod access;
pub mod batch;
pub mod matching;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::StoreError;

pub fn to_doc<T: Serialize>(record: &T) -> Result<String, StoreError> {
    serde_json::to_string(record).map_err(StoreError::from)
}

pub fn from_doc<T: DeserializeOwned>(doc: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc).map_err(StoreError::from)
}

/// Maps a database error; a uniqueness violation becomes `Conflict` with the caller's words
/// for the rule, since the constraint name means nothing to a user.
pub fn map_err(conflict: impl FnOnce() -> String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict { what: conflict() }
        }
        _ => StoreError::backend(e),
    }
}

/// Maps an error where no uniqueness rule applies.
pub fn backend(e: sqlx::Error) -> StoreError {
    StoreError::backend(e)
}

/// `NotFound` when an UPDATE touched no row.
pub fn expect_one(rows: u64, entity: &'static str, key: impl ToString) -> Result<(), StoreError> {
    if rows == 0 {
        Err(StoreError::not_found(entity, key))
    } else {
        Ok(())
    }
}

/// Rows per multi-row INSERT in bulk writes: far below both engines' bind-parameter limits
/// (SQLite 32,766; PostgreSQL 65,535) for our widest table, and large enough that a 100,000
/// row import is a few hundred statements.
pub const BULK_CHUNK: usize = 500;
