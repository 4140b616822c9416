//! # dokaz-ledger
//!
//! The verifiable, append-only Merkle log under dokaz's chain of custody. Every
//! custody event becomes a log entry; the log's signed checkpoints commit to all
//! entries so far, inclusion proofs show an entry is in a checkpoint, and
//! consistency proofs show a later checkpoint extends an earlier one — so no
//! record can be altered or removed after the fact without detection.
//!
//! Why standards rather than a home-grown format: a court, an opposing expert or
//! an NGO must be able to check the log with tools they already trust. Hashing and
//! proofs follow RFC 6962 / RFC 9162 (Certificate Transparency); checkpoints,
//! signed notes and tiles follow the C2SP specifications (c2sp.org/signed-note,
//! tlog-checkpoint, tlog-tiles), so existing transparency-log clients and
//! witnesses (Go's `sumdb/note`, tessera, sigsum) can read and verify a dokaz log.
//!
//! This crate is deliberately small and synchronous (no async, no SQL): it is
//! also the core of the offline verifier.
//!
//! | module | owns |
//! |---|---|
//! | [`hash`] | leaf / node hashing, the [`Hash`](struct@Hash) type |
//! | [`tree`] | Merkle Tree Hash, the [`NodeSource`] abstraction |
//! | [`proof`] | inclusion and consistency proofs |
//! | [`memory`] | an appendable in-memory node store |
//! | [`note`] | signed notes, Ed25519 signer and verifier keys |
//! | [`checkpoint`] | checkpoint bodies |
//! | [`tiles`] | tile paths, tile building, entry bundles, reading a tree from tiles |

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checkpoint;
pub mod hash;
pub mod memory;
pub mod note;
pub mod proof;
pub mod tiles;
pub mod tree;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use hash::{empty_root, leaf_hash, node_hash, Hash, HashError, HASH_SIZE};
pub use memory::MemoryStore;
pub use note::{Note, NoteError, NoteSignature, Signer, Verifier};
pub use proof::{
    consistency_proof, inclusion_proof, root_from_inclusion_proof, verify_consistency,
    verify_inclusion, ProofError,
};
pub use tiles::{DirFetcher, TileError, TileFetcher, TileId, TileReader, TILE_HEIGHT, TILE_WIDTH};
pub use tree::{root_from_entries, root_from_leaf_hashes, root_from_source, NodeError, NodeSource};
