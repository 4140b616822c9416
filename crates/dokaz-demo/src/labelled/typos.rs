//! Typing errors as clerks make them: a letter inserted, left out, replaced by a neighbouring
//! key or a letter that sounds alike, or two letters swapped. The first letter is rarely hit
//! (people check the start of a name), but sometimes it is.

use crate::gen::Gen;

/// Keyboard rows: Ukrainian and Russian ЙЦУКЕН, and QWERTY. A neighbour is the key to the left
/// or right on the same row.
const ROWS: &[&str] = &[
    "йцукенгшщзхї",
    "фівапролджє",
    "ячсмитьбю",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
];

/// Letters confused by ear or by habit across Ukrainian and Russian spelling.
const SOUND_ALIKE: &[(char, char)] = &[
    ('и', 'і'),
    ('і', 'и'),
    ('е', 'и'),
    ('о', 'а'),
    ('а', 'о'),
    ('е', 'є'),
    ('г', 'х'),
    ('ш', 'щ'),
    ('y', 'i'),
    ('i', 'y'),
    ('k', 'c'),
    ('v', 'w'),
    ('w', 'v'),
    ('o', 'a'),
    ('e', 'i'),
    ('s', 'z'),
];

/// The chance that the first letter is the one hit.
const FIRST_LETTER: f64 = 0.1;

/// `word` with one typing error; unchanged when it is shorter than three letters.
pub(crate) fn typo(g: &mut Gen, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return word.to_owned();
    }
    let at = if g.chance(FIRST_LETTER) {
        0
    } else {
        g.int(1, chars.len() as i64 - 1) as usize
    };
    let original = chars[at];
    let lower = original.to_lowercase().next().unwrap_or(original);
    let recase = |c: char| {
        if original.is_uppercase() {
            c.to_uppercase().next().unwrap_or(c)
        } else {
            c
        }
    };
    match g.int(0, 3) {
        0 => {
            // Inserted: a key next to this one, struck as well.
            if let Some(n) = neighbour(g, lower) {
                chars.insert(at + 1, n);
            } else {
                chars.remove(at);
            }
        }
        1 => {
            chars.remove(at);
        }
        2 => {
            let alike = SOUND_ALIKE.iter().find(|(a, _)| *a == lower).map(|p| p.1);
            let replacement = match alike {
                Some(c) if g.chance(0.5) => Some(c),
                _ => neighbour(g, lower),
            };
            match replacement {
                Some(c) => chars[at] = recase(c),
                None => {
                    chars.remove(at);
                }
            }
        }
        _ => {
            let i = if at + 1 < chars.len() { at } else { at - 1 };
            if i == 0 {
                // Swapping the first letter would move a capital inside the word.
                let last = chars.len() - 1;
                chars.swap(1, 2.min(last));
            } else {
                chars.swap(i, i + 1);
            }
        }
    }
    let out: String = chars.into_iter().collect();
    if out == word {
        // Swapped two equal letters: take a letter out instead, so the error is real.
        let mut c: Vec<char> = word.chars().collect();
        c.remove(c.len() - 1);
        return c.into_iter().collect();
    }
    out
}

fn neighbour(g: &mut Gen, c: char) -> Option<char> {
    let rows: Vec<&str> = ROWS.iter().copied().filter(|r| r.contains(c)).collect();
    if rows.is_empty() {
        return None;
    }
    let row: Vec<char> = g.pick(rows.as_slice()).chars().collect();
    let i = row.iter().position(|&k| k == c)?;
    let left = i.checked_sub(1).map(|j| row[j]);
    let right = row.get(i + 1).copied();
    match (left, right) {
        (Some(l), Some(r)) => Some(if g.chance(0.5) { l } else { r }),
        (l, r) => l.or(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_away() {
        let mut g = Gen::new(3);
        for word in ["Коваленко", "Kovalenko", "Олена", "Schewtschenko", "Ііі"] {
            for _ in 0..500 {
                let t = typo(&mut g, word);
                assert_ne!(t, word);
                let (a, b): (Vec<char>, Vec<char>) = (word.chars().collect(), t.chars().collect());
                assert!(a.len().abs_diff(b.len()) <= 1, "{word} → {t}");
            }
        }
        assert_eq!(typo(&mut g, "Ян"), "Ян");
    }
}
