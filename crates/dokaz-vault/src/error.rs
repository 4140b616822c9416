//! The vault's one error type: what went wrong, naming the item (ERN or digest) and field.

use dokaz_model::{Ern, Problems, Sha256};
use dokaz_store::blob::BlobError;
use dokaz_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The bytes received are not the bytes the collector declared; nothing was stored.
    #[error("declared SHA-256 {declared} does not match the received bytes' {computed}; nothing was stored")]
    HashMismatch { declared: Sha256, computed: Sha256 },

    /// A request field is unusable.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    /// The item record failed validation; nothing was stored.
    #[error("invalid evidence record: {0}")]
    Record(Problems),

    /// No item with that ERN.
    #[error("no evidence item {0}")]
    UnknownErn(Ern),

    /// The action does not apply to the item in its present state (e.g. sealing a sealed
    /// item).
    #[error("{ern}: cannot {action}: {reason}")]
    Transition {
        ern: Ern,
        action: &'static str,
        reason: String,
    },

    /// The stored log does not match its own signed checkpoint; writing is refused until
    /// `fsck` has been run and the cause understood, so that no new checkpoint signs a
    /// tampered tree.
    #[error("the ledger does not match its latest checkpoint ({0}); run fsck")]
    LedgerDiverged(String),

    /// A proof was asked for sizes the log does not have.
    #[error("proof: {0}")]
    Proof(String),

    /// A proof failed to verify.
    #[error("proof does not verify: {0}")]
    Verify(String),

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error(transparent)]
    Blob(#[from] BlobError),

    /// The sequencer or publisher task is gone (the vault is shutting down).
    #[error("the ledger sequencer stopped: {0}")]
    Stopped(String),

    /// Signing or reading a checkpoint or tile failed.
    #[error("ledger: {0}")]
    Ledger(String),
}

impl VaultError {
    pub(crate) fn ledger(e: impl std::fmt::Display) -> Self {
        Self::Ledger(e.to_string())
    }
}

pub type VaultResult<T> = Result<T, VaultError>;
