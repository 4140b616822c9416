//! The right edge of the Merkle tree, kept in memory at tile granularity: for each tile level
//! the hashes of its one incomplete tile (at most 255 each). That is all that changes as
//! leaves arrive, so appending is O(1) amortised, the root is O(log n), and the tiles to
//! publish fall out as they complete — without ever holding the whole tree.

use dokaz_ledger::tiles::TileId;
use dokaz_ledger::tree::{root_from_leaf_hashes, root_from_source};
use dokaz_ledger::{Hash, NodeError, NodeSource, TILE_HEIGHT, TILE_WIDTH};

/// A tile that just filled: write it once, it never changes again.
#[derive(Debug, Clone)]
pub(crate) struct FullTile {
    pub id: TileId,
    pub hashes: Vec<Hash>,
    /// For level-0 tiles, the entries, when they are known (not after a reload).
    pub entries: Option<Vec<Vec<u8>>>,
}

/// The incomplete tiles of a tree of `size` leaves.
#[derive(Debug, Clone, Default)]
pub(crate) struct Frontier {
    size: u64,
    /// `levels[L]`: hashes of the incomplete tile at tile level L.
    levels: Vec<Vec<Hash>>,
    /// Entries of the incomplete level-0 tile, for its partial entry bundle; `None` when the
    /// frontier was loaded from hashes alone and they are not known.
    entries: Option<Vec<Vec<u8>>>,
}

/// What the publisher needs to write the partial tiles and sign a checkpoint.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub size: u64,
    pub root: Hash,
    pub partial_tiles: Vec<(TileId, Vec<Hash>)>,
    pub partial_bundle: Option<(TileId, Vec<Vec<u8>>)>,
}

impl Frontier {
    pub fn new() -> Self {
        Self {
            entries: Some(Vec::new()),
            ..Self::default()
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf; pushes every tile it completes onto `completed`.
    pub fn push(&mut self, leaf: Hash, entry: Option<Vec<u8>>, completed: &mut Vec<FullTile>) {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        self.levels[0].push(leaf);
        match (&mut self.entries, entry) {
            (Some(list), Some(e)) => list.push(e),
            (slot, _) => *slot = None,
        }
        self.size += 1;
        let mut level = 0usize;
        while self.levels[level].len() as u64 == TILE_WIDTH {
            let hashes = std::mem::take(&mut self.levels[level]);
            let count = self.size >> (u32::from(TILE_HEIGHT) * level as u32);
            // The next level-0 tile's entries all arrive through `push`, so they are known.
            let entries = if level == 0 {
                self.entries.replace(Vec::new())
            } else {
                None
            };
            let parent = root_from_leaf_hashes(&hashes);
            completed.push(FullTile {
                id: TileId {
                    level: level as u8,
                    index: count / TILE_WIDTH - 1,
                    width: TILE_WIDTH as u16,
                },
                hashes,
                entries,
            });
            level += 1;
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(parent);
        }
    }

    /// Supplies the entries of the incomplete level-0 tile after a reload from hashes.
    pub fn set_partial_entries(&mut self, entries: Vec<Vec<u8>>) {
        let want = self.levels.first().map_or(0, Vec::len);
        self.entries = (entries.len() == want).then_some(entries);
    }

    pub fn root(&self) -> Hash {
        root_from_source(self, self.size).expect("the frontier holds every node of the root")
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut partial_tiles = Vec::new();
        for (level, hashes) in self.levels.iter().enumerate() {
            if hashes.is_empty() {
                continue;
            }
            let count = self.size >> (u32::from(TILE_HEIGHT) * level as u32);
            partial_tiles.push((
                TileId {
                    level: level as u8,
                    index: count / TILE_WIDTH,
                    width: hashes.len() as u16,
                },
                hashes.clone(),
            ));
        }
        let partial_bundle = match (&self.entries, partial_tiles.first()) {
            (Some(e), Some((id, _))) if id.level == 0 && !e.is_empty() => Some((*id, e.clone())),
            _ => None,
        };
        Snapshot {
            size: self.size,
            root: self.root(),
            partial_tiles,
            partial_bundle,
        }
    }
}

/// Serves exactly the nodes inside the incomplete tiles, which are the ones the root needs.
impl NodeSource for Frontier {
    fn size(&self) -> u64 {
        self.size
    }

    fn node(&self, level: u8, index: u64) -> Result<Hash, NodeError> {
        let missing = NodeError::Missing { level, index };
        let (tile_level, sub) = (level / TILE_HEIGHT, level % TILE_HEIGHT);
        let hashes = self.levels.get(usize::from(tile_level)).ok_or(missing)?;
        let count = self.size >> (u32::from(TILE_HEIGHT) * u32::from(tile_level));
        let tile_start = count / TILE_WIDTH * TILE_WIDTH;
        let first = index << sub;
        let width = 1u64 << sub;
        if first < tile_start || first + width > count {
            return Err(NodeError::Missing { level, index });
        }
        let start = (first - tile_start) as usize;
        Ok(root_from_leaf_hashes(
            &hashes[start..start + width as usize],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokaz_ledger::tiles::{build_tile, tiles_for_size};
    use dokaz_ledger::{leaf_hash, MemoryStore};

    #[test]
    fn roots_and_tiles_match_the_full_tree() {
        let mut frontier = Frontier::new();
        let mut memory = MemoryStore::new();
        let mut completed = Vec::new();
        for i in 0u32..(256 * 256 + 300) {
            let e = i.to_be_bytes().to_vec();
            let h = leaf_hash(&e);
            memory.append(h);
            frontier.push(h, Some(e), &mut completed);
            if i % 997 == 0 || i > 256 * 256 {
                assert_eq!(frontier.root(), memory.root(), "root at size {}", i + 1);
            }
        }
        let snap = frontier.snapshot();
        let expected = tiles_for_size(frontier.size());
        let full: Vec<_> = expected.iter().filter(|t| t.is_full()).collect();
        assert_eq!(completed.len(), full.len());
        for t in &completed {
            let bytes: Vec<u8> = t.hashes.iter().flat_map(|h| h.0).collect();
            assert_eq!(
                bytes,
                build_tile(&memory, t.id).unwrap(),
                "tile {}",
                t.id.path()
            );
            if t.id.level == 0 {
                assert_eq!(t.entries.as_ref().unwrap().len(), 256);
            }
        }
        for (id, hashes) in &snap.partial_tiles {
            assert!(expected.contains(id));
            let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.0).collect();
            assert_eq!(bytes, build_tile(&memory, *id).unwrap());
        }
        assert_eq!(snap.partial_bundle.unwrap().1.len(), 300 % 256);
    }
}
