//! The vault handle: one store, one blob store, the node's signing key and the log's
//! origin, and the sequencer every custody write goes through.

use std::sync::Arc;

use dokaz_ledger::{Signer, Verifier};
use dokaz_store::blob::BlobStore;
use dokaz_store::{AuditStore, EvidenceStore, LedgerStore, ProvenanceStore, Store};
use tokio::sync::Mutex;

use crate::error::{VaultError, VaultResult};
use crate::publisher::Publisher;
use crate::sequencer::Sequencer;

/// The evidence vault. Cheap to clone; all clones share one sequencer. Dropping the last
/// clone stops the background tasks after they finish what is queued.
#[derive(Clone)]
pub struct Vault {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub evidence: Arc<dyn EvidenceStore>,
    /// Families of derivatives, found by ERN.
    pub provenance: Arc<dyn ProvenanceStore>,
    pub ledger: Arc<dyn LedgerStore>,
    /// Audit rows and their ledger entries; read by fsck, written through the sequencer.
    pub audit: Arc<dyn AuditStore>,
    pub blobs: BlobStore,
    pub verifier: Verifier,
    pub origin: String,
    pub sequencer: Sequencer,
    /// Serialises events that rewrite an item's row (seal, unseal, tombstone), so two of
    /// them cannot both start from the same old row.
    pub row_changes: Mutex<()>,
    /// Striped locks on (agency, digest): two intakes of the same bytes by one agency run
    /// one after the other, so the second sees the first's item and becomes its duplicate
    /// instead of a second item.
    pub intake_locks: Vec<Mutex<()>>,
}

/// Stripes of [`Inner::intake_locks`]; different bytes rarely share one.
const INTAKE_LOCK_STRIPES: usize = 1024;

impl Inner {
    pub fn intake_lock(
        &self,
        agency: &dokaz_model::AgencyId,
        sha256: &dokaz_model::Sha256,
    ) -> &Mutex<()> {
        let a = agency.as_uuid().as_u128() as usize;
        let h = usize::from_le_bytes(sha256.0[..8].try_into().unwrap_or_default());
        &self.intake_locks[(a ^ h) % self.intake_locks.len()]
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("origin", &self.inner.origin)
            .field("blobs", &self.inner.blobs)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Opens the vault on a store: loads the right edge of the Merkle tree from the stored
    /// leaf hashes, checks it against the latest checkpoint, and starts the sequencer.
    /// `origin` is the log's name (`ledger.origin` in the configuration) and must be the
    /// signer's key name.
    pub async fn open(
        store: Arc<dyn Store>,
        blobs: BlobStore,
        signer: Signer,
        origin: &str,
    ) -> VaultResult<Self> {
        let evidence: Arc<dyn EvidenceStore> = store.clone();
        let provenance: Arc<dyn ProvenanceStore> = store.clone();
        let ledger: Arc<dyn LedgerStore> = store.clone();
        let audit: Arc<dyn AuditStore> = store;
        Self::open_parts(evidence, provenance, ledger, audit, blobs, signer, origin).await
    }

    /// [`Vault::open`] on the storage traits separately (tests, tools).
    #[allow(clippy::too_many_arguments)]
    pub async fn open_parts(
        evidence: Arc<dyn EvidenceStore>,
        provenance: Arc<dyn ProvenanceStore>,
        ledger: Arc<dyn LedgerStore>,
        audit: Arc<dyn AuditStore>,
        blobs: BlobStore,
        signer: Signer,
        origin: &str,
    ) -> VaultResult<Self> {
        if signer.name() != origin {
            return Err(VaultError::Invalid {
                field: "ledger.origin",
                reason: format!(
                    "the log is named {origin:?} but the signing key is {:?}",
                    signer.name()
                ),
            });
        }
        let verifier = signer.verifier();
        let signer = Arc::new(signer);
        let publisher = {
            let (ledger, blobs, origin) = (ledger.clone(), blobs.clone(), origin.to_owned());
            move |published, now| Publisher {
                ledger,
                blobs,
                signer,
                origin,
                published,
                now,
            }
        };
        let sequencer =
            Sequencer::start(ledger.clone(), audit.clone(), publisher, &verifier, origin).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                evidence,
                provenance,
                ledger,
                audit,
                blobs,
                verifier,
                origin: origin.to_owned(),
                sequencer,
                row_changes: Mutex::new(()),
                intake_locks: (0..INTAKE_LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
            }),
        })
    }

    pub fn blobs(&self) -> &BlobStore {
        &self.inner.blobs
    }

    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// The key that verifies this log's checkpoints.
    pub fn verifier(&self) -> &Verifier {
        &self.inner.verifier
    }

    /// Why writes are refused, when the stored log does not match its latest checkpoint.
    pub fn diverged(&self) -> Option<&str> {
        self.inner.sequencer.diverged()
    }

    /// Waits until everything committed so far is covered by a published checkpoint (tiles
    /// written, checkpoint signed and stored); returns its size. Call before exiting.
    pub async fn sync(&self) -> VaultResult<u64> {
        self.inner.sequencer.sync().await
    }
}
