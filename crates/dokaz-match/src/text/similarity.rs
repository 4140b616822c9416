//! How alike two names are once both are matching keys: a score in [0, 1] that tolerates the
//! differences spelling systems leave (Selenskyj/Zelensky, Kharkiv/Kharkov), a typo and a
//! changed word order, but keeps different names apart (Коваленко/Коваль, Петренко/Павленко).

use super::key::latin_key;

/// Two names scoring at least this are taken to be one name written differently.
///
/// Every spelling pair of one name in the tests scores ≥ 0.90 (most have identical keys,
/// 1.0); the different names in the tests score below 0.83. A caller that wants fewer candidates
/// can demand more; below 0.80 unrelated names start to pass.
pub const NAME_MATCH_THRESHOLD: f64 = 0.86;

/// Similarity of two names in any script or spelling, in [0, 1]: the keys' tokens are paired
/// regardless of order ("Olena Kovalenko" = "Коваленко Олена"); a name with fewer words than
/// the other scores a little lower (0.9 × when one of two words is missing), never higher.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    key_similarity(&latin_key(a), &latin_key(b))
}

/// [`name_similarity`] for texts that already are matching keys (the engine keeps keys).
pub fn key_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return if a.is_empty() { 0.0 } else { 1.0 };
    }
    if !a.contains(' ') && !b.contains(' ') {
        return token_similarity(a, b);
    }
    let ta: Vec<&str> = a.split(' ').filter(|t| !t.is_empty()).collect();
    let tb: Vec<&str> = b.split(' ').filter(|t| !t.is_empty()).collect();
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    if ta.len() == 1 && tb.len() == 1 {
        return token_similarity(ta[0], tb[0]);
    }
    let (small, large) = if ta.len() <= tb.len() {
        (&ta, &tb)
    } else {
        (&tb, &ta)
    };
    // Greedy pairing on the best scores: names have few words, and the best pair of a name
    // is rarely contested.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(small.len() * large.len());
    for (i, s) in small.iter().enumerate() {
        for (j, l) in large.iter().enumerate() {
            pairs.push((token_similarity(s, l), i, j));
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut used_s = vec![false; small.len()];
    let mut used_l = vec![false; large.len()];
    let (mut sum, mut weight) = (0.0, 0.0);
    for (score, i, j) in pairs {
        if used_s[i] || used_l[j] {
            continue;
        }
        used_s[i] = true;
        used_l[j] = true;
        let w = small[i].len().max(large[j].len()) as f64;
        sum += score * w;
        weight += w;
    }
    let coverage = small.len() as f64 / large.len() as f64;
    let set_score = if weight > 0.0 { sum / weight } else { 0.0 } * (0.8 + 0.2 * coverage);
    // Words split or joined differently (Ivano-Frankivsk, Ivanofrankivsk) only meet whole.
    let (mut ja, mut jb) = ([0u8; MAX_LEN], [0u8; MAX_LEN]);
    let joined = match (squeeze(a, &mut ja), squeeze(b, &mut jb)) {
        (Some(x), Some(y)) => bytes_similarity(x, y),
        _ => token_similarity(&a.replace(' ', ""), &b.replace(' ', "")),
    };
    set_score.max(joined)
}

/// Similarity of two single-word keys: the mean of Jaro-Winkler (which forgives endings and
/// rewards a shared start) and a weighted edit distance (which sees how much differs).
/// Substitutions that spelling systems cause cost little: vowels for vowels (Харків/Харьков,
/// Олена/Алена), s/z (Selenskyj), the three readings of `ch` (ч, х, ш), ж/ш/з under German
/// `sch`/`s`; inserting or losing the glide `i` costs half (Ludmila/Liudmyla).
pub fn token_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return if a.is_empty() { 0.0 } else { 1.0 };
    }
    bytes_similarity(a.as_bytes(), b.as_bytes())
}

/// An upper bound of [`token_similarity`] from the letters the two share, regardless of
/// where: about a tenth of its cost, so that a comparison which cannot matter (a reading of a
/// name that cannot beat another) is ruled out before it is made.
pub(crate) fn token_similarity_bound(a: &str, b: &str) -> f64 {
    match (Letters::of(a), Letters::of(b)) {
        (Some(x), Some(y)) => x.similarity_bound(&y),
        _ => 1.0,
    }
}

/// What [`Letters::similarity_bound`] needs of a key: how often each letter occurs, its
/// length and its first four bytes. Small and without pointers, so that it can sit inline in
/// a record and be read for every candidate pair without following the record's strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Letters {
    /// Occurrences of `a`..`z`.
    counts: [u8; 26],
    /// Bytes outside `a`..`z` (they may differ from the other key's: counted as if alike).
    other: u8,
    len: u8,
    prefix: [u8; 4],
}

impl Letters {
    /// `None` for a key longer than [`MAX_LEN`], which is scored by `strsim` on characters.
    pub fn of(key: &str) -> Option<Self> {
        let bytes = key.as_bytes();
        if bytes.len() > MAX_LEN {
            return None;
        }
        let mut l = Letters {
            counts: [0; 26],
            other: 0,
            len: bytes.len() as u8,
            prefix: [0; 4],
        };
        for (i, &c) in bytes.iter().enumerate() {
            if let Some(p) = l.prefix.get_mut(i) {
                *p = c;
            }
            match c {
                b'a'..=b'z' => l.counts[usize::from(c - b'a')] += 1,
                _ => l.other += 1,
            }
        }
        Some(l)
    }

    /// An upper bound of [`token_similarity`] of the two keys. Jaro counts at most as many
    /// matches `m` as the letters in common, so it is at most `(m/|a| + m/|b| + 1) / 3`, and
    /// its Winkler bonus grows with it. Every letter of the longer key beyond those `m`
    /// costs an edit of at least the cheapest substitution (0.3).
    pub fn similarity_bound(&self, o: &Self) -> f64 {
        if self.len == 0 || o.len == 0 {
            return 0.0;
        }
        let common = self.common(o);
        let jaro_winkler = self.jaro_winkler_with(o, common);
        let longest = self.len.max(o.len);
        let cost = f64::from(CHEAPEST_EDIT) * f64::from(u32::from(longest) - common) / COST_UNIT;
        let edit = 1.0 - (cost / f64::from(longest)).min(1.0);
        0.5 * jaro_winkler + 0.5 * edit
    }

    /// An upper bound of the Jaro–Winkler similarity of the two keys' bytes (as
    /// [`jaro_winkler_str`] computes it for ASCII keys).
    pub fn jaro_winkler_bound(&self, o: &Self) -> f64 {
        if self.len == 0 || o.len == 0 {
            return if self.len == o.len { 1.0 } else { 0.0 };
        }
        self.jaro_winkler_with(o, self.common(o))
    }

    /// Letters the two have in common, wherever they are.
    fn common(&self, o: &Self) -> u32 {
        self.counts
            .iter()
            .zip(&o.counts)
            .map(|(x, y)| u32::from(*x.min(y)))
            .sum::<u32>()
            + u32::from(self.other.min(o.other))
    }

    /// Jaro's bound with `common` matches at most, and Winkler's bonus on it.
    fn jaro_winkler_with(&self, o: &Self, common: u32) -> f64 {
        let m = f64::from(common);
        let jaro = if common == 0 {
            0.0
        } else {
            (m / f64::from(self.len) + m / f64::from(o.len) + 1.0) / 3.0
        };
        if jaro > 0.7 {
            let shortest = usize::from(self.len.min(o.len)).min(4);
            let prefix = self.prefix[..shortest]
                .iter()
                .zip(&o.prefix)
                .take_while(|(p, q)| p == q)
                .count();
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }
}

/// The cheapest edit of [`substitution_rule`] and [`indel_cost`] (in twentieths).
const CHEAPEST_EDIT: u32 = 6;

/// Keys longer than this are scored with heap buffers; names never are.
const MAX_LEN: usize = 64;

/// `s` without its spaces, in `buf`, when it fits.
fn squeeze<'b>(s: &str, buf: &'b mut [u8; MAX_LEN]) -> Option<&'b [u8]> {
    let mut n = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        *buf.get_mut(n)? = b;
        n += 1;
    }
    Some(&buf[..n])
}

fn bytes_similarity(x: &[u8], y: &[u8]) -> f64 {
    if x == y {
        return if x.is_empty() { 0.0 } else { 1.0 };
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let longest = x.len().max(y.len());
    let edit = 1.0 - (weighted_levenshtein(x, y) / longest as f64).min(1.0);
    0.5 * jaro_winkler(x, y) + 0.5 * edit
}

/// [`strsim::jaro_winkler`] of two texts, without allocating for short ASCII texts.
pub(crate) fn jaro_winkler_str(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler(a.as_bytes(), b.as_bytes())
    } else {
        strsim::jaro_winkler(a, b)
    }
}

/// Jaro-Winkler as `strsim` computes it (prefix bonus only above 0.7, on at most four
/// letters), on bytes and without allocating for keys up to [`MAX_LEN`].
fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a.len() > MAX_LEN || b.len() > MAX_LEN {
        return strsim::jaro_winkler(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    let jaro = jaro(a, b);
    if jaro > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = ([false; MAX_LEN], [false; MAX_LEN]);
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b.len().min(i + range + 1);
        for j in lo..hi {
            if !b_flags[j] && b[j] == x {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &x) in a.iter().enumerate() {
        if !a_flags[i] {
            continue;
        }
        while !b_flags[j] {
            j += 1;
        }
        if b[j] != x {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Edit costs are counted in twentieths, so that the table below is exact in integers and the
/// innermost loop of person matching does no floating-point work.
const COST_UNIT: f64 = 20.0;

fn weighted_levenshtein(x: &[u8], y: &[u8]) -> f64 {
    let cost = if y.len() >= MAX_LEN {
        let mut prev = vec![0; y.len() + 1];
        let mut cur = vec![0; y.len() + 1];
        levenshtein_rows(x, y, &mut prev, &mut cur)
    } else {
        let (mut prev, mut cur) = ([0; MAX_LEN], [0; MAX_LEN]);
        levenshtein_rows(x, y, &mut prev[..=y.len()], &mut cur[..=y.len()])
    };
    f64::from(cost) / COST_UNIT
}

fn levenshtein_rows<'r>(
    x: &[u8],
    y: &[u8],
    mut prev: &'r mut [u32],
    mut cur: &'r mut [u32],
) -> u32 {
    prev[0] = 0;
    for (j, &c) in y.iter().enumerate() {
        prev[j + 1] = prev[j] + indel_cost(c);
    }
    for &cx in x {
        let del_x = indel_cost(cx);
        cur[0] = prev[0] + del_x;
        for (j, &cy) in y.iter().enumerate() {
            let sub = prev[j] + substitution_cost(cx, cy);
            let del = prev[j + 1] + del_x;
            let ins = cur[j] + indel_cost(cy);
            cur[j + 1] = sub.min(del).min(ins);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[y.len()]
}

/// Inserting or losing a letter: 1, the glide `i` ½ (in twentieths).
fn indel_cost(c: u8) -> u32 {
    if c == b'i' {
        10
    } else {
        20
    }
}

/// Replacing a letter (in twentieths): a vowel by a vowel 0.35, the pairs spelling systems
/// exchange 0.3 or 0.5, anything else 1. Keys are ASCII: their costs are looked up in a table
/// built at compile time (the innermost loop of person matching).
fn substitution_cost(a: u8, b: u8) -> u32 {
    match SUBSTITUTION.get(usize::from(a)) {
        Some(row) if b < 128 => u32::from(row[usize::from(b)]),
        _ => substitution_rule(a, b),
    }
}

static SUBSTITUTION: [[u8; 128]; 128] = {
    let mut t = [[0u8; 128]; 128];
    let mut a = 0;
    while a < 128 {
        let mut b = 0;
        while b < 128 {
            t[a][b] = substitution_rule(a as u8, b as u8) as u8;
            b += 1;
        }
        a += 1;
    }
    t
};

const fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

const fn substitution_rule(a: u8, b: u8) -> u32 {
    if a == b {
        return 0;
    }
    if is_vowel(a) && is_vowel(b) {
        return 7;
    }
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    match (p, q) {
        (b's', b'z') | (b'c', b'h') | (b'c', b'x') | (b'j', b'z') | (b'j', b'x') => 6,
        (b'h', b'x') | (b's', b'x') | (b'f', b'v') | (b'h', b'k') => 10,
        _ => 20,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_table_is_the_rule() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(substitution_cost(a, b), substitution_rule(a, b), "{a} {b}");
            }
        }
        assert_eq!(substitution_cost(b'z', b's'), 6);
        assert_eq!(substitution_cost(b'o', b'a'), 7);
    }

    #[test]
    fn the_cheapest_edit_is_the_cheapest() {
        let cheapest = (0..=255u8)
            .flat_map(|a| (0..=255u8).map(move |b| (a, b)))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| substitution_rule(a, b))
            .chain((0..=255u8).map(indel_cost))
            .min();
        assert_eq!(cheapest, Some(CHEAPEST_EDIT));
    }

    #[test]
    fn the_bound_is_close_for_unlike_names_and_exact_for_equal_ones() {
        assert_eq!(token_similarity_bound("kovalenko", "kovalenko"), 1.0);
        assert_eq!(token_similarity_bound("", "kovalenko"), 0.0);
        let (bound, exact) = (
            token_similarity_bound("kovalenko", "oleksandr"),
            token_similarity("kovalenko", "oleksandr"),
        );
        assert!(exact <= bound && bound < 0.85, "{exact} {bound}");
    }

    proptest::proptest! {
        #[test]
        fn the_bound_is_never_below_the_similarity(a in "[aeiouszchxjkfvhnrt1-]{0,12}", b in "[aeiouszchxjkfvhnrt1-]{0,12}") {
            let (exact, bound) = (token_similarity(&a, &b), token_similarity_bound(&a, &b));
            proptest::prop_assert!(exact <= bound, "{} {}: {} > {}", a, b, exact, bound);
        }

        #[test]
        fn the_jaro_winkler_bound_is_never_below_it(a in "[aeiouszchxjkfvhnrt1-]{0,12}", b in "[aeiouszchxjkfvhnrt1-]{0,12}") {
            let (x, y) = (Letters::of(&a).unwrap(), Letters::of(&b).unwrap());
            let (exact, bound) = (jaro_winkler_str(&a, &b), x.jaro_winkler_bound(&y));
            proptest::prop_assert!(exact <= bound, "{} {}: {} > {}", a, b, exact, bound);
        }

        #[test]
        fn jaro_winkler_agrees_with_strsim_anywhere(a in "[a-e]{0,70}", b in "[a-e]{0,70}") {
            let ours = jaro_winkler(a.as_bytes(), b.as_bytes());
            let theirs = strsim::jaro_winkler(&a, &b);
            proptest::prop_assert!((ours - theirs).abs() < 1e-12, "{} {}", ours, theirs);
        }
    }

    /// The allocation-free Jaro-Winkler is `strsim`'s, number for number.
    #[test]
    fn jaro_winkler_agrees_with_strsim() {
        let words = [
            "zelenski",
            "selenski",
            "kovalenko",
            "koval",
            "harkiv",
            "harkov",
            "a",
            "ab",
            "ba",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "iuri",
            "kiev",
            "kiv",
            "xevcenko",
        ];
        for a in words {
            for b in words {
                let ours = jaro_winkler(a.as_bytes(), b.as_bytes());
                let theirs = strsim::jaro_winkler(a, b);
                assert!((ours - theirs).abs() < 1e-12, "{a} {b}: {ours} {theirs}");
            }
        }
    }
}
