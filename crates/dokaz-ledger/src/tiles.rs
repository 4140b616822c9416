//! C2SP tlog-tiles (c2sp.org/tlog-tiles): the static layout in which the log is
//! published — tile paths, building tiles from a [`NodeSource`], entry bundles —
//! and a reader that recomputes a tree from served tiles, so that a third party
//! can check a checkpoint with nothing but HTTP GETs (or a copied directory).
//!
//! A tile at level `L`, index `N` holds up to 256 consecutive hashes of tree level
//! `8·L`, starting at hash `256·N`; a partial tile (`.p/<W>`) holds the first `W`.

use crate::hash::{Hash, HASH_SIZE};
use crate::tree::{NodeError, NodeSource};

/// Tree levels covered by one tile.
pub const TILE_HEIGHT: u8 = 8;
/// Hashes (or entries) in a full tile: `2^TILE_HEIGHT`.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// Why tiles could not be built, fetched or reconciled.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    /// Neither the partial nor the full tile is served.
    #[error("tile {0} not found")]
    Missing(String),
    /// Fetching failed.
    #[error("fetching {path}: {source}")]
    Io {
        /// Tile path.
        path: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A served tile has the wrong size for its width.
    #[error("tile {path} has {got} bytes, expected {expected}")]
    BadLength {
        /// Tile path.
        path: String,
        /// Expected byte count.
        expected: usize,
        /// Served byte count.
        got: usize,
    },
    /// An entry bundle is not a sequence of length-prefixed entries of the right count.
    #[error("malformed entry bundle {path}: {why}")]
    BadBundle {
        /// Bundle path.
        path: String,
        /// What is wrong.
        why: &'static str,
    },
    /// An entry does not fit the 16-bit length prefix of a bundle.
    #[error("entry of {0} bytes exceeds the 65535-byte bundle limit")]
    EntryTooLong(usize),
    /// The leaf hash of a served entry differs from the level-0 tile.
    #[error("entry {0} does not match its leaf hash in the level-0 tile")]
    EntryMismatch(u64),
    /// A full tile does not hash to its entry in the tile one level up.
    #[error("tile {0} does not match its hash in the parent tile")]
    TileMismatch(String),
    /// The root recomputed from the tiles differs from the checkpoint's.
    #[error("root recomputed from tiles ({computed}) differs from the checkpoint ({expected})")]
    RootMismatch {
        /// Root in the checkpoint.
        expected: Hash,
        /// Root from the tiles.
        computed: Hash,
    },
    /// A node needed to build a tile was unavailable.
    #[error(transparent)]
    Node(#[from] NodeError),
}

/// `N` as path elements: zero-padded 3-digit groups, all but the last prefixed
/// with `x` (1234067 → `x001/x234/067`).
#[must_use]
pub fn encode_index(index: u64) -> String {
    let mut groups = vec![index % 1000];
    let mut rest = index / 1000;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let last = groups.len() - 1;
    groups
        .iter()
        .rev()
        .enumerate()
        .map(|(i, g)| {
            if i == last {
                format!("{g:03}")
            } else {
                format!("x{g:03}")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// One tile (or entry bundle) of a tree of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Tile level `L` (covers tree level `8·L`).
    pub level: u8,
    /// Tile index `N` within its level.
    pub index: u64,
    /// Number of hashes, 1..=256; 256 is a full tile.
    pub width: u16,
}

impl TileId {
    /// Whether this is a full tile.
    #[must_use]
    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    fn suffix(&self) -> String {
        let n = encode_index(self.index);
        if self.is_full() {
            n
        } else {
            format!("{n}.p/{}", self.width)
        }
    }

    /// `tile/<L>/<N>[.p/<W>]`.
    #[must_use]
    pub fn path(&self) -> String {
        format!("tile/{}/{}", self.level, self.suffix())
    }

    /// `tile/entries/<N>[.p/<W>]` (meaningful for level-0 tiles).
    #[must_use]
    pub fn entries_path(&self) -> String {
        format!("tile/entries/{}", self.suffix())
    }

    /// The same tile at full width (a client may fetch it when the partial one is gone).
    #[must_use]
    pub fn full(&self) -> Self {
        Self {
            width: TILE_WIDTH as u16,
            ..*self
        }
    }
}

/// Every tile of a tree of `size` leaves: at each level the full tiles, then the
/// partial one if any.
#[must_use]
pub fn tiles_for_size(size: u64) -> Vec<TileId> {
    let mut out = Vec::new();
    let mut level = 0u8;
    let mut count = size;
    while count > 0 {
        for index in 0..count / TILE_WIDTH {
            out.push(TileId {
                level,
                index,
                width: TILE_WIDTH as u16,
            });
        }
        let partial = count % TILE_WIDTH;
        if partial > 0 {
            out.push(TileId {
                level,
                index: count / TILE_WIDTH,
                width: partial as u16,
            });
        }
        count >>= TILE_HEIGHT;
        level += 1;
    }
    out
}

/// The tile bytes for `tile`: its hashes of tree level `8·L`, concatenated.
pub fn build_tile<S: NodeSource + ?Sized>(src: &S, tile: TileId) -> Result<Vec<u8>, TileError> {
    let node_level = tile.level * TILE_HEIGHT;
    let mut out = Vec::with_capacity(usize::from(tile.width) * HASH_SIZE);
    for i in 0..u64::from(tile.width) {
        out.extend_from_slice(
            src.node(node_level, tile.index * TILE_WIDTH + i)?
                .as_bytes(),
        );
    }
    Ok(out)
}

/// Splits tile bytes into hashes, checking the length for `width`.
pub fn decode_tile(path: &str, bytes: &[u8], width: u16) -> Result<Vec<Hash>, TileError> {
    let expected = usize::from(width) * HASH_SIZE;
    if bytes.len() != expected {
        return Err(TileError::BadLength {
            path: path.to_owned(),
            expected,
            got: bytes.len(),
        });
    }
    Ok(bytes
        .chunks_exact(HASH_SIZE)
        .map(|c| Hash::from_slice(c).expect("chunks are HASH_SIZE long"))
        .collect())
}

/// An entry bundle: each entry prefixed with its length as a big-endian `u16`.
pub fn encode_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, TileError> {
    // Sized once: a bundle of 256 entries is tens of kilobytes, grown by doubling it was
    // copied a dozen times.
    let mut out = Vec::with_capacity(entries.iter().map(|e| 2 + e.as_ref().len()).sum());
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| TileError::EntryTooLong(e.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Splits an entry bundle into its entries.
pub fn decode_bundle(path: &str, mut bytes: &[u8]) -> Result<Vec<Vec<u8>>, TileError> {
    let bad = |why| TileError::BadBundle {
        path: path.to_owned(),
        why,
    };
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let [hi, lo, rest @ ..] = bytes else {
            return Err(bad("truncated length prefix"));
        };
        let len = usize::from(u16::from_be_bytes([*hi, *lo]));
        if rest.len() < len {
            return Err(bad("entry runs past the end"));
        }
        out.push(rest[..len].to_vec());
        bytes = &rest[len..];
    }
    Ok(out)
}

mod reader;

pub use reader::{DirFetcher, TileFetcher, TileReader};

#[cfg(test)]
mod tests;
