//! Narratives as sets of word keys: folded across scripts and cut to a stem, so that a
//! Ukrainian, a Russian and a romanised narrative of one event share their place names,
//! numbers and the words the languages share, whatever their endings.

/// Words shorter than this are mostly function words in all three languages.
const MIN_WORD_CHARS: usize = 4;
/// Slavic words inflect at the end: the first letters of the key are a cheap stem.
const STEM_BYTES: usize = 6;

/// The sorted, unique keys of the words of `text`. The matching key is taken of the raw
/// text (it folds case and marks itself, and reads Polish and Czech letters before they
/// would be stripped).
pub fn word_keys(text: &str) -> Vec<u32> {
    let key = crate::text::latin_key(text);
    let mut keys: Vec<u32> = key
        .split(' ')
        .filter(|w| {
            w.len() >= MIN_WORD_CHARS || (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|w| fnv1a(&w.as_bytes()[..w.len().min(STEM_BYTES)]) as u32)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Jaccard similarity of two sorted, unique slices.
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let common = crate::incident::count_common(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - common;
    if union == 0.0 {
        0.0
    } else {
        common / union
    }
}

/// FNV-1a: a fast, stable hash for keys that must be the same in every process and release
/// (std's hasher is randomly seeded and may change between Rust versions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
