//! Blocking keys: what two records must share to be compared at all. Every record type turns
//! into byte strings ("fine cell 1234/567, day 19000"), hashed to 64 bits by a [`Keyer`] —
//! plainly for open records, or with a key shared by the deployment's agencies for blind
//! matching, so that a stored key tells nothing about the record without that key.
//!
//! A record *files* itself under some keys and *probes* others; two records are candidates
//! when one's probe keys meet the other's filed keys. For persons both sets are the same; for
//! incidents a record files under its own cell and time bucket and probes the neighbouring
//! ones, which keeps the number of stored keys small.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::tokens::fnv1a;

/// The layout of a kind's blocking keys: raised whenever what a record of that kind is filed
/// under changes (a new tag, other fields, other lengths), so that a node can tell keys filed
/// by an older build, which new records no longer meet, and ask for `dokaz match run`.
/// Persons are at 3: their name keys were bound to the birth year (2) and the surname-ending
/// key was given six letters, and four for short surnames (3). (Migration 0009 of both stores
/// records these numbers for a store with no keys yet.)
pub fn layout(kind: dokaz_model::MatchKind) -> u32 {
    use dokaz_model::MatchKind as K;
    match kind {
        K::Person => 3,
        K::Incident | K::Unit | K::Evidence => 1,
    }
}

/// Turns blocking key bytes into 64-bit keys.
#[derive(Clone)]
pub enum Keyer {
    /// For records every side may read: a fast, unkeyed hash.
    Plain,
    /// For blind matching: HMAC-SHA-256 under the deployment's matching key, truncated.
    Keyed(Hmac<Sha256>),
}

impl std::fmt::Debug for Keyer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str(match self {
            Keyer::Plain => "Keyer::Plain",
            Keyer::Keyed(_) => "Keyer::Keyed(..)",
        })
    }
}

impl Keyer {
    pub fn keyed(secret: &[u8]) -> Self {
        Keyer::Keyed(Hmac::new_from_slice(secret).expect("HMAC takes keys of any length"))
    }

    pub fn key(&self, bytes: &[u8]) -> u64 {
        match self {
            Keyer::Plain => fnv1a(bytes),
            Keyer::Keyed(mac) => {
                let mut m = mac.clone();
                m.update(bytes);
                let out = m.finalize().into_bytes();
                u64::from_le_bytes(out[..8].try_into().expect("32-byte MAC"))
            }
        }
    }
}

/// Builds key byte strings without allocating per key: a tag and fields, separated so that
/// ("ab", "c") and ("a", "bc") never collide.
#[derive(Debug, Default)]
pub struct KeyBuf(Vec<u8>);

impl KeyBuf {
    pub fn start(&mut self, tag: &str) -> &mut Self {
        self.0.clear();
        self.0.extend_from_slice(tag.as_bytes());
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.0.push(0x1f);
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    pub fn int(&mut self, i: i64) -> &mut Self {
        self.0.push(0x1e);
        self.0.extend_from_slice(&i.to_le_bytes());
        self
    }

    pub fn finish(&self, keyer: &Keyer) -> u64 {
        keyer.key(&self.0)
    }
}
