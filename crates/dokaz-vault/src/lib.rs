//! # dokaz-vault
//!
//! The evidence vault: what the CLI and the HTTP API call to take evidence in, record its
//! custody, prove it and check it. It joins the SQL store (`dokaz-store` traits), the blob
//! store and the Merkle log (`dokaz-ledger`), and owns the rules that make the whole
//! provable in court:
//!
//! - an intake is acknowledged only when its blob, its row and its ledger entry are durable;
//! - every custody event is a ledger entry, appended through one sequencer that groups
//!   concurrent writes into one transaction (group commit);
//! - tiles and checkpoints are derived from SQL, published a few times a second (at once
//!   when [`Vault::sync`] asks) and rebuilt when missing;
//! - `fsck` re-derives everything derivable and names the item behind every discrepancy.
//!
//! | module | owns |
//! |---|---|
//! | `vault` | the [`Vault`] handle, opening |
//! | `intake` | [`Vault::ingest`] |
//! | `custody` | [`Vault::record`], [`Vault::history`] |
//! | `derive` | [`Vault::derive`], [`Vault::family`]: derivatives and families |
//! | `audit` | [`Vault::append_audit`] |
//! | `proofs` | [`Vault::checkpoint`], [`Vault::prove`], [`Vault::consistency`] |
//! | `fsck` | [`Vault::fsck`] |
//! | `sequencer`, `publisher`, `frontier`, `tiles_io` | group commit and tile publication |
//! | `sniff` | media type, text and EXIF from the bytes |
#![forbid(unsafe_code)]

mod audit;
mod custody;
mod derive;
mod error;
mod frontier;
mod fsck;
mod intake;
mod proofs;
mod publisher;
mod sequencer;
pub mod sniff;
mod tiles_io;
mod vault;

pub use derive::DeriveRequest;
pub use error::{VaultError, VaultResult};
pub use fsck::{Finding, FindingKind, FsckOptions, FsckPhase, FsckProgress, FsckReport, Progress};
pub use intake::{IntakeReceipt, IntakeRequest};
pub use proofs::{ConsistencyProof, EntryProof, ItemProof};
pub use sequencer::MAX_BATCH;
pub use vault::Vault;
