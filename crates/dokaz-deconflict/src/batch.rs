//! Matching whole record sets again: after a bulk import, a change of weights, or a new
//! matching key. Every record is loaded, filed under its keys (replacing the stored ones),
//! compared with its candidates on every core, and the matches are recorded; decisions
//! already taken on known pairs are kept.

use std::time::Instant;

use chrono::Utc;
use dokaz_match::batch::{default_threads, permute};
use dokaz_match::engine::{one_to_one, pairs, Comparable, KeySource, Run};
use dokaz_match::signal::{explain, Signal};
use dokaz_model::{Match, MatchKind, MatchSide};
use dokaz_store::{Filing, PageRequest};
use serde::Serialize;

use crate::incremental::threshold_of;
use crate::record::{IncidentKind, KeyScratch, Kind, Mixed, PersonKind, UnitKind};
use crate::{Deconflictor, Result};

/// Matches are recorded this many at a time: one transaction each.
const RECORD_CHUNK: usize = 1_000;
/// Records whose keys are filed in one call.
const KEYS_CHUNK: usize = 2_000;

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub kinds: Vec<MatchKind>,
    /// Keep each record's best match per other agency only (assumes each agency has
    /// deduplicated its own records; see `dokaz_match::engine::one_to_one`).
    pub one_to_one: bool,
    pub threads: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            kinds: vec![MatchKind::Incident, MatchKind::Person, MatchKind::Unit],
            one_to_one: true,
            threads: default_threads(),
        }
    }
}

/// Where a batch is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Loading { kind: MatchKind, loaded: u64 },
    Comparing { kind: MatchKind, done: u64, of: u64 },
    Recording { kind: MatchKind, done: u64, of: u64 },
}

#[derive(Debug, Clone, Serialize)]
pub struct KindSummary {
    pub kind: MatchKind,
    pub records: u64,
    pub comparisons: u64,
    pub matches: u64,
    pub new_matches: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchSummary {
    pub kinds: Vec<KindSummary>,
}

/// Candidate keys of a batch: computed from each record's open features by its owner.
struct Keys<'a, K: Kind> {
    records: &'a [Mixed<K::Features, K::Blind>],
    keyer: &'a dokaz_match::keys::Keyer,
}

impl<K: Kind> KeySource for Keys<'_, K> {
    type Scratch = KeyScratch;
    fn filed(&self, s: &mut KeyScratch, i: u32, out: &mut Vec<u64>) {
        K::filed(&self.records[i as usize].open, self.keyer, s, out)
    }
    fn probes(&self, s: &mut KeyScratch, i: u32, out: &mut Vec<u64>) {
        K::probes(&self.records[i as usize].open, self.keyer, s, out)
    }
}

impl Deconflictor<'_> {
    /// Matches every stored record of the chosen kinds against all others.
    pub async fn run_all(
        &self,
        opt: &BatchOptions,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<BatchSummary> {
        let mut kinds = Vec::new();
        for kind in &opt.kinds {
            kinds.push(match kind {
                MatchKind::Incident => self.run_kind::<IncidentKind>(opt, progress).await?,
                MatchKind::Person => self.run_kind::<PersonKind>(opt, progress).await?,
                MatchKind::Unit => self.run_kind::<UnitKind>(opt, progress).await?,
                // Files are matched by hash at intake, not by a batch of features.
                MatchKind::Evidence => continue,
            });
        }
        Ok(BatchSummary { kinds })
    }

    async fn run_kind<K: Kind>(
        &self,
        opt: &BatchOptions,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<KindSummary> {
        let started = Instant::now();
        let kind = K::KIND;
        // Load, keeping only what matching needs.
        let mut meta = Vec::new();
        let mut features = Vec::new();
        let mut page = PageRequest {
            after: None,
            limit: dokaz_store::MAX_PAGE_SIZE,
        };
        loop {
            let p = K::list(self.store, page).await?;
            for r in &p.items {
                meta.push((K::id(r), K::agency(r), K::sealed(r)));
                features.push(K::features(r));
            }
            progress(Progress::Loading {
                kind,
                loaded: meta.len() as u64,
            });
            match p.next {
                Some(next) => page.after = Some(dokaz_store::Cursor::decode(&next)?),
                None => break,
            }
        }
        K::prepare(&mut features);
        if let Some(order) = K::order(&features) {
            permute(&mut meta, order.clone());
            permute(&mut features, order);
        }
        let any_sealed = meta.iter().any(|m| m.2);
        let records: Vec<Mixed<K::Features, K::Blind>> = features
            .into_iter()
            .zip(&meta)
            .map(|(f, m)| Mixed {
                blind: any_sealed.then(|| K::blind(&f, &self.keyer)),
                open: f,
                sealed: m.2,
            })
            .collect();

        let n = records.len() as u64;
        let keys = Keys::<K> {
            records: &records,
            keyer: &self.keyer,
        };
        let on_progress = |done: usize| {
            progress(Progress::Comparing {
                kind,
                done: done as u64,
                of: n,
            })
        };
        let run = Run {
            weights: &self.weights,
            threads: opt.threads,
            progress: &on_progress,
        };
        let (mut found, stats) = pairs(&records, &keys, threshold_of(&self.weights, kind), &run);
        if opt.one_to_one {
            found = one_to_one(found, |i| records[i as usize].agency());
        }

        // Record: matches first, then each record's keys and encodings.
        let now = Utc::now();
        let matches: Vec<Match> = found
            .iter()
            .map(|p| {
                let (a, b) = (&meta[p.a as usize], &meta[p.b as usize]);
                let mut signals: Vec<Signal> = Vec::new();
                records[p.a as usize].compare(&records[p.b as usize], &mut signals);
                Match::new(
                    kind,
                    MatchSide::new(a.0, a.1, a.2),
                    MatchSide::new(b.0, b.1, b.2),
                    p.score,
                    explain(&signals, &self.weights),
                    now,
                )
            })
            .collect();
        let mut new_matches = 0;
        for (k, chunk) in matches.chunks(RECORD_CHUNK).enumerate() {
            let recorded = self.store.record_matches(chunk).await?;
            new_matches += recorded.iter().filter(|r| r.is_new).count() as u64;
            progress(Progress::Recording {
                kind,
                done: (k * RECORD_CHUNK + chunk.len()) as u64,
                of: matches.len() as u64 + n,
            });
        }
        // Keys in chunks, each chunk one call (a few transactions in the backends).
        let mut scratch = KeyScratch::default();
        let mut chunk = Vec::with_capacity(KEYS_CHUNK);
        for (i, (r, m)) in records.iter().zip(&meta).enumerate() {
            let mut keys = Vec::new();
            K::filed(&r.open, &self.keyer, &mut scratch, &mut keys);
            chunk.push(Filing {
                record: m.0,
                agency: m.1,
                keys,
                // Of a sealed record only the blind encoding is kept: none of its features.
                features: if m.2 { None } else { K::stored(&r.open) },
            });
            if let (true, Some(b)) = (m.2, &r.blind) {
                let bytes = serde_json::to_vec(b).expect("encodings serialise");
                self.store
                    .put_match_encoding(kind, m.0, m.1, &bytes)
                    .await?;
            }
            if chunk.len() == KEYS_CHUNK || i + 1 == records.len() {
                self.store.file_for_matching(kind, &chunk).await?;
                chunk.clear();
                progress(Progress::Recording {
                    kind,
                    done: (matches.len() + i + 1) as u64,
                    of: matches.len() as u64 + n,
                });
            }
        }
        // Every record of the kind is filed again: the stored keys are this build's now.
        self.store
            .set_match_key_layout(kind, dokaz_match::keys::layout(kind))
            .await?;
        Ok(KindSummary {
            kind,
            records: n,
            comparisons: stats.comparisons,
            matches: matches.len() as u64,
            new_matches,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
