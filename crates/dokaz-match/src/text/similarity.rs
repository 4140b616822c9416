//! How alike two names are once both are matching keys: a score in [0, 1] that tolerates the
//! differences spelling systems leave (Selenskyj/Zelensky, Kharkiv/Kharkov), a typo and a
//! changed word order, but keeps different names apart (Коваленко/Коваль, Петренко/Павленко).

use super::key::latin_key;

/// Two names scoring at least this are taken to be one name written differently.
///
/// Every spelling pair of one name in the tests scores ≥ 0.90 (most have identical keys,
/// 1.0); the different names in the tests score ≤ 0.82. A caller that wants fewer candidates
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
    let joined = token_similarity(&a.replace(' ', ""), &b.replace(' ', ""));
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
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let longest = x.len().max(y.len());
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let edit = 1.0 - (weighted_levenshtein(x, y) / longest as f64).min(1.0);
    0.5 * strsim::jaro_winkler(a, b) + 0.5 * edit
}

fn weighted_levenshtein(x: &[u8], y: &[u8]) -> f64 {
    let mut prev: Vec<f64> = Vec::with_capacity(y.len() + 1);
    let mut acc = 0.0;
    prev.push(0.0);
    for &c in y {
        acc += indel_cost(c);
        prev.push(acc);
    }
    let mut cur = vec![0.0; y.len() + 1];
    for &cx in x {
        cur[0] = prev[0] + indel_cost(cx);
        for (j, &cy) in y.iter().enumerate() {
            let sub = prev[j] + substitution_cost(cx, cy);
            let del = prev[j + 1] + indel_cost(cx);
            let ins = cur[j] + indel_cost(cy);
            cur[j + 1] = sub.min(del).min(ins);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[y.len()]
}

fn indel_cost(c: u8) -> f64 {
    if c == b'i' {
        0.5
    } else {
        1.0
    }
}

fn substitution_cost(a: u8, b: u8) -> f64 {
    if a == b {
        return 0.0;
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    if vowel(a) && vowel(b) {
        return 0.35;
    }
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    match (p, q) {
        (b's', b'z') | (b'c', b'h') | (b'c', b'x') | (b'j', b'z') | (b'j', b'x') => 0.3,
        (b'h', b'x') | (b's', b'x') | (b'f', b'v') | (b'h', b'k') => 0.5,
        _ => 1.0,
    }
}
