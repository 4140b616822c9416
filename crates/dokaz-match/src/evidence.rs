//! Evidence: the same file held by two agencies (equal SHA-256), or the same picture saved
//! again — re-encoded, resized, recompressed by a messenger — found by a perceptual hash a
//! few bits apart. The hash is computed from the bytes once, at intake ([`phash`]); after
//! that matching needs only the 64 bits.
//!
//! Blocking: an item files and probes the keyed SHA-256, and — for images — the perceptual
//! hash cut into [`PHASH_BANDS`] bands of 10 or 11 bits. Two hashes at most
//! [`NEAR_IDENTICAL_BITS`] bits apart differ in at most that many bands, so by the pigeonhole
//! principle at least one of the `NEAR_IDENTICAL_BITS + 1` bands is equal and the pair always
//! meets under that band's key (the property test below checks it).

use std::io::Cursor;

use dokaz_model::{AgencyId, Classification, EvidenceId};
use image_hasher::{HashAlg, HasherConfig};
use serde::{Deserialize, Serialize};

use crate::engine::Comparable;
use crate::keys::{KeyBuf, Keyer};
use crate::signal::{Detail, Sink};
use crate::weights::Level;

/// Perceptual hashes are 64 bits.
pub const PHASH_BITS: u32 = 64;

/// Two images whose perceptual hashes differ in at most this many bits are near-identical.
/// Re-encoding, resizing and recompression move a 64-bit gradient hash by 0–3 bits; different
/// pictures are typically 20 or more apart. Larger values would need more, narrower bands
/// (below), and narrower bands find more candidates that are not matches.
pub const NEAR_IDENTICAL_BITS: u32 = 5;

/// How many bands the perceptual hash is cut into for blocking: one more than the distance,
/// so that every near-identical pair shares a band (pigeonhole).
pub const PHASH_BANDS: u32 = NEAR_IDENTICAL_BITS + 1;

/// Images are decoded only up to this many pixels a side and this much memory: a
/// decompression bomb gives no hash rather than exhausting the node.
const MAX_SIDE: u32 = 30_000;
const MAX_DECODE_BYTES: u64 = 512 << 20;

/// What matching knows of an evidence item.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFeatures {
    pub id: EvidenceId,
    pub agency: AgencyId,
    pub classification: Classification,
    pub sha256: [u8; 32],
    /// The image's perceptual hash; `None` for anything that is not a decodable image.
    pub phash: Option<u64>,
}

/// Bit ranges of the bands: 64 bits split as evenly as possible (11, 11, 11, 11, 10, 10).
fn band(i: u32) -> (u32, u32) {
    let (width, extra) = (PHASH_BITS / PHASH_BANDS, PHASH_BITS % PHASH_BANDS);
    let start = i * width + i.min(extra);
    (start, width + u32::from(i < extra))
}

/// The value of band `i` of `hash`.
fn band_value(hash: u64, i: u32) -> u64 {
    let (start, width) = band(i);
    (hash >> start) & ((1u64 << width) - 1)
}

/// The blocking keys of an item: its file's digest, and one key per band of its perceptual
/// hash. Filed and probed alike.
pub fn keys(
    sha256: &[u8; 32],
    phash: Option<u64>,
    keyer: &Keyer,
    buf: &mut KeyBuf,
    out: &mut Vec<u64>,
) {
    out.clear();
    buf.start("ev-sha");
    for chunk in sha256.chunks_exact(8) {
        buf.int(i64::from_le_bytes(chunk.try_into().expect("8-byte chunk")));
    }
    out.push(buf.finish(keyer));
    if let Some(h) = phash {
        for i in 0..PHASH_BANDS {
            out.push(
                buf.start("ev-phash")
                    .int(i.into())
                    .int(band_value(h, i) as i64)
                    .finish(keyer),
            );
        }
    }
}

/// The comparison of two items, open or blind alike: the same file, else the same picture.
fn compare_items(same_file: bool, a: Option<u64>, b: Option<u64>, sink: &mut impl Sink) {
    if same_file {
        sink.push(Level::EvidenceIdentical, Detail::None);
        return;
    }
    if let (Some(a), Some(b)) = (a, b) {
        let d = (a ^ b).count_ones();
        if d <= NEAR_IDENTICAL_BITS {
            sink.push(Level::EvidenceNearIdentical, Detail::Bits(d as u8));
        }
    }
}

impl EvidenceFeatures {
    pub fn keys(&self, keyer: &Keyer, buf: &mut KeyBuf, out: &mut Vec<u64>) {
        keys(&self.sha256, self.phash, keyer, buf, out)
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        compare_items(self.sha256 == o.sha256, self.phash, o.phash, sink)
    }
}

impl Comparable for EvidenceFeatures {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        EvidenceFeatures::compare(self, other, sink)
    }
}

/// An item as stored for matching, for open and sealed items alike (the hash cannot be
/// computed again without the bytes): the digest as two keyed tokens (128 bits, so that no
/// two files ever collide), and the perceptual hash XORed with a keyed mask. The mask keeps
/// Hamming distances — `(a ^ m) ^ (b ^ m) = a ^ b` — so comparing encodings gives the same
/// levels and distances as comparing the items, while the stored bits say nothing about the
/// picture without the deployment's key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlindEvidence {
    pub id: EvidenceId,
    pub agency: AgencyId,
    sha256: [u64; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phash: Option<u64>,
}

impl BlindEvidence {
    pub fn encode(f: &EvidenceFeatures, keyer: &Keyer) -> Self {
        let mut buf = KeyBuf::default();
        let mut token = |tag: &str| {
            buf.start(tag);
            for chunk in f.sha256.chunks_exact(8) {
                buf.int(i64::from_le_bytes(chunk.try_into().expect("8-byte chunk")));
            }
            buf.finish(keyer)
        };
        let sha256 = [token("bev-sha-0"), token("bev-sha-1")];
        let mask = buf.start("bev-phash-mask").finish(keyer);
        Self {
            id: f.id,
            agency: f.agency,
            sha256,
            phash: f.phash.map(|h| h ^ mask),
        }
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        compare_items(self.sha256 == o.sha256, self.phash, o.phash, sink)
    }
}

impl Comparable for BlindEvidence {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        BlindEvidence::compare(self, other, sink)
    }
}

/// Whether items of this (sniffed) media type get a perceptual hash.
pub fn is_hashable_image(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/tiff"
    )
}

/// The 64-bit perceptual hash of an image's bytes: a gradient hash (dHash: the image reduced
/// to 9×8 grey pixels, one bit per pair of neighbours) — cheap, and stable under
/// re-encoding and resizing. `None` for bytes that are not a decodable JPEG, PNG, WebP, GIF
/// or TIFF, for images past the decoding limits, and for pictures with no structure to
/// speak of (a hash within [`NEAR_IDENTICAL_BITS`] of all zeros or all ones: blank pages
/// and black frames, which would all match one another). Never panics on bad input.
pub fn phash(bytes: &[u8]) -> Option<u64> {
    // Decoders are written to return errors, but this runs on untrusted bytes at intake:
    // a decoder bug must cost the item its hash, not the node its request.
    std::panic::catch_unwind(|| phash_inner(bytes))
        .ok()
        .flatten()
}

fn phash_inner(bytes: &[u8]) -> Option<u64> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let hasher = HasherConfig::with_bytes_type::<[u8; 8]>()
        .hash_size(8, 8)
        .hash_alg(HashAlg::Gradient)
        .to_hasher();
    let hash = hasher.hash_image(&img);
    let h = u64::from_le_bytes(hash.as_bytes().try_into().ok()?);
    let ones = h.count_ones();
    (ones > NEAR_IDENTICAL_BITS && ones < PHASH_BITS - NEAR_IDENTICAL_BITS).then_some(h)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use image::{ImageFormat, RgbImage};
    use proptest::prelude::*;

    use super::*;
    use crate::signal::Signal;

    fn item(agency: AgencyId, sha: u8, phash: Option<u64>) -> EvidenceFeatures {
        EvidenceFeatures {
            id: EvidenceId::new(),
            agency,
            classification: Classification::Restricted,
            sha256: [sha; 32],
            phash,
        }
    }

    fn signals(a: &EvidenceFeatures, b: &EvidenceFeatures) -> Vec<Signal> {
        let mut out = Vec::new();
        a.compare(b, &mut out);
        out
    }

    fn key_set(f: &EvidenceFeatures, keyer: &Keyer) -> HashSet<u64> {
        let mut out = Vec::new();
        f.keys(keyer, &mut KeyBuf::default(), &mut out);
        out.into_iter().collect()
    }

    #[test]
    fn bands_cover_the_hash_once() {
        let mut next = 0;
        for i in 0..PHASH_BANDS {
            let (start, width) = band(i);
            assert_eq!(start, next);
            assert!((10..=11).contains(&width));
            next = start + width;
        }
        assert_eq!(next, PHASH_BITS);
    }

    proptest! {
        /// The pigeonhole guarantee: any two hashes at most `NEAR_IDENTICAL_BITS` apart
        /// share a blocking key, plainly and under a key.
        #[test]
        fn near_hashes_always_share_a_band(
            a in any::<u64>(),
            flips in proptest::collection::vec(0u32..64, 0..=NEAR_IDENTICAL_BITS as usize),
        ) {
            let b = flips.iter().fold(a, |h, &bit| h ^ (1u64 << bit));
            prop_assert!((a ^ b).count_ones() <= NEAR_IDENTICAL_BITS);
            let agency = AgencyId::new();
            let (x, y) = (item(agency, 1, Some(a)), item(agency, 2, Some(b)));
            for keyer in [Keyer::Plain, Keyer::keyed(b"deployment key")] {
                let shared = key_set(&x, &keyer).intersection(&key_set(&y, &keyer)).count();
                prop_assert!(shared > 0);
            }
        }

        /// Blind encodings compare exactly as the items do.
        #[test]
        fn blind_compares_as_open(
            a in any::<u64>(),
            flips in proptest::collection::vec(0u32..64, 0..12),
            same_file in any::<bool>(),
        ) {
            let b = flips.iter().fold(a, |h, &bit| h ^ (1u64 << bit));
            let x = item(AgencyId::new(), 1, Some(a));
            let y = item(AgencyId::new(), if same_file { 1 } else { 2 }, Some(b));
            let keyer = Keyer::keyed(b"deployment key");
            let (bx, by) = (BlindEvidence::encode(&x, &keyer), BlindEvidence::encode(&y, &keyer));
            let mut blind = Vec::new();
            bx.compare(&by, &mut blind);
            prop_assert_eq!(blind, signals(&x, &y));
            if a != 0 {
                prop_assert_ne!(bx.phash, Some(a), "the stored hash is masked");
            }
        }
    }

    #[test]
    fn levels_and_words() {
        let (p, q) = (AgencyId::new(), AgencyId::new());
        let h = 0x0123_4567_89ab_cdef_u64;
        let s = signals(&item(p, 1, Some(h)), &item(q, 1, None));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].level, Level::EvidenceIdentical);
        assert_eq!(s[0].words(), "identical file (same SHA-256)");

        let s = signals(&item(p, 1, Some(h)), &item(q, 2, Some(h ^ 0b1011)));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].detail, Detail::Bits(3));
        assert_eq!(
            s[0].words(),
            "near-identical image (perceptual distance 3/64)"
        );

        let far = h ^ ((1u64 << (NEAR_IDENTICAL_BITS + 1)) - 1);
        assert!(signals(&item(p, 1, Some(h)), &item(q, 2, Some(far))).is_empty());
        assert!(signals(&item(p, 1, None), &item(q, 2, None)).is_empty());

        // Either level alone clears the threshold evidence matches are held to.
        let w = crate::weights::Weights::default();
        assert!(w.get(Level::EvidenceNearIdentical) > w.threshold.unit + 4.0);
        assert!(w.get(Level::EvidenceIdentical) > w.get(Level::EvidenceNearIdentical));
    }

    /// A picture with structure at several scales: waves, a disc and a bar, placed by `seed`.
    fn picture(w: u32, h: u32, seed: u32) -> RgbImage {
        let s = seed as f32;
        RgbImage::from_fn(w, h, |x, y| {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let mut v = 128.0
                + 50.0 * (fx * (3.0 + s) * std::f32::consts::TAU + s).sin()
                + 40.0 * (fy * (2.0 + s * 0.7) * std::f32::consts::TAU).cos();
            let (cx, cy) = (0.3 + 0.1 * (s % 4.0), 0.6 - 0.1 * (s % 3.0));
            if (fx - cx).powi(2) + (fy - cy).powi(2) < 0.04 {
                v = 255.0 - v;
            }
            if (0.7..0.8).contains(&fx) && fy > 0.2 {
                v *= 0.4;
            }
            let v = v.clamp(0.0, 255.0) as u8;
            image::Rgb([v, v.wrapping_add(30), 255 - v])
        })
    }

    fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(img)
            .unwrap();
        out
    }

    #[test]
    fn copies_of_a_picture_are_near_identical_and_other_pictures_are_not() {
        let original = picture(320, 240, 1);
        let png = phash(&encode(&original, ImageFormat::Png)).expect("a PNG hashes");
        let smaller =
            image::imageops::resize(&original, 200, 150, image::imageops::FilterType::Triangle);
        let mut captioned = original.clone();
        for (x, y) in (250..310).flat_map(|x| (215..235).map(move |y| (x, y))) {
            captioned.put_pixel(x, y, image::Rgb([255, 255, 255]));
        }
        let copies = [
            ("jpeg q90", jpeg(&original, 90)),
            ("a caption in a corner", jpeg(&captioned, 80)),
            ("jpeg q60 of a 200x150 copy", jpeg(&smaller, 60)),
            ("png of a 200x150 copy", encode(&smaller, ImageFormat::Png)),
        ];
        for (what, bytes) in &copies {
            let h = phash(bytes).unwrap_or_else(|| panic!("{what} hashes"));
            let d = (png ^ h).count_ones();
            eprintln!("{what}: {d} bits from the original");
            assert!(d <= NEAR_IDENTICAL_BITS, "{what}: {d} bits apart");
        }
        for seed in [2, 3, 5] {
            let other = phash(&jpeg(&picture(320, 240, seed), 90)).expect("hashes");
            let d = (png ^ other).count_ones();
            eprintln!("picture {seed}: {d} bits from the original");
            assert!(
                d > 2 * NEAR_IDENTICAL_BITS,
                "picture {seed}: only {d} bits apart"
            );
        }
    }

    #[test]
    fn no_hash_for_what_is_not_a_picture() {
        assert_eq!(phash(b""), None);
        assert_eq!(phash(b"%PDF-1.7 not an image"), None);
        let png = encode(&picture(64, 48, 1), ImageFormat::Png);
        assert_eq!(phash(&png[..png.len() / 2]), None, "truncated");
        let blank = RgbImage::from_pixel(64, 48, image::Rgb([0, 0, 0]));
        assert_eq!(phash(&encode(&blank, ImageFormat::Png)), None, "blank");
        assert!(is_hashable_image("image/jpeg"));
        assert!(!is_hashable_image("application/pdf"));
    }
}
