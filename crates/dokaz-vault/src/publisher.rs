//! The publisher: after the sequencer commits, it writes the tiles that completed and the
//! partial ones, then signs a checkpoint and keeps it in SQL and at `log/checkpoint`. It runs
//! beside the sequencer and drains whatever has queued, then rests [`PUBLISH_INTERVAL`], so
//! under load one checkpoint covers many batches and tile I/O never delays a commit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dokaz_ledger::tiles::encode_bundle;
use dokaz_ledger::{Checkpoint, Signer};
use dokaz_store::blob::BlobStore;
use dokaz_store::{LedgerStore, StoredCheckpoint};
use tokio::sync::{mpsc, watch, Notify};

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

/// How long the publisher rests after publishing before it drains its queue again. A drain
/// that brings a snapshot rewrites the partial tiles and the partial entry bundle, and signs
/// and stores a checkpoint (a write transaction, with its fsync, that takes SQLite's write
/// lock from the sequencer). Whenever a group commit leaves the queue empty — light or
/// bursty load — it brings one, so that was one publication per commit; resting lets one
/// cover every batch of the interval (full tiles are still all written) at the price of a
/// checkpoint up to this much later. A caller who waits for one ([`crate::Vault::sync`])
/// wakes the publisher through [`PublishNow`] instead.
pub(crate) const PUBLISH_INTERVAL: Duration = Duration::from_millis(200);

/// A request to publish without resting: the largest size someone waits for, and a wake-up.
#[derive(Debug, Default)]
pub(crate) struct PublishNow {
    wanted: AtomicU64,
    wake: Notify,
}

impl PublishNow {
    /// Asks for a checkpoint covering `size` leaves as soon as it can be signed.
    pub fn request(&self, size: u64) {
        self.wanted.fetch_max(size, Ordering::AcqRel);
        // A stored permit, if the publisher is busy: its next rest then ends at once.
        self.wake.notify_one();
    }

    /// Rests [`PUBLISH_INTERVAL`], or not at all while a request is not yet covered by the
    /// `published` size, or until such a request arrives.
    async fn rest(&self, published: Option<u64>) {
        let pending = || published.is_none_or(|p| self.wanted.load(Ordering::Acquire) > p);
        if pending() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(PUBLISH_INTERVAL) => {}
            () = self.wake.notified() => {}
        }
    }
}

pub(crate) struct Publisher {
    pub ledger: Arc<dyn LedgerStore>,
    pub blobs: BlobStore,
    pub signer: Arc<Signer>,
    pub origin: String,
    pub published: watch::Sender<Published>,
    pub now: Arc<PublishNow>,
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
            let size = self.published.borrow().size;
            self.now.rest(size).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;
    use std::pin::pin;

    #[tokio::test]
    async fn a_sync_request_cuts_the_rest_short() {
        let now = PublishNow::default();
        let mut rest = pin!(now.rest(Some(5)));
        assert!(
            futures::poll!(rest.as_mut()).is_pending(),
            "nothing asked: rests"
        );
        now.request(7);
        assert!(
            futures::poll!(rest.as_mut()).is_ready(),
            "woken by the request"
        );
        assert!(
            now.rest(Some(6)).now_or_never().is_some(),
            "7 asked, 6 published: no rest"
        );
        assert!(
            futures::poll!(pin!(now.rest(Some(7)))).is_pending(),
            "the request is covered: rests again"
        );
    }
}
