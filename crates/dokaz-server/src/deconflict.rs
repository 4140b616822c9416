//! Matching on every write: after an incident, person or unit is stored, or an evidence item
//! taken in, it is matched against the other agencies' records before the answer goes out,
//! so both agencies see the match at once. The write itself is already committed: a failure
//! to match is logged and does not undo it (`dokaz match run` catches up).

use std::sync::Arc;

use dokaz_deconflict::{Deconflictor, Written};
use dokaz_match::weights::Weights;

use crate::state::AppState;

/// The node's matching settings: weights and the deployment's matching key.
#[derive(Clone)]
pub struct Matching {
    pub weights: Arc<Weights>,
    pub key: Arc<[u8]>,
}

impl std::fmt::Debug for Matching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Matching").finish_non_exhaustive()
    }
}

/// Matches an evidence item just taken in, by its digest and — for an image — by the
/// perceptual hash of its bytes, read back from `blobs`; a no-op on a node without matching
/// settings.
pub async fn after_intake(
    state: &AppState,
    blobs: &dokaz_store::blob::BlobStore,
    item: &dokaz_model::Evidence,
) {
    if state.matching.is_none() {
        return;
    }
    let phash = dokaz_deconflict::image_phash(blobs, item).await;
    after_write(state, Written::Evidence(item, phash)).await;
}

/// Matches a record just written; a no-op on a node without matching settings.
pub async fn after_write(state: &AppState, record: Written<'_>) {
    let Some(m) = &state.matching else { return };
    let d = Deconflictor::new(state.store.as_ref(), (*m.weights).clone(), &m.key);
    match d.written(record).await {
        Ok(found) => {
            let new = found.iter().filter(|r| r.is_new).count();
            if new > 0 {
                tracing::info!(new, "deconfliction: new matches");
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "deconfliction failed; `dokaz match run` will catch up")
        }
    }
}
