//! The generators against a brute-force transcription of RFC 6962 §2.1.1–2.1.2
//! (recursive MTH, PATH and SUBPROOF over leaf lists): exhaustively for every
//! inclusion and consistency proof of trees up to 200 leaves, and with proptest
//! on random leaf data. Every generated proof must verify; every mutation must not.

use std::cell::RefCell;
use std::collections::HashMap;

use dokaz_ledger::{leaf_hash, node_hash, verify_consistency, verify_inclusion, Hash, MemoryStore};
use proptest::prelude::*;

/// RFC 6962 over a fixed list of leaf hashes, memoising MTH of sub-ranges only to
/// keep ~20,000 consistency proofs affordable (the recursion itself is the RFC's).
struct Reference<'a> {
    leaves: &'a [Hash],
    memo: RefCell<HashMap<(usize, usize), Hash>>,
}

impl<'a> Reference<'a> {
    fn new(leaves: &'a [Hash]) -> Self {
        Self {
            leaves,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// Largest power of two strictly smaller than n, computed the slow way.
    fn k(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// MTH(D[lo:hi]).
    fn mth(&self, lo: usize, hi: usize) -> Hash {
        let n = hi - lo;
        if n == 0 {
            return dokaz_ledger::empty_root();
        }
        if n == 1 {
            return self.leaves[lo];
        }
        if let Some(h) = self.memo.borrow().get(&(lo, hi)) {
            return *h;
        }
        let k = Self::k(n);
        let h = node_hash(&self.mth(lo, lo + k), &self.mth(lo + k, hi));
        self.memo.borrow_mut().insert((lo, hi), h);
        h
    }

    /// PATH(m, D[lo:hi]), m relative to lo.
    fn path(&self, m: usize, lo: usize, hi: usize) -> Vec<Hash> {
        let n = hi - lo;
        if n == 1 {
            return Vec::new();
        }
        let k = Self::k(n);
        if m < k {
            let mut p = self.path(m, lo, lo + k);
            p.push(self.mth(lo + k, hi));
            p
        } else {
            let mut p = self.path(m - k, lo + k, hi);
            p.push(self.mth(lo, lo + k));
            p
        }
    }

    /// SUBPROOF(m, D[lo:hi], b), m relative to lo.
    fn subproof(&self, m: usize, lo: usize, hi: usize, b: bool) -> Vec<Hash> {
        let n = hi - lo;
        if m == n {
            return if b {
                Vec::new()
            } else {
                vec![self.mth(lo, hi)]
            };
        }
        let k = Self::k(n);
        if m <= k {
            let mut p = self.subproof(m, lo, lo + k, b);
            p.push(self.mth(lo + k, hi));
            p
        } else {
            let mut p = self.subproof(m - k, lo + k, hi, false);
            p.push(self.mth(lo, lo + k));
            p
        }
    }

    /// PROOF(m, D[0:n]).
    fn proof(&self, m: usize, n: usize) -> Vec<Hash> {
        self.subproof(m, 0, n, true)
    }
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut b = *h.as_bytes();
    b[bit / 8 % 32] ^= 1 << (bit % 8);
    Hash(b)
}

/// Every variation of a valid inclusion proof that must fail.
fn inclusion_mutants_fail(idx: u64, n: u64, leaf: &Hash, proof: &[Hash], root: &Hash) {
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i] = flip(&p[i], i * 7 + 3);
        assert!(verify_inclusion(idx, n, leaf, &p, root).is_err());
    }
    if !proof.is_empty() {
        assert!(verify_inclusion(idx, n, leaf, &proof[..proof.len() - 1], root).is_err());
    }
    let mut longer = proof.to_vec();
    longer.push(*root);
    assert!(verify_inclusion(idx, n, leaf, &longer, root).is_err());
    assert!(verify_inclusion(idx, n, &flip(leaf, 0), proof, root).is_err());
    assert!(verify_inclusion(idx, n, leaf, proof, &flip(root, 255)).is_err());
    if n > 1 {
        // Another index is only accepted if it has the very same path, which cannot happen
        // for a different position in the same tree — unless the sibling leaf (the path's
        // first hash) is the same entry: then both orders hash alike, and the proof is
        // rightly valid for either position.
        let twin = proof.first() == Some(leaf);
        assert!(verify_inclusion(idx ^ 1, n, leaf, proof, root).is_err() || (idx ^ 1) >= n || twin);
    }
    assert!(verify_inclusion(n, n, leaf, proof, root).is_err());
}

fn consistency_mutants_fail(m: u64, n: u64, r1: &Hash, r2: &Hash, proof: &[Hash]) {
    for i in 0..proof.len() {
        let mut p = proof.to_vec();
        p[i] = flip(&p[i], i * 11 + 5);
        assert!(
            verify_consistency(m, n, r1, r2, &p).is_err(),
            "{m}->{n} flip {i}"
        );
    }
    if !proof.is_empty() {
        assert!(verify_consistency(m, n, r1, r2, &proof[..proof.len() - 1]).is_err());
    }
    let mut longer = proof.to_vec();
    longer.push(*r1);
    assert!(verify_consistency(m, n, r1, r2, &longer).is_err());
    assert!(verify_consistency(m, n, &flip(r1, 1), r2, proof).is_err());
    assert!(verify_consistency(m, n, r1, &flip(r2, 2), proof).is_err());
    assert!(verify_consistency(0, n, r1, r2, proof).is_err());
    if m != n {
        assert!(verify_consistency(m, n, r2, r1, proof).is_err());
    }
}

fn leaves(n: usize, seed: u8) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(&[seed, (i >> 8) as u8, i as u8]))
        .collect()
}

#[test]
#[allow(clippy::needless_range_loop)] // the indices are the subject under test
fn exhaustive_up_to_200_leaves() {
    const N: usize = 200;
    let data = leaves(N, 7);
    let reference = Reference::new(&data);
    let mut store = MemoryStore::new();
    let mut roots = vec![store.root()];
    for leaf in &data {
        store.append(*leaf);
        roots.push(store.root());
    }
    let (mut inclusion, mut consistency) = (0, 0);
    for n in 1..=N {
        let root = reference.mth(0, n);
        assert_eq!(roots[n], root, "root of {n}");
        for m in 0..n {
            let proof = store.inclusion_proof(m as u64, n as u64).unwrap();
            assert_eq!(proof, reference.path(m, 0, n), "inclusion {m} in {n}");
            verify_inclusion(m as u64, n as u64, &data[m], &proof, &root).unwrap();
            inclusion_mutants_fail(m as u64, n as u64, &data[m], &proof, &root);
            inclusion += 1;
        }
        for m in 1..=n {
            let proof = store.consistency_proof(m as u64, n as u64).unwrap();
            assert_eq!(proof, reference.proof(m, n), "consistency {m} -> {n}");
            verify_consistency(m as u64, n as u64, &roots[m], &root, &proof).unwrap();
            consistency_mutants_fail(m as u64, n as u64, &roots[m], &root, &proof);
            consistency += 1;
        }
    }
    assert_eq!(inclusion, N * (N + 1) / 2);
    assert_eq!(consistency, N * (N + 1) / 2);
    assert!(store.inclusion_proof(0, 0).is_err());
    assert!(store.inclusion_proof(5, 5).is_err());
    assert!(store.consistency_proof(0, 5).is_err());
    assert!(store.consistency_proof(6, 5).is_err());
    assert!(store.consistency_proof(5, N as u64 + 1).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_entries_match_the_reference(
        entries in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..300),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let hashes: Vec<Hash> = entries.iter().map(|e| leaf_hash(e)).collect();
        let reference = Reference::new(&hashes);
        let mut store = MemoryStore::new();
        for e in &entries {
            store.append_entry(e);
        }
        let n = entries.len();
        prop_assert_eq!(store.root(), reference.mth(0, n));
        prop_assert_eq!(store.root(), dokaz_ledger::root_from_entries(&entries));

        let idx = a.index(n);
        let proof = store.inclusion_proof(idx as u64, n as u64).unwrap();
        prop_assert_eq!(&proof, &reference.path(idx, 0, n));
        prop_assert!(verify_inclusion(idx as u64, n as u64, &hashes[idx], &proof, &store.root()).is_ok());
        inclusion_mutants_fail(idx as u64, n as u64, &hashes[idx], &proof, &store.root());

        let m = b.index(n) + 1;
        let root1 = store.root_at(m as u64).unwrap();
        let proof = store.consistency_proof(m as u64, n as u64).unwrap();
        prop_assert_eq!(&proof, &reference.proof(m, n));
        prop_assert!(verify_consistency(m as u64, n as u64, &root1, &store.root(), &proof).is_ok());
        consistency_mutants_fail(m as u64, n as u64, &root1, &store.root(), &proof);
    }
}

/// Two identical entries side by side: the proof of one is, correctly, also a proof of the
/// other's position (the regression proptest once found with two empty entries).
#[test]
fn identical_sibling_entries_prove_either_position() {
    let entries: Vec<Vec<u8>> = vec![vec![], vec![], b"x".to_vec()];
    let mut store = MemoryStore::new();
    for e in &entries {
        store.append_entry(e);
    }
    let leaf = leaf_hash(&entries[0]);
    let proof = store.inclusion_proof(0, 3).unwrap();
    assert_eq!(proof.first(), Some(&leaf));
    assert!(verify_inclusion(0, 3, &leaf, &proof, &store.root()).is_ok());
    assert!(verify_inclusion(1, 3, &leaf, &proof, &store.root()).is_ok());
    inclusion_mutants_fail(0, 3, &leaf, &proof, &store.root());
}
