//! The publisher: after the sequencer commits, it writes the tiles that completed and the
//! partial ones, then signs a checkpoint and keeps it in SQL and at `log/checkpoint`. It runs
//! beside the sequencer and drains whatever has queued, so under load one checkpoint covers
//! many batches and tile I/O never delays a commit.

use std::sync::Arc;

use dokaz_ledger::tiles::encode_bundle;
use dokaz_ledger::{Checkpoint, Signer};
use dokaz_store::blob::BlobStore;
use dokaz_store::{LedgerStore, StoredCheckpoint};
use tokio::sync::{mpsc, watch};

use crate::error::{VaultError, VaultResult};
use crate::frontier::{FullTile, Snapshot};
use crate::tiles_io;

/// Work for the publisher from one sequencer batch.
#[derive(Debug, Default)]
pub(crate) struct TileWork {
    pub full: Vec<FullTile>,
    /// The state to sign; `None` when more batches were already queued behind this one.
    pub snapshot: Option<Snapshot>,
    /// Rewrite all tiles from SQL first (after a crash, or when entries were not known).
    pub rebuild: bool,
}

/// What has been published: the size of the latest signed checkpoint, and the last failure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Published {
    /// `None` until the first checkpoint exists.
    pub size: Option<u64>,
    pub error: Option<String>,
}

pub(crate) struct Publisher {
    pub ledger: Arc<dyn LedgerStore>,
    pub blobs: BlobStore,
    pub signer: Arc<Signer>,
    pub origin: String,
    pub published: watch::Sender<Published>,
}

impl Publisher {
    pub async fn run(self, mut rx: mpsc::UnboundedReceiver<TileWork>) {
        while let Some(first) = rx.recv().await {
            let mut works = vec![first];
            while let Ok(w) = rx.try_recv() {
                works.push(w);
            }
            let snapshot = works.iter().rev().find_map(|w| w.snapshot.clone());
            let result = self.publish(works, snapshot.as_ref()).await;
            if let Err(e) = &result {
                tracing::error!(error = %e, "publishing tiles or checkpoint failed; fsck rebuilds them");
            }
            self.published.send_modify(|p| {
                if let Some(s) = &snapshot {
                    p.size = Some(s.size);
                }
                p.error = result.err().map(|e| e.to_string());
            });
        }
    }

    async fn publish(&self, works: Vec<TileWork>, snapshot: Option<&Snapshot>) -> VaultResult<()> {
        let mut rebuild = false;
        let mut objects = Vec::new();
        for w in works {
            rebuild |= w.rebuild;
            for t in w.full {
                objects.push((t.id.path(), tiles_io::tile_bytes(&t.hashes)));
                match t.entries {
                    Some(e) => objects.push((t.id.entries_path(), bundle(&e)?)),
                    None if t.id.level == 0 => rebuild = true,
                    None => {}
                }
            }
        }
        if let Some(s) = snapshot {
            for (id, hashes) in &s.partial_tiles {
                objects.push((id.path(), tiles_io::tile_bytes(hashes)));
            }
            if let Some((id, entries)) = &s.partial_bundle {
                objects.push((id.entries_path(), bundle(entries)?));
            }
        }
        tiles_io::write_all(&self.blobs, objects).await?;
        let Some(s) = snapshot else {
            return Ok(());
        };
        if rebuild {
            let rewritten = tiles_io::rebuild(&self.ledger, &self.blobs, s.size).await?;
            tracing::info!(tiles = rewritten.len(), size = s.size, "rebuilt tiles");
        }
        let note = Checkpoint::new(&self.origin, s.size, s.root)
            .and_then(|c| c.sign(&[&self.signer]))
            .map_err(VaultError::ledger)?;
        self.ledger
            .save_checkpoint(&StoredCheckpoint {
                size: s.size,
                note: note.clone(),
                created_at: chrono::Utc::now(),
            })
            .await?;
        self.blobs.put_bytes("checkpoint", note.into()).await?;
        tracing::debug!(size = s.size, "checkpoint signed");
        Ok(())
    }
}

fn bundle(entries: &[Vec<u8>]) -> VaultResult<bytes::Bytes> {
    Ok(encode_bundle(entries).map_err(VaultError::ledger)?.into())
}
