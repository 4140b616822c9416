//! Official romanisations of Cyrillic: the Ukrainian national system and the Russian
//! systems seen in records. They produce the spelling a document would carry; matching
//! across spellings uses [`crate::text::latin_key`] instead.

mod ru;
mod uk;

pub use ru::{romanize_ru, RuSystem};
pub use uk::romanize_uk;

/// Writes `latin` for one Cyrillic letter, in the case the letter had: all capitals when the
/// word around it is in capitals (ЩУКА → SHCHUKA), else only the first letter (Щука → Shchuka).
pub(crate) fn push_cased(out: &mut String, latin: &str, upper: bool, word_upper: bool) {
    if !upper {
        out.push_str(latin);
    } else if word_upper {
        out.extend(latin.chars().flat_map(char::to_uppercase));
    } else {
        let mut it = latin.chars();
        if let Some(first) = it.next() {
            out.extend(first.to_uppercase());
            out.push_str(it.as_str());
        }
    }
}

/// Whether the letter at `i` stands in an all-capitals run: a neighbouring letter is also
/// a capital. A lone capital (Я, Щ) counts as title case.
pub(crate) fn in_upper_run(chars: &[char], i: usize) -> bool {
    let upper_letter = |j: usize| chars.get(j).is_some_and(|c| c.is_uppercase());
    upper_letter(i + 1) || (i > 0 && upper_letter(i - 1))
}

/// Whether position `i` starts a word: the text start, or after anything but a letter or an
/// apostrophe (an apostrophe is inside the word: Знам'янка).
pub(crate) fn word_initial(chars: &[char], i: usize) -> bool {
    i == 0 || {
        let p = chars[i - 1];
        !(p.is_alphabetic() || crate::text::fold::is_apostrophe(p))
    }
}
