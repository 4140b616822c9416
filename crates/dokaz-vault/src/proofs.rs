//! Proofs a court or partner can check without trusting this node: the latest signed
//! checkpoint, an item's custody entries with inclusion proofs against it, and consistency
//! between two log sizes. Proof hashes come from the published tiles, so a log of ten
//! million entries needs no full load; if tiles are missing or stale they are rebuilt from
//! SQL first.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use dokaz_ledger::{
    consistency_proof, inclusion_proof, leaf_hash, root_from_source, verify_consistency,
    verify_inclusion, Checkpoint, Hash, Verifier,
};
use dokaz_model::{CustodyEvent, Ern, Sha256};
use dokaz_store::StoredCheckpoint;
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::error::{VaultError, VaultResult};
use crate::tiles_io::{self, BlobFetcher};
use crate::Vault;
use dokaz_ledger::TileReader;

/// An item's custody entries, each with its inclusion proof in the checkpoint's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemProof {
    pub ern: Ern,
    pub sha256: Sha256,
    /// The signed checkpoint (C2SP signed note) the proofs lead to.
    pub checkpoint: String,
    pub tree_size: u64,
    pub entries: Vec<EntryProof>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryProof {
    pub index: u64,
    /// The ledger entry bytes, base64.
    pub entry: String,
    /// RFC 6962 leaf hash of the entry, hex.
    pub leaf_hash: String,
    /// Audit path from the leaf's sibling upwards, hex.
    pub inclusion: Vec<String>,
}

/// That the tree at `old_size` is a prefix of the tree at `new_size`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub new_size: u64,
    /// Roots, hex.
    pub old_root: String,
    pub new_root: String,
    pub proof: Vec<String>,
    /// The signed checkpoints at those sizes, where one was published.
    pub old_checkpoint: Option<String>,
    pub new_checkpoint: Option<String>,
}

fn hex_list(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(Hash::to_hex).collect()
}

impl Vault {
    /// The latest signed checkpoint, after everything committed so far is published.
    #[instrument(skip(self), err)]
    pub async fn checkpoint(&self) -> VaultResult<StoredCheckpoint> {
        self.sync().await?;
        self.inner
            .ledger
            .latest_checkpoint()
            .await?
            .ok_or_else(|| VaultError::Proof("no checkpoint yet".into()))
    }

    /// Proves every custody entry of the item `ern` against the latest checkpoint.
    #[instrument(skip(self), err)]
    pub async fn prove(&self, ern: &Ern) -> VaultResult<ItemProof> {
        let item = self.item(ern).await?;
        let history = self.inner.ledger.custody_history(item.id).await?;
        let stored = self.checkpoint().await?;
        let (cp, _) = Checkpoint::open(
            stored.note.as_bytes(),
            &self.inner.origin,
            &self.inner.verifier,
        )
        .map_err(VaultError::ledger)?;
        let (size, root) = (cp.size(), cp.root());
        let mut entries = Vec::new();
        for rec in history.iter().filter(|r| r.ledger_index < size) {
            let i = rec.ledger_index;
            let stored_entry = self.inner.ledger.ledger_entries(i, i + 1).await?;
            let e = stored_entry.into_iter().next().ok_or_else(|| {
                VaultError::Proof(format!("{ern}: ledger entry {i} is missing; run fsck"))
            })?;
            let leaf = Hash(e.leaf_hash);
            let path = self
                .with_tiles(size, move |src| {
                    let p = inclusion_proof(src, i, size).map_err(VaultError::ledger)?;
                    verify_inclusion(i, size, &leaf, &p, &root).map_err(VaultError::ledger)?;
                    Ok(p)
                })
                .await?;
            entries.push(EntryProof {
                index: i,
                entry: BASE64.encode(&e.entry),
                leaf_hash: leaf.to_hex(),
                inclusion: hex_list(&path),
            });
        }
        Ok(ItemProof {
            ern: item.ern,
            sha256: item.sha256,
            checkpoint: stored.note,
            tree_size: size,
            entries,
        })
    }

    /// Proves that the log at `old_size` is a prefix of the log at `new_size` (at most the
    /// latest checkpoint's size).
    #[instrument(skip(self), err)]
    pub async fn consistency(&self, old_size: u64, new_size: u64) -> VaultResult<ConsistencyProof> {
        let latest = self.checkpoint().await?;
        if old_size == 0 || old_size > new_size || new_size > latest.size {
            return Err(VaultError::Proof(format!(
                "sizes {old_size} -> {new_size}: need 0 < old <= new <= {}",
                latest.size
            )));
        }
        let (proof, old_root, new_root) = self
            .with_tiles(latest.size, move |src| {
                let p = consistency_proof(src, old_size, new_size).map_err(VaultError::ledger)?;
                let r1 = root_from_source(src, old_size).map_err(VaultError::ledger)?;
                let r2 = root_from_source(src, new_size).map_err(VaultError::ledger)?;
                verify_consistency(old_size, new_size, &r1, &r2, &p).map_err(VaultError::ledger)?;
                Ok((p, r1, r2))
            })
            .await?;
        let note_at = |size| async move {
            self.inner
                .ledger
                .checkpoint_at(size)
                .await
                .ok()
                .map(|c| c.note)
        };
        Ok(ConsistencyProof {
            old_size,
            new_size,
            old_root: old_root.to_hex(),
            new_root: new_root.to_hex(),
            proof: hex_list(&proof),
            old_checkpoint: note_at(old_size).await,
            new_checkpoint: note_at(new_size).await,
        })
    }

    /// Runs `f` over the tiles of the tree of `size` leaves on a blocking thread; if that
    /// fails (tiles missing, stale or corrupt), rebuilds the tiles from SQL and tries once
    /// more.
    async fn with_tiles<T, F>(&self, size: u64, f: F) -> VaultResult<T>
    where
        T: Send + 'static,
        F: Fn(&TileReader<BlobFetcher>) -> VaultResult<T> + Send + Clone + 'static,
    {
        let run = |f: F| {
            let reader = tiles_io::reader(&self.inner.blobs, size);
            tokio::task::spawn_blocking(move || f(&reader))
        };
        match run(f.clone()).await {
            Ok(Ok(v)) => return Ok(v),
            Ok(Err(e)) => tracing::warn!(error = %e, "proof from tiles failed; rebuilding tiles"),
            Err(e) => return Err(VaultError::Ledger(e.to_string())),
        }
        tiles_io::rebuild(&self.inner.ledger, &self.inner.blobs, size).await?;
        run(f)
            .await
            .map_err(|e| VaultError::Ledger(e.to_string()))?
    }
}

impl ItemProof {
    /// Checks the proof offline: the checkpoint's signature and origin, each entry's leaf
    /// hash and inclusion, and that each entry is a custody event about this item's bytes.
    pub fn verify(&self, origin: &str, verifier: &Verifier) -> VaultResult<()> {
        let bad = |why: String| VaultError::Verify(format!("{}: {why}", self.ern));
        let (cp, _) = Checkpoint::open(self.checkpoint.as_bytes(), origin, verifier)
            .map_err(|e| bad(e.to_string()))?;
        if cp.size() != self.tree_size {
            return Err(bad("tree size differs from the checkpoint".into()));
        }
        for e in &self.entries {
            let bytes = BASE64
                .decode(&e.entry)
                .map_err(|err| bad(format!("entry {}: {err}", e.index)))?;
            let leaf = leaf_hash(&bytes);
            if leaf.to_hex() != e.leaf_hash {
                return Err(bad(format!("entry {}: leaf hash differs", e.index)));
            }
            let path = e
                .inclusion
                .iter()
                .map(|h| Hash::from_hex(h))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| bad(format!("entry {}: {err}", e.index)))?;
            verify_inclusion(e.index, cp.size(), &leaf, &path, &cp.root())
                .map_err(|err| bad(format!("entry {}: {err}", e.index)))?;
            let event = CustodyEvent::from_ledger_entry(&bytes)
                .map_err(|err| bad(format!("entry {}: {err}", e.index)))?;
            if event.ern != self.ern || event.sha256 != self.sha256 {
                return Err(bad(format!("entry {} is about another item", e.index)));
            }
        }
        Ok(())
    }
}
