//! The in-memory side of blocking: records by the keys they are filed under, for batch runs
//! and evaluation. (The stored side, for matching one new record at a time, is the same keys
//! in the `match_keys` table.)

use std::collections::HashMap;

/// A block larger than this is a key that does not discriminate (an empty name, a default
/// date) rather than a real group: comparing all its pairs would cost quadratic time for
/// nothing, so it is skipped and counted.
pub const MAX_BLOCK: usize = 20_000;

#[derive(Debug, Default)]
pub struct BlockIndex {
    blocks: HashMap<u64, Vec<u32>>,
}

impl BlockIndex {
    pub fn insert(&mut self, idx: u32, keys: &[u64]) {
        for &k in keys {
            self.blocks.entry(k).or_default().push(idx);
        }
    }

    /// Every record filed under one of `probes`, once each, skipping oversized blocks;
    /// returns how many blocks were skipped.
    pub fn candidates(&self, probes: &[u64], out: &mut Vec<u32>) -> usize {
        out.clear();
        let mut skipped = 0;
        for k in probes {
            if let Some(b) = self.blocks.get(k) {
                if b.len() > MAX_BLOCK {
                    skipped += 1;
                } else {
                    out.extend_from_slice(b);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        skipped
    }

    /// Blocks and filed entries, for reporting memory use.
    pub fn size(&self) -> (usize, usize) {
        (self.blocks.len(), self.blocks.values().map(Vec::len).sum())
    }
}
