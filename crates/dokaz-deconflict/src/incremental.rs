//! Matching one record at the moment it is written: its probe keys find the other agencies'
//! candidates in the stored keys, each candidate is compared (through blind encodings when
//! either side is sealed), the matches are recorded for both agencies, and the record is
//! filed under its own keys for the records that come after it.

use std::collections::HashMap;

use chrono::Utc;
use dokaz_match::engine::Comparable;
use dokaz_match::signal::{explain, Score, Signal};
use dokaz_model::{Match, MatchSide};
use dokaz_store::{Recorded, StoreError};

use crate::record::{IncidentKind, KeyScratch, Kind, PersonKind, UnitKind, Written};
use crate::{DeconflictError, Deconflictor, Result};

impl Deconflictor<'_> {
    /// Matches a record just created or updated against every other agency's records, and
    /// records what it finds. Returns the matches as stored (each with whether it is new).
    pub async fn written(&self, record: Written<'_>) -> Result<Vec<Recorded>> {
        match record {
            Written::Incident(r) => self.written_as::<IncidentKind>(r).await,
            Written::Person(r) => self.written_as::<PersonKind>(r).await,
            Written::Unit(r) => self.written_as::<UnitKind>(r).await,
            Written::Evidence(e, phash) => self.written_evidence(e, phash).await,
        }
    }

    async fn written_as<K: Kind>(&self, r: &K::Record) -> Result<Vec<Recorded>> {
        let (id, agency, sealed) = (K::id(r), K::agency(r), K::sealed(r));
        let features = K::features(r);
        let (mut filed, mut probes) = (Vec::new(), Vec::new());
        let mut scratch = KeyScratch::default();
        K::filed(&features, &self.keyer, &mut scratch, &mut filed);
        K::probes(&features, &self.keyer, &mut scratch, &mut probes);

        let candidates = self
            .store
            .match_candidates(K::KIND, &probes, agency)
            .await?;
        let ids: Vec<_> = candidates.iter().map(|c| c.0).collect();
        // The sealed candidates: all that is ever read of them is their encoding.
        let encodings: HashMap<_, _> = self
            .store
            .match_encodings(K::KIND, &ids)
            .await?
            .into_iter()
            .collect();
        let own_blind = (sealed || !encodings.is_empty()).then(|| K::blind(&features, &self.keyer));

        let threshold = threshold_of(&self.weights, K::KIND);
        let now = Utc::now();
        let mut found = Vec::new();
        for (other, other_agency) in candidates {
            let mut signals: Vec<Signal> = Vec::new();
            let other_sealed = match encodings.get(&other) {
                Some(bytes) => {
                    let theirs: K::Blind = serde_json::from_slice(bytes).map_err(|source| {
                        DeconflictError::Encoding {
                            kind: K::KIND.code(),
                            record: other,
                            source,
                        }
                    })?;
                    let mine = own_blind.as_ref().expect("computed when encodings exist");
                    mine.compare(&theirs, &mut signals);
                    true
                }
                None => {
                    let record = match K::load(self.store, other).await {
                        Ok(record) => record,
                        // Keys may outlive a record deleted meanwhile: nothing to match.
                        Err(StoreError::NotFound { .. }) => continue,
                        Err(e) => return Err(e.into()),
                    };
                    let theirs = K::features(&record);
                    if let Some(mine) = &own_blind {
                        mine.compare(&K::blind(&theirs, &self.keyer), &mut signals);
                    } else if features.may_match(&theirs) {
                        features.compare(&theirs, &mut signals);
                    } else {
                        continue;
                    }
                    false
                }
            };
            let mut score = Score::new(&self.weights);
            for s in &signals {
                dokaz_match::signal::Sink::push(&mut score, s.level, s.detail);
            }
            if score.total < threshold {
                continue;
            }
            found.push(Match::new(
                K::KIND,
                MatchSide::new(id, agency, sealed),
                MatchSide::new(other, other_agency, other_sealed),
                score.total,
                explain(&signals, &self.weights),
                now,
            ));
        }
        let recorded = if found.is_empty() {
            Vec::new()
        } else {
            self.store.record_matches(&found).await?
        };
        self.store
            .file_match_keys(K::KIND, id, agency, &filed)
            .await?;
        if let Some(blind) = own_blind.filter(|_| sealed) {
            let bytes = serde_json::to_vec(&blind).expect("encodings serialise");
            self.store
                .put_match_encoding(K::KIND, id, agency, &bytes)
                .await?;
        }
        Ok(recorded)
    }
}

/// The threshold for one kind of record.
pub(crate) fn threshold_of(w: &dokaz_match::weights::Weights, kind: dokaz_model::MatchKind) -> f64 {
    use dokaz_model::MatchKind as K;
    match kind {
        K::Incident => w.threshold.incident,
        K::Person => w.threshold.person,
        K::Unit | K::Evidence => w.threshold.unit,
    }
}
