//! The one storage error type. Callers branch on `NotFound` and `Conflict`; everything else is
//! the backend's trouble and is reported, not handled.

use dokaz_model::Problems;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record of that kind with that key.
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },

    /// A uniqueness rule would be broken, e.g. a second case with the same reference in one
    /// agency. `what` names the rule in words a user understands.
    #[error("conflict: {what}")]
    Conflict { what: String },

    /// The record failed validation; nothing was written.
    #[error("invalid record: {0}")]
    Invalid(Problems),

    /// A cursor that this store did not issue.
    #[error("invalid page cursor")]
    BadCursor,

    /// The database failed or held something that cannot be read back.
    #[error("storage backend: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        Self::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    pub fn backend(e: impl std::fmt::Display) -> Self {
        Self::Backend(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Backend(format!("stored record does not decode: {e}"))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
