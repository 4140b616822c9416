//! Folding: one canonical lowercase spelling of a text in its own script, so that differences
//! of Unicode encoding, case, apostrophe glyph, punctuation and Latin accents never matter.

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Folds `s` for comparison within one script: NFKC, full lowercase, apostrophes inside words
/// removed (Знам'янка = Знам’янка = Знамʼянка = Знамянка), every other non-alphanumeric
/// character made a single space, diacritics stripped from Latin letters only (ł→l, ž→z,
/// é→e). Cyrillic letters are kept whole: й, ї, ё are letters of their own, and decomposing
/// them (as NFKD would) would merge й with и.
pub fn fold(s: &str) -> String {
    let s = nfkc(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // Whether the last thing pushed was a letter or digit (not a space): apostrophes only
    // vanish between two letters, elsewhere they separate like any punctuation.
    let mut in_word = false;
    while let Some(c) = chars.next() {
        if is_apostrophe(c) {
            let next_is_letter = chars.peek().is_some_and(|n| n.is_alphabetic());
            if !(in_word && next_is_letter) {
                push_space(&mut out);
                in_word = false;
            }
            continue;
        }
        if is_combining_mark(c) {
            // Left over after NFKC (stress marks on Cyrillic, accents NFKC could not compose):
            // they never distinguish names.
            continue;
        }
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                push_base_letter(&mut out, l);
            }
            in_word = true;
        } else {
            push_space(&mut out);
            in_word = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// NFKC, borrowing when the text is already normalised (the usual case: no allocation).
/// The acute accent U+00B4, typed for an apostrophe, is first made U+2019: NFKC would turn
/// it into a space and a combining accent, splitting the word.
pub(crate) fn nfkc(s: &str) -> Cow<'_, str> {
    // Basic Cyrillic (U+0400–U+045F) and ASCII are NFKC-stable: no table lookups for them.
    let plain =
        |c: char| c.is_ascii() || matches!(c, '\u{0400}'..='\u{045F}' | 'ґ' | 'Ґ' | '’' | 'ʼ');
    if s.chars().all(plain) || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else if s.contains('\u{00B4}') {
        Cow::Owned(s.replace('\u{00B4}', "\u{2019}").nfkc().collect())
    } else {
        Cow::Owned(s.nfkc().collect())
    }
}

/// Every glyph used for the apostrophe in Ukrainian and in romanisations (the Ukrainian
/// orthography prescribes U+02BC, keyboards produce U+0027 or U+2019).
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{02BC}'
            | '\u{2018}'
            | '`'
            | '\u{00B4}'
            | '\u{02B9}'
            | '\u{2032}'
            | '\u{02BB}'
            | '\u{02BD}'
            | '\u{FF07}'
    )
}

pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Latin letters outside ASCII: the Latin-1 supplement, Latin Extended-A/B and Additional.
pub(crate) fn is_extended_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// The ASCII letters an accented Latin letter stands for; `None` when it is not one.
/// Letters that canonical decomposition does not simplify (ł, ø, ß, æ …) are listed.
pub(crate) fn latin_base(c: char) -> Option<&'static str> {
    if !is_extended_latin(c) {
        return None;
    }
    let special = match c {
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ı' => "i",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ŀ' => "l",
        _ => "",
    };
    if !special.is_empty() {
        return Some(special);
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base.is_none() && d.is_ascii_alphabetic() {
            base = Some(d);
        }
    });
    base.and_then(ascii_letter_str)
}

fn ascii_letter_str(c: char) -> Option<&'static str> {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    let c = c.to_ascii_lowercase();
    let i = (c as usize).checked_sub('a' as usize)?;
    LETTERS.get(i..i + 1)
}

fn push_base_letter(out: &mut String, l: char) {
    match latin_base(l) {
        Some(base) => out.push_str(base),
        None => out.push(l),
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn case_and_whitespace() {
        assert_eq!(
            fold("  КОВАЛЕНКО   Олена\tПетрівна "),
            "коваленко олена петрівна"
        );
        assert_eq!(fold("ZELENSKYY"), "zelenskyy");
    }

    #[test]
    fn apostrophe_variants_vanish_inside_words() {
        for s in [
            "Знам'янка",
            "Знам’янка",
            "Знамʼянка",
            "Знам‘янка",
            "Знам`янка",
            "Знам´янка",
        ] {
            assert_eq!(fold(s), "знамянка", "{s}");
        }
        assert_eq!(fold("Irpin'"), "irpin");
        assert_eq!(fold("Khar’kov"), "kharkov");
        assert_eq!(fold("'quoted'"), "quoted");
    }

    #[test]
    fn punctuation_and_hyphens_become_spaces() {
        assert_eq!(fold("Римський-Корсаков"), "римський корсаков");
        assert_eq!(fold("в/ч 12345"), "в ч 12345");
        assert_eq!(
            fold("Kamianets-Podilskyi, Khmelnytskyi obl."),
            "kamianets podilskyi khmelnytskyi obl"
        );
    }

    #[test]
    fn latin_diacritics_stripped() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Żytomierz"), "zytomierz");
        assert_eq!(fold("Černihiv Škoda"), "cernihiv skoda");
        assert_eq!(
            fold("Schöneberg Müller Straße"),
            "schoneberg muller strasse"
        );
        assert_eq!(
            fold("Chevtchenko Choïgou Hélène"),
            "chevtchenko choigou helene"
        );
    }

    #[test]
    fn cyrillic_letters_are_never_decomposed() {
        assert_eq!(fold("Йосипівка"), "йосипівка");
        assert_eq!(fold("Їжакевич"), "їжакевич");
        assert_eq!(fold("Алёна"), "алёна");
        // Decomposed input (и + combining breve) is composed by NFKC, not stripped.
        assert_eq!(fold("Андрии\u{306}"), "андрий");
        assert_eq!(fold("Андри\u{306}"), "андрй");
    }

    #[test]
    fn stress_marks_dropped() {
        assert_eq!(fold("Караджи́"), "караджи");
    }

    #[test]
    fn nfkc_compatibility_forms() {
        assert_eq!(fold("ﬁle Ｋｙｉｖ"), "file kyiv");
    }
}
