//! Batch matching of whole record sets: file every record under its blocking keys, then
//! compare each with the candidates its probes find, on every core. The same comparisons
//! serve `dokaz match run`, `dokaz match eval` and the benchmarks.

use crate::batch::{self, BatchStats, Pair};
use crate::block::BlockIndex;
use crate::incident::IncidentFeatures;
use crate::incident_keys::IncidentKeys;
use crate::keys::{KeyBuf, Keyer};
use crate::person::PersonFeatures;
use crate::signal::Score;
use crate::weights::Weights;

/// What a batch run is given besides the records.
pub struct Run<'a> {
    pub weights: &'a Weights,
    pub keyer: &'a Keyer,
    pub threads: usize,
    pub progress: &'a (dyn Fn(usize) + Sync),
}

impl std::fmt::Debug for Run<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("keyer", self.keyer)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// Per-thread buffers.
#[derive(Debug, Default)]
struct Scratch {
    incident_keys: IncidentKeys,
    buf: KeyBuf,
    keys: Vec<u64>,
    candidates: Vec<u32>,
}

/// Pairs of incidents of different agencies scoring at least the incident threshold.
pub fn incidents(records: &[IncidentFeatures], run: &Run<'_>) -> (Vec<Pair>, BatchStats) {
    let mut index = BlockIndex::default();
    let mut s = Scratch::default();
    for (i, f) in records.iter().enumerate() {
        s.incident_keys.filed(f, run.keyer, &mut s.keys);
        index.insert(i as u32, &s.keys);
    }
    let threshold = run.weights.threshold.incident;
    batch::run(
        records.len(),
        run.threads,
        |s: &mut Scratch, i, out| {
            let a = &records[i as usize];
            s.incident_keys.probes(a, run.keyer, &mut s.keys);
            index.candidates(&s.keys, &mut s.candidates);
            let mut compared = 0;
            for &j in s.candidates.iter().filter(|&&j| j > i) {
                let b = &records[j as usize];
                if a.agency == b.agency || !a.may_match(b) {
                    continue;
                }
                compared += 1;
                let mut score = Score::new(run.weights);
                a.compare(b, &mut score);
                if score.total >= threshold {
                    out.push(Pair {
                        a: i,
                        b: j,
                        score: score.total,
                    });
                }
            }
            compared
        },
        run.progress,
    )
}

/// Pairs of persons of different agencies scoring at least the person threshold.
pub fn persons(records: &[PersonFeatures], run: &Run<'_>) -> (Vec<Pair>, BatchStats) {
    let mut index = BlockIndex::default();
    let mut s = Scratch::default();
    for (i, f) in records.iter().enumerate() {
        f.keys(run.keyer, &mut s.buf, &mut s.keys);
        index.insert(i as u32, &s.keys);
    }
    let threshold = run.weights.threshold.person;
    batch::run(
        records.len(),
        run.threads,
        |s: &mut Scratch, i, out| {
            let a = &records[i as usize];
            a.keys(run.keyer, &mut s.buf, &mut s.keys);
            index.candidates(&s.keys, &mut s.candidates);
            let mut compared = 0;
            for &j in s.candidates.iter().filter(|&&j| j > i) {
                let b = &records[j as usize];
                if a.agency == b.agency {
                    continue;
                }
                compared += 1;
                let mut score = Score::new(run.weights);
                a.compare(b, &mut score);
                if score.total >= threshold {
                    out.push(Pair {
                        a: i,
                        b: j,
                        score: score.total,
                    });
                }
            }
            compared
        },
        run.progress,
    )
}
