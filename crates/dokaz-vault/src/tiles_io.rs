//! Tiles in the blob store: reading them back as a [`NodeSource`] (through the ledger
//! crate's `TileReader`), writing what the sequencer completes, and rebuilding them from SQL
//! when they are missing or wrong — they are derived state, SQL is the record.

use std::sync::Arc;

use bytes::Bytes;
use dokaz_ledger::tiles::{build_tile, encode_bundle, tiles_for_size, TileId};
use dokaz_ledger::{Hash, MemoryStore, TileFetcher, TileReader};
use dokaz_store::blob::BlobStore;
use dokaz_store::LedgerStore;
use futures::{StreamExt, TryStreamExt};

use crate::error::{VaultError, VaultResult};

/// Leaves read from SQL per query when loading or rebuilding.
pub(crate) const LOAD_CHUNK: u64 = 65_536;
/// Tiles written at once.
const WRITE_CONCURRENCY: usize = 16;

/// Fetches tiles from `log/` of a blob store, for `TileReader`, which is synchronous: run it
/// on a blocking thread, where this fetcher waits on the async store.
#[derive(Debug, Clone)]
pub(crate) struct BlobFetcher {
    pub blobs: BlobStore,
    pub runtime: tokio::runtime::Handle,
}

impl TileFetcher for BlobFetcher {
    fn fetch(&self, path: &str) -> std::io::Result<Option<Vec<u8>>> {
        self.runtime
            .block_on(self.blobs.get_bytes(path))
            .map(|b| b.map(|b| b.to_vec()))
            .map_err(std::io::Error::other)
    }
}

/// A tile reader over the blob store for a tree of `size` leaves.
pub(crate) fn reader(blobs: &BlobStore, size: u64) -> TileReader<BlobFetcher> {
    TileReader::new(
        BlobFetcher {
            blobs: blobs.clone(),
            runtime: tokio::runtime::Handle::current(),
        },
        size,
    )
}

pub(crate) fn tile_bytes(hashes: &[Hash]) -> Bytes {
    let mut out = Vec::with_capacity(hashes.len() * dokaz_ledger::HASH_SIZE);
    hashes.iter().for_each(|h| out.extend_from_slice(&h.0));
    out.into()
}

/// Writes tiles (and entry bundles) concurrently.
pub(crate) async fn write_all(blobs: &BlobStore, objects: Vec<(String, Bytes)>) -> VaultResult<()> {
    futures::stream::iter(objects)
        .map(|(path, bytes)| async move { blobs.put_bytes(&path, bytes).await })
        .buffer_unordered(WRITE_CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}

/// Every leaf hash of the first `size` leaves, from SQL, as a full in-memory tree.
pub(crate) async fn load_tree(
    ledger: &Arc<dyn LedgerStore>,
    size: u64,
) -> VaultResult<MemoryStore> {
    let mut tree = MemoryStore::with_capacity(size);
    let mut from = 0;
    while from < size {
        let to = (from + LOAD_CHUNK).min(size);
        let hashes = ledger.leaf_hashes(from, to).await?;
        if hashes.len() as u64 != to - from {
            return Err(VaultError::LedgerDiverged(format!(
                "leaves {from}..{to}: {} of {} stored",
                hashes.len(),
                to - from
            )));
        }
        for h in hashes {
            tree.append(Hash(h));
        }
        from = to;
    }
    Ok(tree)
}

/// Rewrites every tile and entry bundle of the tree of `size` leaves that is missing or
/// differs from what SQL says. Returns the paths rewritten.
pub(crate) async fn rebuild(
    ledger: &Arc<dyn LedgerStore>,
    blobs: &BlobStore,
    size: u64,
) -> VaultResult<Vec<String>> {
    let tree = load_tree(ledger, size).await?;
    let mut rewritten = Vec::new();
    for tile in tiles_for_size(size) {
        let want = Bytes::from(build_tile(&tree, tile).map_err(VaultError::ledger)?);
        let mut objects = vec![(tile.path(), want)];
        if tile.level == 0 {
            objects.push((tile.entries_path(), bundle(ledger, tile).await?));
        }
        for (path, bytes) in objects {
            if blobs.get_bytes(&path).await?.as_ref() != Some(&bytes) {
                blobs.put_bytes(&path, bytes).await?;
                rewritten.push(path);
            }
        }
    }
    Ok(rewritten)
}

async fn bundle(ledger: &Arc<dyn LedgerStore>, tile: TileId) -> VaultResult<Bytes> {
    let from = tile.index * dokaz_ledger::TILE_WIDTH;
    let entries = ledger
        .ledger_entries(from, from + u64::from(tile.width))
        .await?;
    let entries: Vec<Vec<u8>> = entries.into_iter().map(|e| e.entry).collect();
    Ok(encode_bundle(&entries).map_err(VaultError::ledger)?.into())
}
