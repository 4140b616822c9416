//! The cross-script matching key: one lowercase ASCII spelling that every Cyrillic original
//! and every usual romanisation of a name fold to, so that Зеленський, Зеленский, Zelenskyi,
//! Zelenskiy, Zelensky and Zelenskij are one key, and Шевченко, Shevchenko, Szewczenko,
//! Schewtschenko and Chevtchenko another.
//!
//! The key is not a transliteration meant to be read. Each sound has one symbol, whatever
//! the spelling system:
//!
//! | key | Cyrillic | Latin spellings folded to it |
//! |---|---|---|
//! | `h` | г ґ х | h g kh gh, ch (German, Polish, Czech: Charkiw) |
//! | `i` | и і ї й ы | i y j, ii yi iy yj ij (runs of them are one `i`) |
//! | `e` | е є э | e, ye je ie at a word start or after a vowel; Polish ie after a consonant |
//! | `j` | ж | zh ż ž |
//! | `x` | ш | sh sz š sch, ch (French: with tch or a final ou, Chevtchenko) |
//! | `c` | ч | ch (English, national systems) cz č tsch tch; тч too (Mytchenky) |
//! | `xc` | щ | shch szcz šč schtsch chtch |
//! | `ts` | ц | ts tz ć, c (not before a, o, u, l, r, t), z before k in Central European spellings (Chmelnyzkyj) |
//! | `v` | в | v w |
//! | `ks` | кс | ks x (but a word-initial x before a, o, u or a consonant is GOST's х) |
//! | `k` | к | k q ck, c (before a, o, u, l, r, t) |
//!
//! The soft and hard signs and the apostrophe vanish, and so does a Latin j standing for the
//! soft sign (Irpinj); a doubled letter counts once.
//! Digits are kept (unit numbers, "А1234").
//! Letters of other scripts (Greek, Georgian, CJK …) are dropped.

use super::fold::{is_apostrophe, is_combining_mark, latin_base, nfkc};

/// The matching key of `s`: its words, each folded to key symbols (see the module table),
/// joined by single spaces. Empty when `s` has no Latin or Cyrillic letter or digit.
pub fn latin_key(s: &str) -> String {
    let s = nfkc(s);
    // One buffer for the whole key: each word's symbols are written at its end and tidied in
    // place, so a key costs one allocation (two for Latin words with diacritics).
    let mut out: Vec<u8> = Vec::with_capacity(s.len() + 4);
    let mut scratch: Vec<u8> = Vec::new();
    let mut word: Option<(usize, bool)> = None; // (start, has Cyrillic)
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_apostrophe(c) {
            let inside = word.is_some() && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
            if inside {
                continue;
            }
        } else if is_combining_mark(c) {
            continue;
        } else if is_letter_or_digit(c) {
            match &mut word {
                Some((_, cyr)) => *cyr |= is_cyrillic(c),
                None => word = Some((i, is_cyrillic(c))),
            }
            continue;
        }
        if let Some((start, cyr)) = word.take() {
            flush_word(&s[start..i], cyr, &mut scratch, &mut out);
        }
    }
    if let Some((start, cyr)) = word {
        flush_word(&s[start..], cyr, &mut scratch, &mut out);
    }
    // Every symbol is ASCII by construction, so this never fails.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the symbols of one word (its letters and digits; apostrophes and marks inside it
/// are skipped) to `out`, space-separated from the previous word.
/// A coarser key for blocking: the consonants of a matching key, with the ones spelling
/// systems confuse merged (s z ж ш → `s`; ч х г → `h`; f v → `v`) and vowels dropped, so that
/// Selenskyj and Zelensky (`slnsk`), Олександр and Александр (`lksndr`), Czech Charkiv and
/// Kharkiv (`hrkv`) fall in one block. Too coarse to score with: compare keys for that.
pub fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for word in key.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let start = out.len();
        for b in word.bytes() {
            let c = match b {
                b'a' | b'e' | b'i' | b'o' | b'u' => continue,
                b'z' | b'j' | b'x' => 's',
                b'c' => 'h',
                b'f' => 'v',
                _ => b as char,
            };
            if out.len() == start || !out.ends_with(c) {
                out.push(c);
            }
        }
        if out.len() == start {
            // A word of vowels only (Ия, Ю): keep its first letter rather than nothing.
            out.extend(word.chars().take(1));
        }
    }
    out
}

fn flush_word(word: &str, cyrillic: bool, scratch: &mut Vec<u8>, out: &mut Vec<u8>) {
    let had_words = !out.is_empty();
    if had_words {
        out.push(b' ');
    }
    let start = out.len();
    let letters = word.chars().filter(|&c| is_letter_or_digit(c));
    if cyrillic {
        cyrillic_symbols(letters, out);
    } else {
        scratch.clear();
        let central = latin_scratch(letters, scratch);
        latin_symbols(scratch, central, out);
    }
    tidy(out, start);
    if out.len() == start && had_words {
        out.pop();
    }
}

/// `char::is_alphanumeric`, without its Unicode tables for ASCII and basic Cyrillic.
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0400}'..='\u{045F}' | 'ґ' | 'Ґ')
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

/// Lowercase without the general Unicode tables for the letters names are made of.
fn lower(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        'Ґ' => 'ґ',
        'a'..='z' | 'а'..='џ' | 'ґ' | '0'..='9' => c,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// A word with Cyrillic letters: Latin look-alikes inside it (a frequent corruption of typed
/// or OCR'd text: "Кoваленко" with a Latin o) are read as the Cyrillic letters they imitate.
fn cyrillic_symbols(word: impl Iterator<Item = char>, sym: &mut Vec<u8>) {
    for c in word {
        let l = lower(homoglyph(c).unwrap_or(c));
        if let Some(s) = cyrillic_symbol(l) {
            sym.extend_from_slice(s.as_bytes());
        } else if l.is_ascii_alphanumeric() {
            sym.push(l as u8);
        }
    }
}

fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'a' | 'A' => 'а',
        'e' | 'E' => 'е',
        'o' | 'O' => 'о',
        'p' | 'P' => 'р',
        'c' | 'C' => 'с',
        'x' | 'X' => 'х',
        'y' => 'у',
        'i' | 'I' => 'і',
        'k' | 'K' => 'к',
        'M' => 'м',
        'T' => 'т',
        'B' => 'в',
        'H' => 'н',
        'ë' => 'ё',
        'ï' => 'ї',
        _ => return None,
    })
}

/// Cyrillic letter (lowercase) → key symbols. The Ukrainian and Russian letters that stand
/// for the same name in the two languages share a symbol (и ы і ї й; е є э; г ґ х).
fn cyrillic_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' | 'ў' => "v",
        'г' | 'ґ' | 'х' => "h",
        'д' => "d",
        'е' | 'э' => "e",
        'є' => "ie",
        'ж' => "j",
        'з' => "z",
        'и' | 'і' | 'ї' | 'й' | 'ы' | 'ј' => "i",
        'к' => "k",
        'л' | 'љ' => "l",
        'м' => "m",
        'н' | 'њ' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'ц' => "ts",
        'ч' | 'ћ' => "c",
        'ш' => "x",
        'щ' => "xc",
        'ь' | 'ъ' => "",
        'ю' => "iu",
        'я' => "ia",
        'ё' => "io",
        'џ' | 'ђ' => "dj",
        _ => return None,
    })
}

/// Lowercases a Latin word into ASCII, spelling out the letters with diacritics so that the
/// digraph rules see them (ż → zh, č → cz, š → sz). Returns whether the word looks Central
/// European (Polish, Czech, German, Lithuanian), where `ch` is х, not ч.
fn latin_scratch(word: impl Iterator<Item = char>, scratch: &mut Vec<u8>) -> bool {
    let mut central = false;
    for c in word {
        let l = lower(c);
        if l.is_ascii_alphanumeric() {
            scratch.push(l as u8);
            continue;
        }
        let (spelled, is_central) = match l {
            'ą' => ("a", true),
            'ę' => ("e", true),
            'ł' => ("l", true),
            'ń' | 'ň' => ("n", true),
            'ó' => ("o", true),
            'ś' => ("s", true),
            'ź' => ("z", true),
            'ż' | 'ž' => ("zh", true),
            'ć' => ("ts", true),
            'č' => ("cz", true),
            'š' => ("sz", true),
            'ř' => ("r", true),
            'ě' => ("e", true),
            'ů' => ("u", true),
            'ä' | 'ö' | 'ü' | 'ß' | 'ė' | 'ų' | 'ū' | 'į' => {
                (latin_base(l).unwrap_or(""), true)
            }
            'ş' | 'ș' => ("sz", false),
            'ţ' | 'ț' => ("ts", false),
            'ç' => ("s", false),
            'ğ' => ("h", false),
            _ => (latin_base(l).unwrap_or(""), false),
        };
        central |= is_central;
        scratch.extend_from_slice(spelled.as_bytes());
    }
    central
}

/// Latin digraphs and letters → key symbols, longest spelling first.
fn latin_symbols(w: &[u8], central: bool, sym: &mut Vec<u8>) {
    let has = |pat: &[u8]| w.windows(pat.len()).any(|x| x == pat);
    // Polish (w, sz, cz, rz), German (w, sch, -yj), Czech and scholarly (-ij, -yj) spellings
    // write х as ch; French (tch, ou) writes ш as ch; English and the national systems ч.
    let central = central
        || w.contains(&b'w')
        || has(b"sz")
        || has(b"cz")
        || w.windows(3).any(|x| x[..2] == *b"rz" && x[2] != b'h')
        || has(b"sch")
        || w.ends_with(b"yj")
        || w.ends_with(b"ij");
    // tch in the national system is тч (Pyrotchyne): French only with a second sign, a final
    // ou (Choïgou) — ou alone is also the national system's оу (Zlatoustove).
    let french = !central && (has(b"tch") || w.ends_with(b"ou"));
    let mut i = 0;
    while i < w.len() {
        let rest = &w[i..];
        let starts = |p: &[u8]| rest.starts_with(p);
        let (emit, len): (&[u8], usize) = if starts(b"schtsch") {
            (b"xc", 7) // German щ: Schtschors
        } else if starts(b"chtch") {
            (b"xc", 5) // French щ: Chtchors
        } else if starts(b"shch") || starts(b"szcz") {
            (b"xc", 4) // national systems, BGN, ICAO; Polish
        } else if starts(b"tsch") {
            (b"c", 4) // German ч: Schewtschenko
        } else if starts(b"sch") {
            (b"x", 3) // German ш
        } else if starts(b"tch") {
            (b"c", 3) // French ч: Chevtchenko
        } else if starts(b"zgh") {
            (b"zh", 3) // Ukrainian national зг: Zghorany is з+г, not ж
        } else {
            let next = rest.get(1).copied();
            match (rest[0], next) {
                (b'z', Some(b'h')) => (b"j", 2),
                (b'k', Some(b'h')) => (b"h", 2),
                (b's', Some(b'h' | b'z')) => (b"x", 2),
                (b'c', Some(b'z')) => (b"c", 2),
                (b'c', Some(b'h')) => (ch_symbol(central, french), 2),
                (b'p', Some(b'h')) => (b"f", 2),
                (b't', Some(b'z')) => (b"ts", 2),
                (b'c', Some(b'k')) => (b"k", 2),
                (b'o', Some(b'u')) if french => (b"u", 2), // French ou: Choïgou
                // Polish ie after a consonant is a soft e: Wiszniewski = Вишневський.
                (b'i', Some(b'e')) if central && i > 0 && !is_latin_vowel(w[i - 1]) => (b"", 1),
                // German z is ц before k: Chmelnyzkyj = Хмельницький.
                (b'z', Some(b'k')) if central => (b"ts", 1),
                // j after a consonant and not before a vowel is a soft sign: Irpinj, Lwiwj.
                (b'j', n)
                    if i > 0 && !is_latin_vowel(w[i - 1]) && !n.is_some_and(is_latin_vowel) =>
                {
                    (b"", 1)
                }
                (b'c', Some(b'a' | b'o' | b'u' | b'l' | b'r' | b't')) => (b"k", 1),
                (b'c', _) => (b"ts", 1), // ц in Polish, Czech, Lithuanian; c before e/i
                (b'g', _) => (b"h", 1),
                (b'j' | b'y', _) => (b"i", 1),
                (b'w', _) => (b"v", 1),
                // Word-initial x is GOST's х (Xarkov), except in Xenia-like ks before e, i.
                (b'x', n) if i == 0 && !matches!(n, Some(b'e' | b'i' | b'y')) => (b"h", 1),
                (b'x', _) => (b"ks", 1),
                (b'q', _) => (b"k", 1),
                _ => (&rest[..1], 1),
            }
        };
        sym.extend_from_slice(emit);
        i += len;
    }
}

/// `ch` alone: х in Central European spellings, ш in French ones, otherwise ч as in English
/// and the national systems, even before a consonant (Chmil, Chkalove are Чміль, Чкалове).
fn ch_symbol(central: bool, french: bool) -> &'static [u8] {
    if central {
        b"h"
    } else if french {
        b"x"
    } else {
        b"c"
    }
}

/// The rules that apply to key symbols from either script, in order:
/// 1. a run of one letter counts once (Ганна/Hanna, Zaporizhzhia/Zaporizhia, -ii/-yi/-iy);
/// 2. the glide before e at a word start or after a vowel goes (Є/Е, Ye/E: Yevhen = Evgeni),
///    keeping it after consonants, where it is a vowel (Kiev, Andrienko);
/// 3. т before ч goes (тч sounds, and the national system's tch reads, as ч);
/// 4. rule 1 again for the runs rules 2 and 3 made.
fn tidy(sym: &mut Vec<u8>, start: usize) {
    dedup_letters(sym, start);
    let mut w = start;
    for r in start..sym.len() {
        let c = sym[r];
        let next = sym.get(r + 1).copied();
        let glide = c == b'i' && next == Some(b'e') && (w == start || is_vowel(sym[w - 1]));
        // тч is said, and in French written (tch), as ч: Митченки = Mytchenky = Mitchenki.
        let t_before_ch = c == b't' && next == Some(b'c');
        if !glide && !t_before_ch {
            sym[w] = c;
            w += 1;
        }
    }
    sym.truncate(w);
    dedup_letters(sym, start);
}

fn dedup_letters(sym: &mut Vec<u8>, start: usize) {
    let mut w = start;
    for r in start..sym.len() {
        let c = sym[r];
        if w > start && sym[w - 1] == c && c.is_ascii_alphabetic() {
            continue;
        }
        sym[w] = c;
        w += 1;
    }
    sym.truncate(w);
}

fn is_latin_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

#[cfg(test)]
mod tests;
