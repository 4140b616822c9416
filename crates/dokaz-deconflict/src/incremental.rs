//! Matching one record at the moment it is written: its probe keys find the other agencies'
//! candidates in the stored keys — with the batch run's limits: giant blocks skipped, the
//! candidates sharing the most keys kept (`dokaz_match::block`) — the candidates are read in
//! bulk and compared (through blind encodings when either side is sealed), the matches are
//! recorded for both agencies, and the record is filed under its own keys for the records
//! that come after it.

use std::collections::HashMap;

use chrono::Utc;
use dokaz_match::block::{MAX_BLOCK, MAX_CANDIDATES};
use dokaz_match::engine::Comparable;
use dokaz_match::signal::{explain, Score, Signal, Sink as _};
use dokaz_model::{Match, MatchSide};
use dokaz_store::{Filing, Recorded};
use uuid::Uuid;

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
        let found = self.find::<K>(r, &features).await?;
        let now = Utc::now();
        let matches: Vec<Match> = found
            .into_iter()
            .map(|f| {
                Match::new(
                    K::KIND,
                    MatchSide::new(id, agency, sealed),
                    MatchSide::new(f.record, f.agency, f.sealed),
                    f.score,
                    f.reasons,
                    now,
                )
            })
            .collect();
        let recorded = if matches.is_empty() {
            Vec::new()
        } else {
            self.store.record_matches(&matches).await?
        };
        let mut keys = Vec::new();
        K::filed(
            &features,
            &self.keyer,
            &mut KeyScratch::default(),
            &mut keys,
        );
        let filing = Filing {
            record: id,
            agency,
            keys,
            // Of a sealed record only the blind encoding is kept: none of its features.
            features: if sealed { None } else { K::stored(&features) },
        };
        self.store
            .file_for_matching(K::KIND, std::slice::from_ref(&filing))
            .await?;
        if sealed {
            let bytes =
                serde_json::to_vec(&K::blind(&features, &self.keyer)).expect("encodings serialise");
            self.store
                .put_match_encoding(K::KIND, id, agency, &bytes)
                .await?;
        }
        Ok(recorded)
    }

    /// The other agencies' persons that match `person` now, without recording anything:
    /// what the interview register asks before a new interview.
    pub async fn matching_persons(&self, person: &dokaz_model::Person) -> Result<Vec<Found>> {
        self.find::<PersonKind>(person, &PersonKind::features_of(person))
            .await
    }

    /// The other agencies' records that match `r`, best first: candidates through the
    /// stored keys, each compared openly or — when either side is sealed — through the
    /// blind encodings only.
    async fn find<K: Kind>(&self, r: &K::Record, features: &K::Features) -> Result<Vec<Found>> {
        let (agency, sealed) = (K::agency(r), K::sealed(r));
        let mut probes = Vec::new();
        K::probes(
            features,
            &self.keyer,
            &mut KeyScratch::default(),
            &mut probes,
        );
        let stored = self
            .store
            .match_candidates_capped(K::KIND, &probes, agency, MAX_BLOCK, MAX_CANDIDATES)
            .await?;
        if stored.skipped > 0 {
            tracing::debug!(
                skipped = stored.skipped,
                "blocking keys past the block cap skipped"
            );
        }
        let candidates = stored.found;
        let ids: Vec<_> = candidates.iter().map(|c| c.record).collect();
        let Readings {
            open: mut features_of,
            sealed: encodings,
        } = self.readings::<K>(&ids).await?;
        let own_blind = (sealed || !encodings.is_empty()).then(|| K::blind(features, &self.keyer));

        let threshold = threshold_of(&self.weights, K::KIND);
        let mut found = Vec::new();
        for c in candidates {
            let (other, other_agency) = (c.record, c.agency);
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
                    let Some(theirs) = features_of.remove(&other) else {
                        continue;
                    };
                    // Blind only when this record is sealed: two open records are compared
                    // openly, as in a batch run, whatever else is among the candidates.
                    if let (true, Some(mine)) = (sealed, &own_blind) {
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
                score.push(s.level, s.detail);
            }
            if score.total >= threshold {
                found.push(Found {
                    record: other,
                    agency: other_agency,
                    sealed: other_sealed,
                    score: score.total,
                    reasons: explain(&signals, &self.weights),
                });
            }
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(found)
    }
}

impl Deconflictor<'_> {
    /// What is compared of each of the candidates `ids`, each in as few queries as it takes:
    /// an open record's features as filed with its keys (a few hundred bytes); else a sealed
    /// record's blind encoding; else — a record filed before features were, or by another
    /// build — the record itself, read and derived, unless it is sealed: of a sealed record
    /// nothing but its encoding is ever compared. Features are filed only for a record open
    /// when filed, so they outrank an encoding left from before it was unsealed. Keys may
    /// outlive a record deleted meanwhile, which is then simply not there.
    async fn readings<K: Kind>(&self, ids: &[Uuid]) -> Result<Readings<K::Features>> {
        let mut open: HashMap<_, _> = self
            .store
            .match_features(K::KIND, ids)
            .await?
            .into_iter()
            .filter_map(|(id, bytes)| Some((id, K::from_stored(&bytes)?)))
            .collect();
        let rest: Vec<_> = ids
            .iter()
            .copied()
            .filter(|id| !open.contains_key(id))
            .collect();
        let sealed: HashMap<_, _> = if rest.is_empty() {
            HashMap::new()
        } else {
            self.store
                .match_encodings(K::KIND, &rest)
                .await?
                .into_iter()
                .collect()
        };
        let unread: Vec<_> = rest
            .into_iter()
            .filter(|id| !sealed.contains_key(id))
            .collect();
        if !unread.is_empty() {
            for r in K::load_many(self.store, &unread).await? {
                if !K::sealed(&r) {
                    open.insert(K::id(&r), K::features(&r));
                }
            }
        }
        Ok(Readings { open, sealed })
    }
}

/// What [`Deconflictor::readings`] found to compare.
struct Readings<F> {
    open: HashMap<Uuid, F>,
    /// Blind encodings, as stored.
    sealed: HashMap<Uuid, Vec<u8>>,
}

/// A record of another agency that matches, before it is recorded as a match.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub record: uuid::Uuid,
    pub agency: dokaz_model::AgencyId,
    pub sealed: bool,
    pub score: f64,
    /// Why, in words; only for callers entitled to them (never shown for a sealed side).
    pub reasons: String,
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
