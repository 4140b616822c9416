//! Precision, recall and F1 of a set of found pairs against the true links of a labelled
//! corpus. The truth is closed transitively (links may be star-shaped: every further report
//! linked to the first), and only pairs of different agencies count — the matcher never
//! compares an agency's records with its own.

// foldhash, not SipHash: scoring a million-record evaluation hashes millions of ids.
use foldhash::{HashMap, HashSet};
use std::hash::Hash;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Scores {
    fn new(tp: u64, fp: u64, fn_: u64) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Self {
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// The true pairs: every two records of different agencies in one linked cluster, each
/// pair once with the smaller id first.
pub fn true_pairs<T, A>(links: &[(T, T)], agency: impl Fn(&T) -> A) -> HashSet<(T, T)>
where
    T: Copy + Eq + Hash + Ord,
    A: PartialEq,
{
    // Union-find over the records named in links.
    let mut parent: HashMap<T, T> = HashMap::default();
    fn root<T: Copy + Eq + Hash>(parent: &mut HashMap<T, T>, x: T) -> T {
        let mut r = x;
        while let Some(&p) = parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        // Path compression.
        let mut y = x;
        while y != r {
            let next = parent[&y];
            parent.insert(y, r);
            y = next;
        }
        r
    }
    for &(a, b) in links {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent.insert(ra, rb);
        }
    }
    let mut clusters: HashMap<T, Vec<T>> = HashMap::default();
    let keys: Vec<T> = parent.keys().copied().collect();
    for x in keys {
        let r = root(&mut parent, x);
        clusters.entry(r).or_default().push(x);
    }
    let mut out = HashSet::default();
    for members in clusters.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if agency(a) != agency(b) {
                    out.insert(if a < b { (*a, *b) } else { (*b, *a) });
                }
            }
        }
    }
    out
}

/// Scores `found` (pairs in any order) against `truth` from [`true_pairs`].
pub fn score<T: Copy + Eq + Hash + Ord>(found: &[(T, T)], truth: &HashSet<(T, T)>) -> Scores {
    let found: HashSet<(T, T)> = found
        .iter()
        .map(|&(a, b)| if a < b { (a, b) } else { (b, a) })
        .collect();
    let tp = found.iter().filter(|p| truth.contains(p)).count() as u64;
    let fp = found.len() as u64 - tp;
    let fn_ = truth.len() as u64 - tp;
    Scores::new(tp, fp, fn_)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_links_close_into_all_cross_agency_pairs() {
        // 1, 2, 3 are one person at agencies A, B, C; 4 is at A too but a different person.
        let agency = |x: &u32| match x {
            1 | 4 => 'A',
            2 => 'B',
            _ => 'C',
        };
        let truth = true_pairs(&[(1, 2), (1, 3)], agency);
        assert_eq!(truth, [(1, 2), (1, 3), (2, 3)].into_iter().collect());
        let s = score(&[(2, 1), (3, 2), (4, 2)], &truth);
        assert_eq!(
            (s.true_positives, s.false_positives, s.false_negatives),
            (2, 1, 1)
        );
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.f1 - 2.0 / 3.0).abs() < 1e-9);
    }
}
