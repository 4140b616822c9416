//! Byte-for-byte comparison with an independent implementation, the `ct-merkle`
//! crate, on random trees.
//!
//! ct-merkle hashes a leaf `T: AsRef<[u8]>` as `SHA-256(0x00 || bytes)` and
//! interior nodes as `SHA-256(0x01 || l || r)`, i.e. exactly RFC 6962 over raw
//! entries, so roots, inclusion proofs and consistency proofs can be compared
//! directly. Its consistency proofs are requested as "the last `num_additions`
//! leaves", and it has no proof from the empty tree, matching our convention.

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use dokaz_ledger::{Hash, MemoryStore};
use proptest::prelude::*;
use sha2_ct::Sha256;

fn concat(proof: &[Hash]) -> Vec<u8> {
    proof.iter().flat_map(|h| h.as_bytes().to_vec()).collect()
}

/// Both trees built from the same entries, grown one prefix at a time.
fn compare(entries: &[Vec<u8>], idx: usize, old: usize) -> Result<(), TestCaseError> {
    let mut theirs: MemoryBackedTree<Sha256, Vec<u8>> = MemoryBackedTree::new();
    let mut ours = MemoryStore::new();
    let mut their_old_root = None;
    for (i, e) in entries.iter().enumerate() {
        theirs.push(e.clone());
        ours.append_entry(e);
        prop_assert_eq!(
            theirs.root().as_bytes().to_vec(),
            ours.root().as_bytes().to_vec()
        );
        if i + 1 == old {
            their_old_root = Some(theirs.root());
        }
    }
    let n = entries.len() as u64;

    let our_incl = ours.inclusion_proof(idx as u64, n).unwrap();
    let their_incl = theirs.prove_inclusion(idx);
    prop_assert_eq!(their_incl.as_bytes().to_vec(), concat(&our_incl));
    // Each side verifies the other's proof.
    let our_as_theirs = InclusionProof::<Sha256>::from_bytes(concat(&our_incl));
    prop_assert!(theirs
        .root()
        .verify_inclusion(&entries[idx], idx as u64, &our_as_theirs)
        .is_ok());

    let our_cons = ours.consistency_proof(old as u64, n).unwrap();
    let their_cons = theirs.prove_consistency(entries.len() - old);
    prop_assert_eq!(their_cons.as_bytes().to_vec(), concat(&our_cons));
    let old_root: RootHash<Sha256> = their_old_root.unwrap();
    prop_assert_eq!(
        old_root.as_bytes().to_vec(),
        ours.root_at(old as u64).unwrap().as_bytes().to_vec()
    );
    let our_as_theirs = ConsistencyProof::<Sha256>::try_from_bytes(concat(&our_cons)).unwrap();
    prop_assert!(theirs
        .root()
        .verify_consistency(&old_root, &our_as_theirs)
        .is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn matches_ct_merkle(
        entries in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..24), 1..260),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let idx = a.index(entries.len());
        let old = b.index(entries.len()) + 1;
        compare(&entries, idx, old)?;
    }
}

#[test]
fn matches_ct_merkle_on_every_pair_up_to_40() {
    let entries: Vec<Vec<u8>> = (0u32..40).map(|i| i.to_le_bytes().to_vec()).collect();
    for n in 1..=entries.len() {
        for k in 0..n {
            compare(&entries[..n], k, k + 1).unwrap();
        }
    }
}
