//! `fsck`: proves that what is stored is what was recorded. Blobs are re-hashed against
//! their address; the Merkle tree is recomputed from the stored leaf hashes and compared with
//! the signed checkpoint; every entry's leaf hash is recomputed from its bytes; every custody
//! row is held against its ledger entry, and every custody document archived by migration
//! 0008 (the JSON copy each row kept before) is decoded and compared with the event its entry
//! holds; gaps and truncation are found;
//! leftovers of interrupted intakes are found (and, with `repair`, removed); tiles are
//! checked and rebuilt. Every finding names the item's ERN where there is one.

mod blobs;
mod ledger;

use std::time::Duration;

use dokaz_model::{Ern, Sha256};
use serde::Serialize;
use tracing::instrument;

use crate::error::VaultResult;
use crate::Vault;

/// What to check and whether to repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsckOptions {
    /// Re-hash only this many blobs, chosen at random; `None` re-hashes all.
    pub sample: Option<usize>,
    /// Remove leftovers of interrupted intakes and rebuild derived state. Never touches a
    /// completed item, a custody event or a ledger entry.
    pub repair: bool,
    /// Staging objects and unreferenced blobs younger than this may belong to an intake
    /// still running, and are left alone.
    pub grace: Duration,
}

impl Default for FsckOptions {
    fn default() -> Self {
        Self {
            sample: None,
            repair: false,
            grace: Duration::from_secs(15 * 60),
        }
    }
}

/// Which check is running, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FsckPhase {
    Blobs,
    Ledger,
    Tiles,
    Leftovers,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FsckProgress {
    pub phase: FsckPhase,
    /// Items (blobs, entries) done and expected in this phase.
    pub done: u64,
    pub total: u64,
    /// Bytes re-hashed so far.
    pub bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A registered item's blob is gone.
    BlobMissing,
    /// A blob's bytes no longer hash to its address.
    BlobCorrupt,
    /// A stored leaf hash is not the hash of its entry.
    LeafHashMismatch,
    /// Ledger positions with no entry (deleted rows).
    LedgerGap,
    /// The log has fewer entries than its latest checkpoint.
    LogTruncated,
    /// The tree from the stored leaves does not have the checkpoint's root.
    RootMismatch,
    /// The latest checkpoint does not verify with the node's key.
    CheckpointInvalid,
    /// A custody row names another event or item than the entry at its index holds, or an
    /// archived JSON copy of a custody event (kept by migration 0008) does not decode to the
    /// event the entry at its index holds.
    EventMismatch,
    /// A ledger entry with no custody event row.
    EventMissing,
    /// A stored audit record does not encode to the entry at its index.
    AuditMismatch,
    /// An audit ledger entry with no audit row: a removed audit record.
    AuditMissing,
    /// A staging object: an interrupted intake.
    StagingLeftover,
    /// A blob no item refers to: an intake that stopped between blob and SQL.
    OrphanBlob,
    /// Published tiles or checkpoint copy missing or not matching SQL.
    TilesStale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ern: Option<Ern>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Sha256>,
    pub detail: String,
    /// Whether `repair` fixed it.
    pub repaired: bool,
}

impl Finding {
    pub(crate) fn new(kind: FindingKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            ern: None,
            index: None,
            sha256: None,
            detail: detail.into(),
            repaired: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FsckReport {
    pub blobs_checked: u64,
    pub bytes_checked: u64,
    pub entries_checked: u64,
    pub events_checked: u64,
    /// Archived JSON copies of custody events (from before migration 0008) checked.
    pub archived_documents_checked: u64,
    pub ledger_size: u64,
    pub checkpoint_size: Option<u64>,
    pub findings: Vec<Finding>,
}

impl FsckReport {
    /// No finding left unrepaired.
    pub fn is_clean(&self) -> bool {
        self.findings.iter().all(|f| f.repaired)
    }

    /// The findings of one kind.
    pub fn of(&self, kind: FindingKind) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.kind == kind).collect()
    }
}

/// Where progress goes; called often, keep it cheap.
pub type Progress<'a> = &'a (dyn Fn(&FsckProgress) + Send + Sync);

impl Vault {
    /// Checks the vault; see the module documentation. Works on a vault whose log has
    /// diverged (that is what it is for).
    #[instrument(skip(self, progress), err)]
    pub async fn fsck(
        &self,
        options: FsckOptions,
        progress: Progress<'_>,
    ) -> VaultResult<FsckReport> {
        let mut report = FsckReport::default();
        blobs::check_blobs(self, &options, progress, &mut report).await?;
        ledger::check_ledger(self, &options, progress, &mut report).await?;
        blobs::check_leftovers(self, &options, progress, &mut report).await?;
        Ok(report)
    }
}
