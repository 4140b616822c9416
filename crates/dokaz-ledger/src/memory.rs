//! An appendable in-memory node store: keeps the hash of every complete perfect
//! subtree, level by level, as leaves arrive — the same hashes a tile store keeps.
//!
//! Used by tests and benchmarks, and by the storage layer as a write-through cache
//! or to rebuild tiles. Memory: about 64 bytes per leaf (32 for the leaf, 32 for
//! all the levels above it together).

use crate::hash::{leaf_hash, Hash};
use crate::proof::{consistency_proof, inclusion_proof, ProofError};
use crate::tree::{root_from_source, NodeError, NodeSource};

/// Every complete perfect-subtree hash of a log, `levels[level][index]`.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
}

impl MemoryStore {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty log with room for `leaves` leaves without reallocating.
    #[must_use]
    pub fn with_capacity(leaves: u64) -> Self {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(usize::try_from(n).unwrap_or(usize::MAX)));
            n >>= 1;
        }
        Self { levels }
    }

    /// Number of leaves.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Whether no leaf was appended yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a leaf hash and returns its index. Completes every perfect subtree
    /// that the new leaf closes (amortised one node hash per leaf).
    pub fn append(&mut self, leaf: Hash) -> u64 {
        let index = self.len();
        self.push_at(0, leaf);
        let mut level = 0usize;
        // A subtree at `level` is complete when that level holds an even count.
        while self.levels[level].len() % 2 == 0 {
            let row = &self.levels[level];
            let parent = crate::hash::node_hash(&row[row.len() - 2], &row[row.len() - 1]);
            level += 1;
            self.push_at(level, parent);
        }
        index
    }

    /// Hashes `entry` as a leaf and appends it; returns its index.
    pub fn append_entry(&mut self, entry: &[u8]) -> u64 {
        self.append(leaf_hash(entry))
    }

    fn push_at(&mut self, level: usize, hash: Hash) {
        if self.levels.len() == level {
            self.levels.push(Vec::new());
        }
        self.levels[level].push(hash);
    }

    /// The leaf hash at `index`, if present.
    #[must_use]
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        let i = usize::try_from(index).ok()?;
        self.levels.first()?.get(i).copied()
    }

    /// Root of the whole log.
    #[must_use]
    pub fn root(&self) -> Hash {
        self.root_at(self.len())
            .expect("the store holds every node of its own size")
    }

    /// Root of the log as it was at `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        if size > self.len() {
            return Err(ProofError::SizeExceedsSource {
                size,
                available: self.len(),
            });
        }
        Ok(root_from_source(self, size)?)
    }

    /// Inclusion proof of leaf `index` in the tree of `size` leaves.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        inclusion_proof(self, index, size)
    }

    /// Consistency proof from the tree of `size1` leaves to that of `size2`.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, ProofError> {
        consistency_proof(self, size1, size2)
    }
}

impl NodeSource for MemoryStore {
    fn size(&self) -> u64 {
        self.len()
    }

    fn node(&self, level: u8, index: u64) -> Result<Hash, NodeError> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.levels.get(usize::from(level))?.get(i).copied())
            .ok_or(NodeError::Missing { level, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::root_from_leaf_hashes;

    #[test]
    fn roots_match_direct_computation_for_every_prefix() {
        let mut store = MemoryStore::new();
        let mut leaves = Vec::new();
        assert_eq!(store.root(), crate::hash::empty_root());
        for i in 0u32..70 {
            let h = leaf_hash(&i.to_be_bytes());
            assert_eq!(store.append(h), u64::from(i));
            leaves.push(h);
            assert_eq!(store.root(), root_from_leaf_hashes(&leaves));
        }
        for size in 0..=70usize {
            assert_eq!(
                store.root_at(size as u64).unwrap(),
                root_from_leaf_hashes(&leaves[..size])
            );
        }
        assert!(store.root_at(71).is_err());
        assert_eq!(store.leaf(3), Some(leaves[3]));
        assert!(store.node(3, 7).is_ok());
        assert!(matches!(store.node(3, 9), Err(NodeError::Missing { .. })));
    }
}
