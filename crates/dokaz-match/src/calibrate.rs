//! Estimating the weights from labelled pairs: for every candidate pair the blocking finds,
//! which levels it reached and whether it is a true match; each level's weight is then
//! `log2(m / u)` with `m` the share of true candidate pairs showing it and `u` the share of
//! false ones (add-one smoothed, so that a level never seen on one side gets a large but
//! finite weight). The threshold chosen maximises F1 over the labelled pairs, counting the
//! true pairs that blocking missed as misses.

use crate::batch;
use crate::block::BlockIndex;
use crate::engine::{Comparable, KeySource};
use crate::signal::Signal;
use crate::weights::{Level, Weights, LEVELS};

/// What calibration found, for the report.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub weights: Weights,
    pub threshold: f64,
    /// True pairs that blocking made candidates, of all true pairs.
    pub pairs_completeness: f64,
    pub candidates: u64,
    pub true_candidates: u64,
    /// The F1 at the chosen threshold, over these labels.
    pub f1: f64,
    /// Per level: how often it showed on true and on false candidate pairs.
    pub counts: Vec<(Level, u64, u64)>,
}

/// Calibrates on `records` with `is_match(i, j)`; `true_pairs` is the number of true
/// cross-agency pairs in the labels, found or not.
pub fn calibrate<R: Comparable, K: KeySource>(
    records: &[R],
    keys: &K,
    is_match: &(dyn Fn(u32, u32) -> bool + Sync),
    true_pairs: u64,
    base: &Weights,
    threads: usize,
) -> Calibration {
    let mut index = BlockIndex::default();
    let mut scratch = K::Scratch::default();
    let mut buf = Vec::new();
    for i in 0..records.len() as u32 {
        keys.filed(&mut scratch, i, &mut buf);
        index.insert(i, &buf);
    }
    // Each candidate pair as (is a match, the levels it reached as a bitset).
    const { assert!(LEVELS <= 64, "levels must fit the calibration bitset") };
    let (rows, _) = batch::run(
        records.len(),
        threads,
        |s: &mut (K::Scratch, Vec<u64>, Vec<u32>, Vec<Signal>), i, out: &mut Vec<(bool, u64)>| {
            let a = &records[i as usize];
            keys.probes(&mut s.0, i, &mut s.1);
            index.candidates(&s.1, &mut s.2);
            let mut n = 0;
            for &j in s.2.iter().filter(|&&j| j > i) {
                let b = &records[j as usize];
                if a.agency() == b.agency() || !a.may_match(b) {
                    continue;
                }
                n += 1;
                s.3.clear();
                a.compare(b, &mut s.3);
                let bits =
                    s.3.iter()
                        .fold(0u64, |acc, sig| acc | 1 << (sig.level as u32));
                out.push((is_match(i, j), bits));
            }
            n
        },
        &|_| {},
    );

    let (mut m, mut u) = ([0u64; LEVELS], [0u64; LEVELS]);
    let (mut nm, mut nu) = (0u64, 0u64);
    for &(label, bits) in &rows {
        let counts = if label { &mut m } else { &mut u };
        for (l, c) in counts.iter_mut().enumerate() {
            if bits & (1 << l) != 0 {
                *c += 1;
            }
        }
        if label {
            nm += 1
        } else {
            nu += 1
        }
    }
    let mut weights = base.clone();
    let mut counts = Vec::new();
    for &level in Level::ALL {
        let (mc, uc) = (m[level as usize], u[level as usize]);
        counts.push((level, mc, uc));
        if mc + uc == 0 {
            continue; // never seen: keep the prior
        }
        let pm = (mc as f64 + 1.0) / (nm as f64 + 2.0);
        let pu = (uc as f64 + 1.0) / (nu as f64 + 2.0);
        weights.set(level, (pm / pu).log2());
    }
    // Threshold: scan the scores of all candidate pairs for the best F1.
    let mut scored: Vec<(f64, bool)> = rows
        .iter()
        .map(|&(label, bits)| {
            let s: f64 = Level::ALL
                .iter()
                .filter(|l| bits & (1 << (**l as u32)) != 0)
                .map(|&l| weights.get(l))
                .sum();
            (s, label)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0u64, 0u64);
    let (mut best_f1, mut best_t) = (0.0, f64::INFINITY);
    for (k, &(s, label)) in scored.iter().enumerate() {
        if label {
            tp += 1
        } else {
            fp += 1
        }
        let last_of_score = scored.get(k + 1).is_none_or(|n| n.0 < s);
        if last_of_score {
            let p = tp as f64 / (tp + fp) as f64;
            let r = tp as f64 / true_pairs.max(1) as f64;
            let f1 = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            if f1 > best_f1 {
                best_f1 = f1;
                best_t = s;
            }
        }
    }
    Calibration {
        weights,
        threshold: best_t,
        pairs_completeness: nm as f64 / true_pairs.max(1) as f64,
        candidates: nm + nu,
        true_candidates: nm,
        f1: best_f1,
        counts,
    }
}
