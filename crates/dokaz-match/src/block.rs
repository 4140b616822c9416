//! The in-memory side of blocking: records by the keys they are filed under, for batch runs
//! and evaluation. (The stored side, for matching one new record at a time, is the same keys
//! in the `match_keys` table, read with the same limits.)

use std::collections::HashMap;

/// A block larger than this is a key that does not discriminate (an empty name, a default
/// date) rather than a real group: comparing all its pairs would cost quadratic time for
/// nothing, so it is skipped and counted. The incremental path skips such a stored block too.
pub const MAX_BLOCK: usize = 20_000;

/// At most this many candidates are compared with one record, those sharing the most keys
/// with it (a coarse-time record probes a year of buckets and meets thousands of records
/// that share one key with it; a record of the same event shares several). On a labelled
/// corpus of 1,000,000 incidents a probe meets 81 candidates at the median, 1,498 at p99 and
/// 3,702 at most, and the bound loses 2 of 530 true pairs that may match (ranked by
/// inverse block size instead, 3): the price of keeping one lookup within milliseconds.
pub const MAX_CANDIDATES: usize = 1_000;

#[derive(Debug, Default)]
pub struct BlockIndex {
    blocks: HashMap<u64, Vec<u32>, foldhash::fast::RandomState>,
}

impl BlockIndex {
    /// Files record `idx` under `keys`. Records are filed in increasing index order, so that
    /// every block is sorted (which [`candidates`](Self::candidates) relies on).
    pub fn insert(&mut self, idx: u32, keys: &[u64]) {
        for &k in keys {
            let block = self.blocks.entry(k).or_default();
            debug_assert!(
                block.last().is_none_or(|&last| last <= idx),
                "filed in order"
            );
            block.push(idx);
        }
    }

    /// The records filed under one of `probes` before index `below` that `keep` accepts, once
    /// each in index order, skipping oversized blocks and bounded by [`best`]; returns how
    /// many blocks were skipped. A batch compares each record with those before it: the rest
    /// of a sorted block is cut off at once rather than filtered one by one.
    pub fn candidates(
        &self,
        probes: &[u64],
        below: u32,
        keep: impl Fn(u32) -> bool,
        out: &mut Vec<u32>,
    ) -> usize {
        out.clear();
        let mut skipped = 0;
        for k in probes {
            if let Some(b) = self.blocks.get(k) {
                if b.len() > MAX_BLOCK {
                    skipped += 1;
                } else {
                    let before = &b[..b.partition_point(|&j| j < below)];
                    out.extend(before.iter().copied().filter(|&j| keep(j)));
                }
            }
        }
        out.sort_unstable();
        if out.len() > MAX_CANDIDATES {
            // Runs of one index are the keys it shares with the probes.
            let mut shared: Vec<(u32, u32)> = Vec::new();
            for &j in out.iter() {
                match shared.last_mut() {
                    Some((last, n)) if *last == j => *n += 1,
                    _ => shared.push((j, 1)),
                }
            }
            best(&mut shared, |c| c.1);
            out.clear();
            out.extend(shared.iter().map(|c| c.0));
        } else {
            out.dedup();
        }
        skipped
    }

    /// Blocks and filed entries, for reporting memory use.
    pub fn size(&self) -> (usize, usize) {
        (self.blocks.len(), self.blocks.values().map(Vec::len).sum())
    }
}

/// Keeps the [`MAX_CANDIDATES`] candidates that share the most keys with the probing record
/// (`shared` of each); of those sharing as many as the last one kept, the earlier in
/// `candidates`' order. What is kept stays in its order. The batch and the incremental path
/// both bound their candidates with this, over candidates in record id order.
pub fn best<T>(candidates: &mut Vec<T>, shared: impl Fn(&T) -> u32) {
    if candidates.len() <= MAX_CANDIDATES {
        return;
    }
    let mut counts: Vec<u32> = candidates.iter().map(&shared).collect();
    let (_, &mut cut, _) = counts.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.cmp(a));
    let above = counts.iter().filter(|&&n| n > cut).count();
    let mut at_cut = MAX_CANDIDATES - above;
    candidates.retain(|c| {
        let n = shared(c);
        if n > cut {
            true
        } else if n == cut && at_cut > 0 {
            at_cut -= 1;
            true
        } else {
            false
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_keeps_the_most_shared_then_the_earliest() {
        // Every tenth shares three keys, every seventh two, the rest one.
        let mut c: Vec<(u32, u32)> = (0..3 * MAX_CANDIDATES as u32)
            .map(|i| {
                (
                    i,
                    if i % 10 == 0 {
                        3
                    } else if i % 7 == 0 {
                        2
                    } else {
                        1
                    },
                )
            })
            .collect();
        let threes = c.iter().filter(|x| x.1 == 3).count();
        let twos = c.iter().filter(|x| x.1 == 2).count();
        best(&mut c, |x| x.1);
        assert_eq!(c.len(), MAX_CANDIDATES);
        assert_eq!(c.iter().filter(|x| x.1 == 3).count(), threes);
        assert_eq!(c.iter().filter(|x| x.1 == 2).count(), twos);
        assert!(c.windows(2).all(|w| w[0].0 < w[1].0), "order kept");
        let ones: Vec<u32> = c.iter().filter(|x| x.1 == 1).map(|x| x.0).collect();
        assert_eq!(ones.len(), MAX_CANDIDATES - threes - twos);
        assert_eq!(ones[0], 1, "the earliest ones");

        let mut few = vec![(5, 1), (2, 9)];
        best(&mut few, |x| x.1);
        assert_eq!(few, vec![(5, 1), (2, 9)], "under the bound, untouched");
    }

    #[test]
    fn candidates_skip_giant_blocks_and_filter() {
        let mut idx = BlockIndex::default();
        for i in 0..=MAX_BLOCK as u32 {
            idx.insert(i, &[1]);
        }
        idx.insert(3, &[2]);
        idx.insert(4, &[2, 3]);
        idx.insert(5, &[3]);
        let mut out = Vec::new();
        assert_eq!(idx.candidates(&[1, 2, 3, 4], 5, |_| true, &mut out), 1);
        assert_eq!(out, vec![3, 4]);
        idx.candidates(&[2, 3], 6, |j| j != 4, &mut out);
        assert_eq!(out, vec![3, 5]);
        idx.candidates(&[2, 3], 4, |_| true, &mut out);
        assert_eq!(out, vec![3], "only those before 4");
    }
}
