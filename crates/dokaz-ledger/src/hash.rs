//! RFC 6962 / RFC 9162 §2.1 hashing: the one place that decides how entries and
//! interior nodes become SHA-256 hashes.
//!
//! The 0x00 / 0x01 prefixes give leaves and interior nodes separate domains, so
//! an interior node can never be passed off as a leaf (second-preimage attack).

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Size in bytes of every hash in the log.
pub const HASH_SIZE: usize = 32;

/// Domain-separation prefix of a leaf hash (RFC 6962 §2.1).
const LEAF_PREFIX: u8 = 0x00;
/// Domain-separation prefix of an interior node hash (RFC 6962 §2.1).
const NODE_PREFIX: u8 = 0x01;

/// A SHA-256 hash of a leaf, an interior node or a tree root.
///
/// A newtype rather than `[u8; 32]` so that a hash of the wrong length can only
/// enter the ledger through a checked conversion ([`Hash::from_slice`] and the
/// parsers), never by accident.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; HASH_SIZE]);

/// Why bytes or text could not be turned into a [`Hash`](struct@Hash).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The input decoded to a number of bytes other than 32.
    #[error("a hash must be {HASH_SIZE} bytes, got {0}")]
    WrongLength(usize),
    /// The input is not valid hexadecimal.
    #[error("invalid hexadecimal hash: {0}")]
    Hex(String),
    /// The input is not valid standard (padded) base64.
    #[error("invalid base64 hash: {0}")]
    Base64(String),
}

impl Hash {
    /// Wraps 32 raw bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; HASH_SIZE]) -> Self {
        Self(bytes)
    }

    /// Checks the length of `bytes` and wraps them.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, HashError> {
        <[u8; HASH_SIZE]>::try_from(bytes)
            .map(Self)
            .map_err(|_| HashError::WrongLength(bytes.len()))
    }

    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; HASH_SIZE] {
        &self.0
    }

    /// Lower-case hexadecimal, as used in logs and the RFC test vectors.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hexadecimal digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, HashError> {
        let bytes = hex::decode(text).map_err(|e| HashError::Hex(e.to_string()))?;
        Self::from_slice(&bytes)
    }

    /// Standard padded base64, as used in checkpoints (c2sp.org/tlog-checkpoint).
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// Parses standard padded base64 that decodes to exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, HashError> {
        let bytes = BASE64
            .decode(text)
            .map_err(|e| HashError::Base64(e.to_string()))?;
        Self::from_slice(&bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; HASH_SIZE]> for Hash {
    fn from(bytes: [u8; HASH_SIZE]) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

/// Parses hexadecimal, the [`Display`](fmt::Display) form.
impl FromStr for Hash {
    type Err = HashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

/// The hash of one log entry: `SHA-256(0x00 || entry)`.
#[must_use]
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([LEAF_PREFIX]);
    hasher.update(entry);
    Hash(hasher.finalize().into())
}

/// The hash of an interior node: `SHA-256(0x01 || left || right)`.
#[must_use]
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([NODE_PREFIX]);
    hasher.update(left.0);
    hasher.update(right.0);
    Hash(hasher.finalize().into())
}

/// The root of the empty tree: `SHA-256("")` (RFC 6962 §2.1).
#[must_use]
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            empty_root().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            empty_root().to_base64(),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn leaf_hash_of_empty_entry() {
        // First leaf of the RFC 6962 reference tree.
        assert_eq!(
            leaf_hash(b"").to_hex(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn round_trips_and_rejects_wrong_lengths() {
        let h = leaf_hash(b"x");
        assert_eq!(Hash::from_hex(&h.to_hex()), Ok(h));
        assert_eq!(Hash::from_base64(&h.to_base64()), Ok(h));
        assert_eq!(h.to_string().parse::<Hash>(), Ok(h));
        assert_eq!(Hash::from_slice(&[0; 31]), Err(HashError::WrongLength(31)));
        assert!(matches!(Hash::from_hex("zz"), Err(HashError::Hex(_))));
        assert!(matches!(
            Hash::from_base64("ZG9uJ3QgY2FyZSAx"),
            Err(HashError::WrongLength(12))
        ));
        assert!(matches!(
            Hash::from_base64("***"),
            Err(HashError::Base64(_))
        ));
    }
}
