//! Batch matching of whole record sets: file every record under its blocking keys, then
//! compare each with the candidates its probes find, on every core. The same loop serves
//! open and blind records, `dokaz match run`, `dokaz match eval` and the benchmarks.

use dokaz_model::AgencyId;

use crate::batch::{self, BatchStats, Pair};
use crate::blind::{BlindIncident, BlindPerson, BlindUnit};
use crate::block::BlockIndex;
use crate::incident::IncidentFeatures;
use crate::incident_keys::IncidentKeys;
use crate::keys::{KeyBuf, Keyer};
use crate::person::PersonFeatures;
use crate::signal::{Score, Sink};
use crate::weights::Weights;

/// A record that can be compared with another of its kind.
pub trait Comparable: Sync {
    fn agency(&self) -> AgencyId;
    /// A cheap exact test run before scoring (blocking keys are coarser than this).
    fn may_match(&self, _other: &Self) -> bool {
        true
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S);
    /// The pair's score when it reaches `threshold`: [`Comparable::compare`]'s sum, which a
    /// record type may skip computing when it can tell the pair falls short.
    fn score_at_least(&self, other: &Self, weights: &Weights, threshold: f64) -> Option<f64> {
        let mut score = Score::new(weights);
        self.compare(other, &mut score);
        (score.total >= threshold).then_some(score.total)
    }
}

/// The blocking keys of the records of a batch, by position.
pub trait KeySource: Sync {
    type Scratch: Default;
    fn filed(&self, s: &mut Self::Scratch, i: u32, out: &mut Vec<u64>);
    fn probes(&self, s: &mut Self::Scratch, i: u32, out: &mut Vec<u64>);
}

/// What a batch run is given besides the records.
pub struct Run<'a> {
    pub weights: &'a Weights,
    pub threads: usize,
    pub progress: &'a (dyn Fn(usize) + Sync),
}

impl std::fmt::Debug for Run<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// Every pair of records of different agencies, found through `keys`, scoring at least
/// `threshold`.
pub fn pairs<R: Comparable, K: KeySource>(
    records: &[R],
    keys: &K,
    threshold: f64,
    run: &Run<'_>,
) -> (Vec<Pair>, BatchStats) {
    let index = file_all(records.len(), keys, run.threads);
    // Each record's agency as a small number: the candidate filter reads it for every
    // candidate, and from a dense array it is a cache hit where the record is a miss.
    let agencies = ordinals(records.iter().map(R::agency));
    let (mut found, stats) = batch::run(
        records.len(),
        run.threads,
        |s: &mut (K::Scratch, Vec<u64>, Vec<u32>), i, out: &mut Vec<Pair>| {
            let a = &records[i as usize];
            keys.probes(&mut s.0, i, &mut s.1);
            // Each record looks back at the records before it, of other agencies, as a
            // record written after them does (see `block::best`).
            let agency = agencies[i as usize];
            index.candidates(&s.1, i, |j| agencies[j as usize] != agency, &mut s.2);
            let mut compared = 0;
            for &j in &s.2 {
                let b = &records[j as usize];
                if !b.may_match(a) {
                    continue;
                }
                compared += 1;
                if let Some(score) = b.score_at_least(a, run.weights, threshold) {
                    out.push(Pair { a: j, b: i, score });
                }
            }
            compared
        },
        run.progress,
    );
    found.sort_unstable_by_key(|p| (p.a, p.b));
    (found, stats)
}

/// The block index of `n` records: their filed keys computed on `threads` threads (hashing
/// the keys is most of the work), a slice of records at a time so that the keys waiting to
/// be inserted stay few, then inserted in the records' order.
pub(crate) fn file_all<K: KeySource>(n: usize, keys: &K, threads: usize) -> BlockIndex {
    const SLICE: usize = 1 << 16;
    let mut index = BlockIndex::default();
    for from in (0..n).step_by(SLICE) {
        let len = SLICE.min(n - from);
        let (mut filed, _) = batch::run(
            len,
            threads,
            |s: &mut (K::Scratch, Vec<u64>), k, out: &mut Vec<(u32, Vec<u64>)>| {
                let i = (from + k as usize) as u32;
                keys.filed(&mut s.0, i, &mut s.1);
                out.push((i, s.1.clone()));
                0
            },
            &|_| {},
        );
        filed.sort_unstable_by_key(|f| f.0);
        for (i, k) in &filed {
            index.insert(*i, k);
        }
    }
    index
}

/// A dense number for each distinct agency, in order of first appearance.
fn ordinals(agencies: impl Iterator<Item = AgencyId>) -> Vec<u32> {
    let mut seen: std::collections::HashMap<AgencyId, u32> = Default::default();
    agencies
        .map(|a| {
            let next = seen.len() as u32;
            *seen.entry(a).or_insert(next)
        })
        .collect()
}

impl Comparable for IncidentFeatures {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn may_match(&self, other: &Self) -> bool {
        IncidentFeatures::may_match(self, other)
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        IncidentFeatures::compare(self, other, sink)
    }
}

impl Comparable for PersonFeatures {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        PersonFeatures::compare(self, other, sink)
    }
    fn score_at_least(&self, other: &Self, weights: &Weights, threshold: f64) -> Option<f64> {
        crate::person::score_at_least(self, other, weights, threshold)
    }
}

impl Comparable for BlindIncident {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        BlindIncident::compare(self, other, sink)
    }
}

impl Comparable for BlindUnit {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        BlindUnit::compare(self, other, sink)
    }
}

impl Comparable for BlindPerson {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        BlindPerson::compare(self, other, sink)
    }
}

/// Incidents' blocking keys, computed from their features by their owner.
#[derive(Debug)]
pub struct IncidentKeySource<'a> {
    pub features: &'a [IncidentFeatures],
    pub keyer: &'a Keyer,
}

impl KeySource for IncidentKeySource<'_> {
    type Scratch = IncidentKeys;
    fn filed(&self, s: &mut IncidentKeys, i: u32, out: &mut Vec<u64>) {
        s.filed(&self.features[i as usize], self.keyer, out)
    }
    fn probes(&self, s: &mut IncidentKeys, i: u32, out: &mut Vec<u64>) {
        s.probes(&self.features[i as usize], self.keyer, out)
    }
}

/// Persons' blocking keys: the same set filed and probed.
#[derive(Debug)]
pub struct PersonKeySource<'a> {
    pub features: &'a [PersonFeatures],
    pub keyer: &'a Keyer,
}

impl KeySource for PersonKeySource<'_> {
    type Scratch = KeyBuf;
    fn filed(&self, s: &mut KeyBuf, i: u32, out: &mut Vec<u64>) {
        self.features[i as usize].filed_keys(self.keyer, s, out)
    }
    fn probes(&self, s: &mut KeyBuf, i: u32, out: &mut Vec<u64>) {
        self.features[i as usize].probe_keys(self.keyer, s, out)
    }
}

/// Keeps, for every record, at most its best match in each other agency: an agency records
/// one real event or person once, so of two records of one agency competing for the same
/// record of another, the weaker is the other event (a second shelling of the same street,
/// a namesake). Pairs are taken best first; ties keep the earlier pair. This assumes each
/// agency has deduplicated its own records — true of registries, not of raw intake — so
/// callers choose whether to apply it.
pub fn one_to_one(mut found: Vec<Pair>, agency: impl Fn(u32) -> AgencyId) -> Vec<Pair> {
    use std::collections::HashSet;
    found.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    // (record, the other agency) already taken.
    let mut taken: HashSet<(u32, AgencyId)> = HashSet::new();
    let mut kept = Vec::with_capacity(found.len());
    for p in found {
        let (ka, kb) = ((p.a, agency(p.b)), (p.b, agency(p.a)));
        if taken.contains(&ka) || taken.contains(&kb) {
            continue;
        }
        taken.insert(ka);
        taken.insert(kb);
        kept.push(p);
    }
    kept.sort_unstable_by_key(|p| (p.a, p.b));
    kept
}
