//! Military unit designations in Russian, Ukrainian or English, read into their parts — the
//! military-unit number (в/ч 51460), the ordinal (64), the echelon (brigade) and the branch
//! (separate, motor rifle) — so that "64 ОМСБр", "64th Separate Motor Rifle Brigade" and
//! "64-я отдельная мотострелковая бригада" compare equal, and "65 ОМСБр" does not.

use super::key::latin_key;

mod vocabulary;

pub use vocabulary::{Branch, UnitKind};

/// What a designation says about a unit. Every field may be empty: a record may give only
/// the unit number, or only "the 64th brigade".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitDesignation {
    /// Military-unit numbers ("в/ч 51460" → `51460`, "військова частина А0536" → `A0536`),
    /// the identifier that distinguishes units for certain.
    pub numbers: Vec<String>,
    /// The unit's ordinal number: 64 in "64th", "64-я", "64 ОМСБр".
    pub ordinal: Option<u32>,
    /// The first echelon named (a text naming "a battalion of the 64th brigade" is read as
    /// the battalion's kind and the brigade's number: keep such texts apart upstream).
    pub kind: Option<UnitKind>,
    /// Branch and qualifiers, sorted and without repeats.
    pub branch: Vec<Branch>,
}

impl UnitDesignation {
    pub fn parse(text: &str) -> Self {
        let key = latin_key(&drop_ordinal_endings(text));
        let words: Vec<&str> = key
            .split(' ')
            .filter(|w| !w.is_empty())
            .flat_map(split_letters_digits)
            .collect();
        let mut d = UnitDesignation::default();
        let mut i = 0;
        while i < words.len() {
            if let Some(marker_len) = unit_number_marker(&words[i..]) {
                if let Some((number, used)) = unit_number(&words[i + marker_len..]) {
                    push_unique(&mut d.numbers, number);
                    i += marker_len + used;
                    continue;
                }
            }
            let w = words[i];
            // Russian military-unit numbers have five digits; no ordinal has.
            if is_ukrainian_unit_number(w) || is_digits(w, 5..=5) {
                push_unique(&mut d.numbers, w.to_ascii_uppercase());
            } else if let Some((ordinal, rest)) = ordinal(w) {
                if d.ordinal.is_none() {
                    d.ordinal = Some(ordinal);
                }
                if !rest.is_empty() {
                    d.read_word(rest, words.get(i + 1).copied());
                }
            } else {
                d.read_word(w, words.get(i + 1).copied());
            }
            i += 1;
        }
        d.branch.sort();
        d.branch.dedup();
        // "Naval infantry" says infantry too: only the more specific arm is kept.
        if d.branch.contains(&Branch::NavalInfantry) {
            d.branch.retain(|b| *b != Branch::Infantry);
        }
        d
    }

    fn read_word(&mut self, w: &str, next: Option<&str>) {
        let (kind, branches) = vocabulary::read(w, next);
        if self.kind.is_none() {
            self.kind = kind;
        }
        self.branch.extend_from_slice(branches);
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty() && self.ordinal.is_none()
    }
}

/// Drops the hyphenated ordinal endings (64-я, 36-та, 1-й, 93-rd) that would otherwise read
/// as words, some of them abbreviations (ТА is a tank army).
fn drop_ordinal_endings(text: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if chars[i].is_ascii_digit() && chars.get(i + 1) == Some(&'-') {
            let letters = chars[i + 2..]
                .iter()
                .take_while(|c| c.is_alphabetic())
                .count();
            if (1..=3).contains(&letters) {
                i += 2 + letters;
                changed = true;
                continue;
            }
        }
        i += 1;
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits a word of letters glued to a number ("в/ч51460" → `c` `51460`), except Ukrainian
/// unit numbers (А0536), which are one word.
fn split_letters_digits(w: &str) -> impl Iterator<Item = &str> {
    let letters = w.bytes().take_while(u8::is_ascii_alphabetic).count();
    let glued = letters > 0
        && w.len() - letters >= 3
        && w.bytes().skip(letters).all(|b| b.is_ascii_digit())
        && !is_ukrainian_unit_number(w);
    let (a, b) = if glued { w.split_at(letters) } else { (w, "") };
    [a, b].into_iter().filter(|s| !s.is_empty())
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// The words announcing a military-unit number, as keys: в/ч, вч, В.Ч. (`v c`, `vc`),
/// військова/войсковая/воинская частина/часть, military unit, mil. unit, unit, u/m.
/// Returns how many words the marker takes.
fn unit_number_marker(words: &[&str]) -> Option<usize> {
    let w0 = words.first()?;
    let w1 = words.get(1).copied().unwrap_or("");
    match *w0 {
        "vc" | "unit" | "um" => Some(1),
        "v" if w1 == "c" => Some(2),
        "u" if w1 == "m" => Some(2),
        "militari" | "mil" if w1 == "unit" => Some(2),
        w if (w.starts_with("voisk") || w.starts_with("voinsk") || w.starts_with("visk"))
            && w1.starts_with("cast") =>
        {
            Some(2)
        }
        _ => None,
    }
}

/// The number after a marker, skipping "№"/"No"/"nr": 3 to 6 digits, or a letter and digits
/// (А0536, written "А0536" or "А-0536"). Returns the number and the words it took.
fn unit_number(words: &[&str]) -> Option<(String, usize)> {
    let mut i = 0;
    while words
        .get(i)
        .is_some_and(|w| matches!(*w, "no" | "n" | "nr" | "nomer" | "number"))
    {
        i += 1;
    }
    let w = words.get(i)?;
    if is_digits(w, 3..=6) {
        return Some((w.to_string(), i + 1));
    }
    if is_ukrainian_unit_number(w) {
        return Some((w.to_ascii_uppercase(), i + 1));
    }
    let next = words.get(i + 1)?;
    if w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic() && is_digits(next, 3..=5) {
        return Some((format!("{}{next}", w.to_ascii_uppercase()), i + 2));
    }
    None
}

/// The Ukrainian armed forces' unit numbers: А (or В, for the National Guard) and four
/// digits, meaningful even without a marker.
fn is_ukrainian_unit_number(w: &str) -> bool {
    w.len() == 5 && matches!(w.as_bytes()[0], b'a' | b'v') && is_digits(&w[1..], 4..=4)
}

fn is_digits(w: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
}

/// An ordinal word: 1 to 4 digits, then nothing, an ordinal ending (th, st, nd, rd; -я, -й,
/// -го, -тя …, at most three letters) or a glued abbreviation (64ОМСБр). Returns the number
/// and the glued rest, if it is more than an ending.
fn ordinal(w: &str) -> Option<(u32, &str)> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=4).contains(&digits) {
        return None;
    }
    let n: u32 = w[..digits].parse().ok()?;
    let rest = &w[digits..];
    if rest.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = if rest.len() <= 3 && vocabulary::read(rest, None) == (None, &[][..]) {
        ""
    } else {
        rest
    };
    Some((n, rest))
}

/// Why two designations scored as they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DesignationReason {
    /// They share a military-unit number: the same unit.
    SameUnitNumber,
    /// Both have unit numbers and none is shared: different units.
    DifferentUnitNumbers,
    /// Different ordinals (64 and 65): different units.
    DifferentOrdinal,
    /// Same ordinal but different echelons (64th brigade, 64th regiment).
    DifferentKind,
    /// Same ordinal but incompatible arms (64th tank, 64th motor rifle brigade).
    ConflictingBranch,
    /// Same ordinal, echelon and compatible arms.
    SameDesignation,
    /// Same ordinal, and nothing else known on one side to confirm or refute it.
    SameOrdinalOnly,
    /// Nothing to compare: one has only a unit number, the other only an ordinal, or either
    /// is empty. A table of which number belongs to which unit must decide.
    NotComparable,
}

/// Designations scoring at least this name the same unit.
pub const DESIGNATION_MATCH_THRESHOLD: f64 = 0.8;

/// How likely two designations name one unit, in [0, 1], with the reason.
pub fn designation_similarity(
    a: &UnitDesignation,
    b: &UnitDesignation,
) -> (f64, DesignationReason) {
    use DesignationReason::*;
    if !a.numbers.is_empty() && !b.numbers.is_empty() {
        return if a.numbers.iter().any(|n| b.numbers.contains(n)) {
            (1.0, SameUnitNumber)
        } else {
            (0.05, DifferentUnitNumbers)
        };
    }
    let (Some(oa), Some(ob)) = (a.ordinal, b.ordinal) else {
        return (0.0, NotComparable);
    };
    if oa != ob {
        return (0.05, DifferentOrdinal);
    }
    let kind_same = match (a.kind, b.kind) {
        (Some(x), Some(y)) if x != y => return (0.3, DifferentKind),
        (Some(_), Some(_)) => true,
        _ => false,
    };
    if vocabulary::arms_conflict(&a.branch, &b.branch) {
        return (0.3, ConflictingBranch);
    }
    if kind_same {
        let overlap = jaccard(&a.branch, &b.branch);
        (0.85 + 0.15 * overlap, SameDesignation)
    } else {
        (0.6, SameOrdinalOnly)
    }
}

fn jaccard(a: &[Branch], b: &[Branch]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.iter().filter(|x| b.contains(x)).count() as f64;
    let union = (a.len() + b.len()) as f64 - common;
    common / union
}

#[cfg(test)]
mod tests;
