//! Reading a tree back from served tiles: the third party's side of tlog-tiles.
//! Recomputes roots and proofs from tiles and checks entry bundles, full tiles
//! and the root against each other, so a checkpoint can be audited offline.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use super::{
    decode_bundle, decode_tile, tiles_for_size, TileError, TileId, TILE_HEIGHT, TILE_WIDTH,
};
use crate::hash::{leaf_hash, Hash};
use crate::tree::{root_from_leaf_hashes, root_from_source, NodeError, NodeSource};

/// Where tiles come from: an HTTP client, a directory, a test map.
pub trait TileFetcher {
    /// The bytes at `path` (relative, e.g. `tile/0/000`), or `None` if not served.
    fn fetch(&self, path: &str) -> std::io::Result<Option<Vec<u8>>>;
}

impl<F: Fn(&str) -> Option<Vec<u8>>> TileFetcher for F {
    fn fetch(&self, path: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(self(path))
    }
}

/// Serves tiles from a directory laid out as the log's URL prefix.
#[derive(Debug, Clone)]
pub struct DirFetcher {
    /// The directory holding `tile/`.
    pub root: PathBuf,
}

impl TileFetcher for DirFetcher {
    fn fetch(&self, path: &str) -> std::io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.root.join(path)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A tree of a fixed size read from tiles; a [`NodeSource`] so that roots and
/// proofs can be computed from what a log serves. Fetched tiles are cached.
#[derive(Debug)]
pub struct TileReader<F> {
    fetcher: F,
    size: u64,
    cache: RefCell<HashMap<(u8, u64), Vec<Hash>>>,
}

impl<F: TileFetcher> TileReader<F> {
    /// A reader for the tree of `size` leaves served by `fetcher`.
    pub fn new(fetcher: F, size: u64) -> Self {
        Self {
            fetcher,
            size,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// Tile `(level, index)` at the width this tree size gives it, if it exists.
    fn tile(&self, level: u8, index: u64) -> Result<TileId, TileError> {
        let count = self
            .size
            .checked_shr(u32::from(level) * u32::from(TILE_HEIGHT))
            .unwrap_or(0);
        let first = index.saturating_mul(TILE_WIDTH);
        if first >= count {
            let id = TileId {
                level,
                index,
                width: TILE_WIDTH as u16,
            };
            return Err(TileError::Missing(id.path()));
        }
        let width = (count - first).min(TILE_WIDTH);
        Ok(TileId {
            level,
            index,
            width: width as u16,
        })
    }

    /// Fetches bytes of `tile`, falling back to the full tile when the partial
    /// one is not served (logs may delete partial tiles once the tile fills).
    fn fetch_tile_bytes(
        &self,
        tile: TileId,
        entries: bool,
    ) -> Result<(String, Vec<u8>), TileError> {
        let path_of = |t: TileId| if entries { t.entries_path() } else { t.path() };
        let mut candidates = vec![tile];
        if !tile.is_full() {
            candidates.push(tile.full());
        }
        for t in candidates {
            let path = path_of(t);
            match self.fetcher.fetch(&path) {
                Ok(Some(bytes)) => return Ok((path, bytes)),
                Ok(None) => {}
                Err(source) => return Err(TileError::Io { path, source }),
            }
        }
        Err(TileError::Missing(path_of(tile)))
    }

    /// The hashes of tile `(level, index)`, as wide as this tree size needs.
    pub fn tile_hashes(&self, level: u8, index: u64) -> Result<Vec<Hash>, TileError> {
        if let Some(h) = self.cache.borrow().get(&(level, index)) {
            return Ok(h.clone());
        }
        let tile = self.tile(level, index)?;
        let (path, bytes) = self.fetch_tile_bytes(tile, false)?;
        // A full tile fetched in place of a partial one is cut to the width needed.
        let served_width = if path.contains(".p/") {
            tile.width
        } else {
            TILE_WIDTH as u16
        };
        let mut hashes = decode_tile(&path, &bytes, served_width)?;
        hashes.truncate(usize::from(tile.width));
        self.cache
            .borrow_mut()
            .insert((level, index), hashes.clone());
        Ok(hashes)
    }

    /// The entries of bundle `index`.
    pub fn entries(&self, index: u64) -> Result<Vec<Vec<u8>>, TileError> {
        let tile = self.tile(0, index)?;
        let (path, bytes) = self.fetch_tile_bytes(tile, true)?;
        let mut entries = decode_bundle(&path, &bytes)?;
        // A full bundle may stand in for a partial one; it must then be full.
        let served_width = if path.contains(".p/") {
            tile.width
        } else {
            TILE_WIDTH as u16
        };
        if entries.len() != usize::from(served_width) {
            return Err(TileError::BadBundle {
                path,
                why: "wrong number of entries",
            });
        }
        entries.truncate(usize::from(tile.width));
        Ok(entries)
    }

    /// Checks every entry bundle against the level-0 tiles; returns the entry count.
    pub fn verify_entries(&self) -> Result<u64, TileError> {
        for index in 0..self.size.div_ceil(TILE_WIDTH) {
            let hashes = self.tile_hashes(0, index)?;
            for (i, (entry, hash)) in self.entries(index)?.iter().zip(&hashes).enumerate() {
                if leaf_hash(entry) != *hash {
                    return Err(TileError::EntryMismatch(index * TILE_WIDTH + i as u64));
                }
            }
        }
        Ok(self.size)
    }

    /// The root of the tree recomputed from the tiles.
    pub fn root(&self) -> Result<Hash, TileError> {
        Ok(root_from_source(self, self.size)?)
    }

    /// Checks that every full tile hashes to its entry in the tile one level up,
    /// binding level-0 tiles (and so the entries) to the root.
    pub fn verify_tiles(&self) -> Result<(), TileError> {
        for tile in tiles_for_size(self.size) {
            if !tile.is_full() {
                continue; // a partial tile's hashes enter the root directly
            }
            let parent_level = tile.level + 1;
            let parent = self.tile_hashes(parent_level, tile.index / TILE_WIDTH)?;
            let expected = parent[(tile.index % TILE_WIDTH) as usize];
            if root_from_leaf_hashes(&self.tile_hashes(tile.level, tile.index)?) != expected {
                return Err(TileError::TileMismatch(tile.path()));
            }
        }
        Ok(())
    }

    /// Everything a third party can check from tiles alone: the root equals the
    /// checkpoint's, every full tile matches its parent, every entry matches its
    /// leaf hash. Returns the number of entries checked.
    pub fn verify_all(&self, expected_root: &Hash) -> Result<u64, TileError> {
        self.verify_root(expected_root)?;
        self.verify_tiles()?;
        self.verify_entries()
    }

    /// Checks that the tiles produce `expected` as the root.
    pub fn verify_root(&self, expected: &Hash) -> Result<(), TileError> {
        let computed = self.root()?;
        if computed != *expected {
            return Err(TileError::RootMismatch {
                expected: *expected,
                computed,
            });
        }
        Ok(())
    }
}

impl<F: TileFetcher> NodeSource for TileReader<F> {
    fn size(&self) -> u64 {
        self.size
    }

    fn node(&self, level: u8, index: u64) -> Result<Hash, NodeError> {
        let missing = NodeError::Missing { level, index };
        let end = index
            .checked_add(1)
            .and_then(|n| n.checked_mul(1u64.checked_shl(u32::from(level))?));
        if level >= 64 || end.is_none_or(|end| end > self.size) {
            return Err(missing);
        }
        let (tile_level, sub) = (level / TILE_HEIGHT, level % TILE_HEIGHT);
        let first = index << sub; // position among the tile level's hashes
        let tile_index = first / TILE_WIDTH;
        let hashes = self
            .tile_hashes(tile_level, tile_index)
            .map_err(|e| NodeError::Backend(Box::new(e)))?;
        let start = usize::try_from(first % TILE_WIDTH).map_err(|_| missing)?;
        let span = &hashes[start..start + (1usize << sub)];
        Ok(root_from_leaf_hashes(span))
    }
}
