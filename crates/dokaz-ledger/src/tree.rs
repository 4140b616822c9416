//! The shape of an RFC 6962 Merkle tree: the Merkle Tree Hash (MTH) with its
//! largest-power-of-two split, and the "perfect subtree" addressing that lets
//! roots and proofs be computed from stored node hashes in O(log n) look-ups.
//!
//! A perfect subtree is addressed by `(level, index)`: the root of the `2^level`
//! leaves starting at leaf `index << level`. Once written it never changes, which
//! is why tlog-tiles (and our stores) can keep exactly these hashes.

use crate::hash::{empty_root, leaf_hash, node_hash, Hash};

/// Why a node hash could not be obtained from a [`NodeSource`].
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The requested perfect subtree is not complete in (or not held by) the source.
    #[error("node at level {level}, index {index} is not available")]
    Missing {
        /// Height of the perfect subtree (0 = a leaf).
        level: u8,
        /// Position of the subtree among those of the same level.
        index: u64,
    },
    /// The storage behind the source failed.
    #[error("node source failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Anything that can hand out the hashes of complete perfect subtrees of a log.
///
/// `node(level, index)` is the Merkle Tree Hash of leaves
/// `[index << level, (index + 1) << level)`; it is only asked for subtrees that
/// lie entirely within `size()`. This is exactly what tlog-tiles stores, so a
/// tile store, a database or the in-memory store can all serve proofs.
pub trait NodeSource {
    /// Number of leaves the source currently holds.
    fn size(&self) -> u64;

    /// Hash of the perfect subtree of `2^level` leaves starting at leaf `index << level`.
    fn node(&self, level: u8, index: u64) -> Result<Hash, NodeError>;
}

impl<S: NodeSource + ?Sized> NodeSource for &S {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn node(&self, level: u8, index: u64) -> Result<Hash, NodeError> {
        (**self).node(level, index)
    }
}

/// The largest power of two strictly smaller than `n` (the RFC 6962 split point `k`).
///
/// # Panics
/// If `n < 2`: a tree of zero or one leaves has no split.
#[must_use]
pub fn split_point(n: u64) -> u64 {
    assert!(n >= 2, "split_point needs at least two leaves, got {n}");
    1 << (63 - (n - 1).leading_zeros())
}

/// Whether a tree of `n` leaves is perfect (`n` is a power of two).
#[must_use]
pub fn is_perfect(n: u64) -> bool {
    n.is_power_of_two()
}

/// Merkle Tree Hash of a list of leaf hashes (RFC 6962 §2.1).
///
/// Iterative: hashes full pairs level by level, carrying an odd last node up
/// unchanged, which yields the same tree as the recursive definition because
/// the right subtree of every split is the short one.
#[must_use]
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    if leaves.is_empty() {
        return empty_root();
    }
    let mut level: Vec<Hash> = leaves.to_vec();
    while level.len() > 1 {
        let next: Vec<Hash> = level
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => node_hash(l, r),
                [single] => *single,
                _ => unreachable!("chunks(2) yields one or two items"),
            })
            .collect();
        level = next;
    }
    level[0]
}

/// Merkle Tree Hash of a list of raw entries.
#[must_use]
pub fn root_from_entries<E: AsRef<[u8]>>(entries: &[E]) -> Hash {
    let leaves: Vec<Hash> = entries.iter().map(|e| leaf_hash(e.as_ref())).collect();
    root_from_leaf_hashes(&leaves)
}

/// Merkle Tree Hash of leaves `[start, end)` from a node source.
///
/// The range must be one that MTH recursion produces: `start` a multiple of the
/// power of two at or above `end - start`. Then the range splits into at most
/// 64 aligned perfect subtrees (one per set bit of its length, largest first),
/// folded right to left.
pub fn range_hash<S: NodeSource + ?Sized>(
    src: &S,
    start: u64,
    end: u64,
) -> Result<Hash, NodeError> {
    debug_assert!(start < end);
    let len = end - start;
    let mut parts: Vec<Hash> = Vec::with_capacity(len.count_ones() as usize);
    let mut offset = start;
    for level in (0..64u8).rev() {
        let width = 1u64 << level;
        if len & width != 0 {
            parts.push(src.node(level, offset >> level)?);
            offset += width;
        }
    }
    let mut acc = parts.pop().expect("len > 0 has at least one set bit");
    while let Some(left) = parts.pop() {
        acc = node_hash(&left, &acc);
    }
    Ok(acc)
}

/// Root of the tree made of the first `size` leaves of `src` (O(log size) look-ups).
pub fn root_from_source<S: NodeSource + ?Sized>(src: &S, size: u64) -> Result<Hash, NodeError> {
    if size == 0 {
        return Ok(empty_root());
    }
    range_hash(src, 0, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_largest_power_of_two_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }

    #[test]
    fn small_roots_match_the_definition() {
        let l: Vec<Hash> = (0u8..3).map(|i| leaf_hash(&[i])).collect();
        assert_eq!(root_from_leaf_hashes(&[]), empty_root());
        assert_eq!(root_from_leaf_hashes(&l[..1]), l[0]);
        assert_eq!(
            root_from_leaf_hashes(&l),
            node_hash(&node_hash(&l[0], &l[1]), &l[2])
        );
    }
}
