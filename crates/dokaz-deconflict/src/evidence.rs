//! Evidence matches: an item just taken in is matched against the other agencies' items by
//! its file's digest and, for images, by its perceptual hash (`dokaz_match::evidence`).
//!
//! Evidence does not go through the generic [`crate::record::Kind`] path, for two reasons:
//! the perceptual hash cannot be recomputed from the stored row (it needs the bytes), so
//! every item — open or sealed — keeps its [`BlindEvidence`] as its match encoding, where the
//! generic path reads "has an encoding" as "is sealed"; and comparing two encodings gives
//! the same levels and distances as comparing the items, so every comparison is between
//! encodings and no candidate's bytes or hash are ever read in the clear. Batch runs skip
//! evidence: items are matched once, at intake.

use std::collections::HashMap;

use chrono::Utc;
use dokaz_match::evidence::{is_hashable_image, phash, BlindEvidence, EvidenceFeatures};
use dokaz_match::keys::KeyBuf;
use dokaz_match::signal::{explain, Score, Signal, Sink};
use dokaz_model::{
    Classification, Evidence, EvidenceId, EvidenceState, Match, MatchKind, MatchSide,
};
use dokaz_store::blob::BlobStore;
use dokaz_store::{Recorded, StoreError};
use futures::StreamExt as _;

use crate::incremental::threshold_of;
use crate::{DeconflictError, Deconflictor, Result};

/// Items larger than this are not read back for a perceptual hash (they are still matched
/// by digest): a picture worth comparing is rarely larger, and the whole file is decoded
/// in memory.
pub const MAX_PHASH_BYTES: u64 = 64 << 20;

/// The perceptual hash of a stored item, read back from the blob store: `None` for items
/// that are not images of a hashable type, larger than [`MAX_PHASH_BYTES`], unreadable or
/// undecodable. Never an error: an intake must not fail for want of a hash. Decoding runs
/// on the blocking pool.
pub async fn image_phash(blobs: &BlobStore, item: &Evidence) -> Option<u64> {
    if !is_hashable_image(&item.media_type) || item.size > MAX_PHASH_BYTES {
        return None;
    }
    let mut stream = match blobs.get(&item.sha256, None).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(ern = %item.ern, error = %e, "no perceptual hash: the blob cannot be read");
            return None;
        }
    };
    let mut bytes = Vec::with_capacity(item.size as usize);
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) if (bytes.len() + c.len()) as u64 <= MAX_PHASH_BYTES => {
                bytes.extend_from_slice(&c)
            }
            Ok(_) => return None,
            Err(e) => {
                tracing::warn!(ern = %item.ern, error = %e, "no perceptual hash: the blob cannot be read");
                return None;
            }
        }
    }
    tokio::task::spawn_blocking(move || phash(&bytes))
        .await
        .ok()
        .flatten()
}

/// What matching knows of an item.
fn features(e: &Evidence, phash: Option<u64>) -> EvidenceFeatures {
    EvidenceFeatures {
        id: e.id,
        agency: e.agency,
        classification: e.classification,
        sha256: e.sha256.0,
        phash,
    }
}

impl Deconflictor<'_> {
    /// Matches an item just taken in. The item is filed first and matched second, so that
    /// two agencies taking in the same bytes at the same moment still find each other (the
    /// pair is then found twice and stored once).
    pub(crate) async fn written_evidence(
        &self,
        e: &Evidence,
        phash: Option<u64>,
    ) -> Result<Vec<Recorded>> {
        let kind = MatchKind::Evidence;
        let (id, agency) = (e.id.as_uuid(), e.agency);
        let sealed = e.classification == Classification::Sealed;
        let f = features(e, phash);
        let mine = BlindEvidence::encode(&f, &self.keyer);
        let mut keys = Vec::new();
        f.keys(&self.keyer, &mut KeyBuf::default(), &mut keys);
        let bytes = serde_json::to_vec(&mine).expect("encodings serialise");
        self.store
            .put_match_encoding(kind, id, agency, &bytes)
            .await?;
        self.store.file_match_keys(kind, id, agency, &keys).await?;

        let candidates = self.store.match_candidates(kind, &keys, agency).await?;
        let ids: Vec<_> = candidates.iter().map(|c| c.0).collect();
        let encodings: HashMap<_, _> = self
            .store
            .match_encodings(kind, &ids)
            .await?
            .into_iter()
            .collect();
        let threshold = threshold_of(&self.weights, kind);
        let now = Utc::now();
        let mut found = Vec::new();
        for (other, other_agency) in candidates {
            // Every item is stored with its encoding; keys without one are a write cut short.
            let Some(bytes) = encodings.get(&other) else {
                continue;
            };
            let theirs: BlindEvidence =
                serde_json::from_slice(bytes).map_err(|source| DeconflictError::Encoding {
                    kind: kind.code(),
                    record: other,
                    source,
                })?;
            let mut signals: Vec<Signal> = Vec::new();
            mine.compare(&theirs, &mut signals);
            let mut score = Score::new(&self.weights);
            for s in &signals {
                score.push(s.level, s.detail);
            }
            if signals.is_empty() || score.total < threshold {
                continue;
            }
            // Only now the other item's row: whether it is sealed, and still in use.
            let item = match self.store.evidence(EvidenceId::from_uuid(other)).await {
                Ok(item) => item,
                Err(StoreError::NotFound { .. }) => continue,
                Err(e) => return Err(e.into()),
            };
            if item.state == EvidenceState::Tombstoned {
                continue;
            }
            found.push(Match::new(
                kind,
                MatchSide::new(id, agency, sealed),
                MatchSide::new(
                    other,
                    other_agency,
                    item.classification == Classification::Sealed,
                ),
                score.total,
                explain(&signals, &self.weights),
                now,
            ));
        }
        if found.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.record_matches(&found).await?)
    }
}
