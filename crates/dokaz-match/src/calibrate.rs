//! Estimating the weights from labelled pairs. Every candidate pair the blocking finds is
//! compared and labelled (a true match or not); the level weights are then fitted by
//! L2-regularised logistic regression of the label on the levels reached (a level's value is
//! 1, or its rarity in bits for the rarity levels), shrunk towards the current weights. This
//! keeps the additive, explainable form of Fellegi–Sunter weights while taking into account
//! that fields are not independent (two records in one block share a name by construction).
//! The threshold chosen maximises F1 over the labelled pairs, counting the true pairs that
//! blocking missed as misses.

use crate::batch;
use crate::engine::{Comparable, KeySource};
use crate::signal::Signal;
use crate::weights::{Level, Weights, LEVELS};

/// What calibration found, for the report.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub weights: Weights,
    /// The best threshold, in the weights' units (bits).
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

/// Regularisation strength, per unit of squared distance (in nats) from the prior weights;
/// about what a few dozen observations weigh, so that levels seen rarely keep their prior.
const RIDGE: f64 = 20.0;
const NEWTON_STEPS: usize = 25;

/// One labelled candidate pair: its label, its levels with their values, and the pair.
type Row = (bool, Vec<(u8, f32)>, (u32, u32));

/// Calibrates on `records` with `is_match(i, j)`; `true_pairs` is the number of true
/// cross-agency pairs in the labels, found or not.
pub fn calibrate<R: Comparable, K: KeySource>(
    records: &[R],
    keys: &K,
    is_match: &(dyn Fn(u32, u32) -> bool + Sync),
    true_pairs: u64,
    base: &Weights,
    threads: usize,
    one_to_one: bool,
) -> Calibration {
    let rows = labelled_rows(records, keys, is_match, threads);
    let counts = level_counts(&rows);
    let nm = rows.iter().filter(|r| r.0).count() as u64;

    // Parameters in nats: one per level, then the intercept.
    let prior: Vec<f64> = Level::ALL
        .iter()
        .map(|&l| base.get(l) * std::f64::consts::LN_2)
        .chain([0.0])
        .collect();
    let beta = fit(&rows, &prior);

    let mut weights = base.clone();
    for &l in Level::ALL {
        weights.set(l, beta[l as usize] / std::f64::consts::LN_2);
    }
    let mut scored: Vec<batch::Pair> = rows
        .iter()
        .map(|(_, x, (a, b))| batch::Pair {
            a: *a,
            b: *b,
            score: x
                .iter()
                .map(|&(l, v)| weights.get(Level::ALL[l as usize]) * f64::from(v))
                .sum(),
        })
        .collect();
    if one_to_one {
        // Greedy one-to-one keeps the pairs above any threshold exactly as it would on the
        // pairs above that threshold alone, so scanning thresholds afterwards is exact.
        scored = crate::engine::one_to_one(scored, |i| records[i as usize].agency());
    }
    let labels: std::collections::HashMap<(u32, u32), bool> =
        rows.iter().map(|(l, _, p)| (*p, *l)).collect();
    let (threshold, f1) = best_threshold(
        scored
            .iter()
            .map(|p| (p.score, labels[&(p.a, p.b)]))
            .collect(),
        true_pairs,
    );
    Calibration {
        weights,
        threshold,
        pairs_completeness: nm as f64 / true_pairs.max(1) as f64,
        candidates: rows.len() as u64,
        true_candidates: nm,
        f1,
        counts,
    }
}

/// Every candidate pair of different agencies, compared and labelled.
fn labelled_rows<R: Comparable, K: KeySource>(
    records: &[R],
    keys: &K,
    is_match: &(dyn Fn(u32, u32) -> bool + Sync),
    threads: usize,
) -> Vec<Row> {
    let index = crate::engine::file_all(records.len(), keys, threads);
    let (rows, _) = batch::run(
        records.len(),
        threads,
        |s: &mut (K::Scratch, Vec<u64>, Vec<u32>, Vec<Signal>), i, out: &mut Vec<Row>| {
            let a = &records[i as usize];
            keys.probes(&mut s.0, i, &mut s.1);
            let agency = a.agency();
            index.candidates(
                &s.1,
                i,
                |j| records[j as usize].agency() != agency,
                &mut s.2,
            );
            let mut n = 0;
            for &j in &s.2 {
                let b = &records[j as usize];
                if !b.may_match(a) {
                    continue;
                }
                n += 1;
                s.3.clear();
                b.compare(a, &mut s.3);
                let x =
                    s.3.iter()
                        .map(|sig| (sig.level as u8, sig.detail.factor() as f32))
                        .collect();
                out.push((is_match(j, i), x, (j, i)));
            }
            n
        },
        &|_| {},
    );
    rows
}

fn level_counts(rows: &[Row]) -> Vec<(Level, u64, u64)> {
    let (mut m, mut u) = ([0u64; LEVELS], [0u64; LEVELS]);
    for (label, x, _) in rows {
        let c = if *label { &mut m } else { &mut u };
        for &(l, _) in x {
            c[l as usize] += 1;
        }
    }
    Level::ALL
        .iter()
        .map(|&l| (l, m[l as usize], u[l as usize]))
        .collect()
}

/// Newton's method for ridge-regularised logistic regression towards `prior`.
fn fit(rows: &[Row], prior: &[f64]) -> Vec<f64> {
    let d = prior.len();
    let intercept = d - 1;
    let mut beta = prior.to_vec();
    for _ in 0..NEWTON_STEPS {
        let mut grad: Vec<f64> = (0..d).map(|k| RIDGE * (beta[k] - prior[k])).collect();
        let mut hess = vec![0.0; d * d];
        for k in 0..d {
            hess[k * d + k] = RIDGE;
        }
        // The intercept is not shrunk: the base rate of matches is the data's to say.
        grad[intercept] = 0.0;
        hess[intercept * d + intercept] = 1e-9;
        for (label, x, _) in rows {
            let z = beta[intercept]
                + x.iter()
                    .map(|&(l, v)| beta[l as usize] * f64::from(v))
                    .sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = p - if *label { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-12);
            let feats = x
                .iter()
                .map(|&(l, v)| (l as usize, f64::from(v)))
                .chain([(intercept, 1.0)]);
            let feats: Vec<(usize, f64)> = feats.collect();
            for &(a, va) in &feats {
                grad[a] += r * va;
                for &(b, vb) in &feats {
                    hess[a * d + b] += w * va * vb;
                }
            }
        }
        let Some(step) = solve(&mut hess, &grad, d) else {
            break;
        };
        // Backtracking: Newton steps overshoot where the data nearly separate the classes.
        let before = objective(rows, &beta, prior);
        let mut t = 1.0;
        let accepted = loop {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - t * s).collect();
            if objective(rows, &trial, prior) <= before {
                break Some(trial);
            }
            t /= 2.0;
            if t < 1e-4 {
                break None;
            }
        };
        let Some(next) = accepted else { break };
        let largest = next
            .iter()
            .zip(&beta)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        beta = next;
        if largest < 1e-6 {
            break;
        }
    }
    beta
}

/// The penalised negative log-likelihood that [`fit`] minimises.
fn objective(rows: &[Row], beta: &[f64], prior: &[f64]) -> f64 {
    let intercept = beta.len() - 1;
    let penalty: f64 = (0..intercept)
        .map(|k| (beta[k] - prior[k]).powi(2))
        .sum::<f64>()
        * RIDGE
        / 2.0;
    let nll: f64 = rows
        .iter()
        .map(|(label, x, _)| {
            let z = beta[intercept]
                + x.iter()
                    .map(|&(l, v)| beta[l as usize] * f64::from(v))
                    .sum::<f64>();
            // log(1 + e^-z) for a match, log(1 + e^z) otherwise, computed stably.
            let m = if *label { -z } else { z };
            m.max(0.0) + (-m.abs()).exp().ln_1p()
        })
        .sum();
    nll + penalty
}

/// Solves `A x = b` (A symmetric positive definite, row-major `d×d`) by Gaussian elimination
/// with partial pivoting; `None` if singular. Written here because the system is tiny (one
/// row per level) and a linear-algebra crate would be a heavy dependency for it.
fn solve(a: &mut [f64], b: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut x = b.to_vec();
    for col in 0..d {
        let pivot =
            (col..d).max_by(|&i, &j| a[i * d + col].abs().total_cmp(&a[j * d + col].abs()))?;
        if a[pivot * d + col].abs() < 1e-12 {
            return None;
        }
        if pivot != col {
            for k in 0..d {
                a.swap(pivot * d + k, col * d + k);
            }
            x.swap(pivot, col);
        }
        for row in col + 1..d {
            let f = a[row * d + col] / a[col * d + col];
            if f != 0.0 {
                for k in col..d {
                    a[row * d + k] -= f * a[col * d + k];
                }
                x[row] -= f * x[col];
            }
        }
    }
    for col in (0..d).rev() {
        let s: f64 = (col + 1..d).map(|k| a[col * d + k] * x[k]).sum();
        x[col] = (x[col] - s) / a[col * d + col];
    }
    Some(x)
}

/// The score threshold (in bits) with the best F1 over scored, labelled pairs.
fn best_threshold(mut scored: Vec<(f64, bool)>, true_pairs: u64) -> (f64, f64) {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0u64, 0u64);
    let (mut best_f1, mut best_t) = (0.0, f64::INFINITY);
    for (k, &(s, label)) in scored.iter().enumerate() {
        if label {
            tp += 1
        } else {
            fp += 1
        }
        if scored.get(k + 1).is_none_or(|n| n.0 < s) {
            let p = tp as f64 / (tp + fp) as f64;
            let r = tp as f64 / true_pairs.max(1) as f64;
            let f1 = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            if f1 > best_f1 {
                best_f1 = f1;
                // Halfway to the next lower score, so that a tie at the boundary is inside.
                best_t = scored.get(k + 1).map_or(s, |n| (s + n.0) / 2.0);
            }
        }
    }
    (best_t, best_f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let mut a = vec![4.0, 1.0, 1.0, 3.0];
        let x = solve(&mut a, &[1.0, 2.0], 2).unwrap();
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-12 && (x[1] - 7.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn a_level_seen_only_on_matches_gets_a_positive_weight() {
        let l = Level::BirthSameDay as u8;
        let other = Level::SexSame as u8;
        let mut rows = Vec::new();
        for k in 0..400 {
            rows.push((true, vec![(l, 1.0), (other, 1.0)], (0, 0)));
            rows.push((k % 4 == 0, vec![(other, 1.0)], (0, 0)));
        }
        let prior = vec![0.0; LEVELS + 1];
        let beta = fit(&rows, &prior);
        assert!(beta[l as usize] > 1.0, "{}", beta[l as usize]);
        assert!(beta[l as usize] > beta[other as usize]);
    }
}
