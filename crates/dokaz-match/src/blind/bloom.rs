//! Bloom-filter encodings (Schnell et al.'s cryptographic long-term keys): a string becomes
//! the set of bits its character bigrams hash to under the secret key, so that the Dice
//! coefficient of two encodings tracks the bigram similarity of the strings without
//! revealing them to whoever lacks the key.

use crate::keys::Keyer;

/// Bits per filter. 1024 bits and [`HASHES`] functions keep the false-positive rate low for
/// names and short texts (Schnell 2009 uses 1000 and 15–30).
pub const BITS: usize = 1024;
/// Bit positions set per element.
pub const HASHES: u64 = 15;

#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bloom([u64; BITS / 64]);

impl std::fmt::Debug for Bloom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bloom({} bits set)", self.ones())
    }
}

impl Default for Bloom {
    fn default() -> Self {
        Self([0; BITS / 64])
    }
}

impl Bloom {
    /// Adds one element: `HASHES` positions by double hashing from one keyed 64-bit hash.
    pub fn add(&mut self, keyer: &Keyer, element: &[u8]) {
        let h = keyer.key(element);
        let (h1, h2) = (h & 0xffff_ffff, (h >> 32) | 1);
        for i in 0..HASHES {
            let bit = (h1.wrapping_add(i.wrapping_mul(h2)) % BITS as u64) as usize;
            self.0[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// The encoding of a string's bigrams, padded so that first and last letters count.
    pub fn of_bigrams(keyer: &Keyer, tag: &str, s: &str) -> Self {
        let mut b = Self::default();
        let padded: Vec<char> = std::iter::once(' ')
            .chain(s.chars())
            .chain(std::iter::once(' '))
            .collect();
        let mut buf = Vec::with_capacity(tag.len() + 8);
        for w in padded.windows(2) {
            buf.clear();
            buf.extend_from_slice(tag.as_bytes());
            let mut tmp = [0u8; 4];
            buf.extend_from_slice(w[0].encode_utf8(&mut tmp).as_bytes());
            buf.extend_from_slice(w[1].encode_utf8(&mut tmp).as_bytes());
            b.add(keyer, &buf);
        }
        b
    }

    pub fn ones(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.ones() == 0
    }

    /// The Dice coefficient `2|A∩B| / (|A|+|B|)`.
    pub fn dice(&self, other: &Self) -> f64 {
        let common: u32 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum();
        let total = self.ones() + other.ones();
        if total == 0 {
            0.0
        } else {
            2.0 * f64::from(common) / f64::from(total)
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        (b.len() == BITS / 8).then(|| {
            let mut out = Self::default();
            for (i, c) in b.chunks_exact(8).enumerate() {
                out.0[i] = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            }
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_tracks_similarity_and_depends_on_the_key() {
        let k = Keyer::keyed(b"deployment key");
        let a = Bloom::of_bigrams(&k, "f", "kovalenko");
        let b = Bloom::of_bigrams(&k, "f", "kovalenco");
        let c = Bloom::of_bigrams(&k, "f", "shevchuk");
        assert_eq!(a.dice(&a), 1.0);
        assert!(a.dice(&b) > 0.7, "{}", a.dice(&b));
        assert!(a.dice(&c) < 0.3, "{}", a.dice(&c));
        let other_key = Bloom::of_bigrams(&Keyer::keyed(b"other"), "f", "kovalenko");
        assert!(a.dice(&other_key) < 0.5);
        assert_eq!(Bloom::from_bytes(&a.to_bytes()), Some(a));
    }
}
