//! Deconfliction as a service of the node: every incident, person or unit written is matched
//! at once against the other agencies' records (through the blocking keys stored beside the
//! records, so a node needs no in-memory index and any number of nodes can share one
//! database), and whole record sets can be matched again in batch after a bulk import or a
//! change of weights or key. Both agencies of a match see it as `new` on their side.
//!
//! A sealed record is never compared in the clear: it is filed under keyed blocking keys and
//! stored as a blind encoding (see `dokaz_match::blind`), and every comparison it takes part
//! in is between encodings. Its match carries no reasons, and the other agency learns only
//! which agency holds a matching record.
#![forbid(unsafe_code)]

mod batch;
mod evidence;
mod imported;
mod incremental;
mod interviews;
pub mod key;
mod layouts;
mod record;

use dokaz_match::keys::Keyer;
use dokaz_match::weights::Weights;
use dokaz_store::{Store, StoreError};

pub use batch::{BatchOptions, BatchSummary, KindSummary, Progress};
pub use evidence::{image_phash, MAX_PHASH_BYTES};
pub use imported::{ImportMatching, ONE_BY_ONE};
pub use incremental::Found;
pub use interviews::{InterviewCheck, PriorInterviews};
pub use layouts::StaleKeys;
pub use record::Written;

#[derive(Debug, thiserror::Error)]
pub enum DeconflictError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a stored blind encoding of {kind} {record} cannot be read: {source}")]
    Encoding {
        kind: &'static str,
        record: uuid::Uuid,
        #[source]
        source: serde_json::Error,
    },
}

pub type Result<T> = std::result::Result<T, DeconflictError>;

/// The matching key's length: 256 bits, as HMAC-SHA-256 wants.
pub const KEY_BYTES: usize = 32;

/// The matcher of one node: weights, and the deployment's matching key.
pub struct Deconflictor<'s> {
    store: &'s dyn Store,
    weights: Weights,
    keyer: Keyer,
}

impl std::fmt::Debug for Deconflictor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deconflictor")
            .field("backend", &self.store.backend())
            .field("keyer", &self.keyer)
            .finish_non_exhaustive()
    }
}

impl<'s> Deconflictor<'s> {
    /// `key` is the deployment's matching key, shared by its agencies: every blocking key
    /// and blind encoding is keyed with it, so stored keys reveal nothing without it.
    pub fn new(store: &'s dyn Store, weights: Weights, key: &[u8]) -> Self {
        Self {
            store,
            weights,
            keyer: Keyer::keyed(key),
        }
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }
}
