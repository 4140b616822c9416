//! Reading the order of a name written as one text.

use super::NameKey;
use crate::text::given::given_readings_by_key;
use crate::text::key::latin_key;

/// One word of the name (a hyphenated double name is one word of several parts).
#[derive(Debug)]
struct Word {
    parts: Vec<String>,
    all_caps: bool,
    cyrillic: bool,
}

impl Word {
    fn last(&self) -> &str {
        self.parts.last().map(String::as_str).unwrap_or("")
    }

    /// 2 for a full given name the table knows, 1.5 for a diminutive, 0 otherwise.
    fn given_score(&self) -> f64 {
        self.parts
            .iter()
            .map(|p| {
                let r = given_readings_by_key(p);
                if r.iter().any(|r| !r.diminutive) {
                    2.0
                } else if r.is_empty() {
                    0.0
                } else {
                    1.5
                }
            })
            .fold(0.0, f64::max)
    }

    fn family_score(&self, caps_means_family: bool) -> f64 {
        let suffix = if has_surname_ending(self.last()) {
            1.5
        } else {
            0.0
        };
        let caps = if caps_means_family && self.all_caps {
            3.0
        } else {
            0.0
        };
        suffix + caps
    }
}

/// Patronymic endings, as keys: Ukrainian -ович/-евич/-йович, -івна/-ївна; Russian
/// -ович/-евич, -овна/-евна, -ична/-инична (Ильинична); their romanisations.
fn is_patronymic(key: &str) -> bool {
    key.len() >= 6
        && ["ovic", "evic", "ivna", "ovna", "evna", "icna"]
            .iter()
            .any(|s| key.ends_with(s))
}

/// Frequent Ukrainian and Russian surname endings, as keys: -енко, -чук/-ук/-юк, -ський/-ский
/// (-ski), -цький (-tski), -ов/-ев/-ова/-ева, -ин/-іна, -ів, -як, -ець, -ишин.
fn has_surname_ending(key: &str) -> bool {
    key.len() >= 4
        && [
            "enko", "uk", "ski", "ska", "ov", "ev", "ova", "eva", "in", "ina", "iv", "iak", "ets",
            "ko", "ic",
        ]
        .iter()
        .any(|s| key.ends_with(s))
}

pub(super) fn parse(full: &str) -> NameKey {
    // Dots end initials (О.П.) and abbreviations alike; a word of one letter is an initial.
    let (initials, words): (Vec<Word>, Vec<Word>) = full
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '.')
        .filter_map(word)
        .partition(|w| w.parts.len() == 1 && w.parts[0].len() == 1);
    let mut key = parse_words(&words);
    // Initials stand for the given name, then the patronymic (Коваленко О. П., O. Kovalenko).
    let mut initials = initials.into_iter().map(|w| w.parts.concat());
    if key.given.is_empty() {
        if let Some(g) = initials.next() {
            key.set_given(vec![g]);
        }
    }
    if key.patronymic.is_none() {
        key.patronymic = initials.next();
    }
    key
}

fn parse_words(words: &[Word]) -> NameKey {
    let mut key = NameKey::default();
    if words.is_empty() {
        return key;
    }
    let n = words.len();
    let caps_means_family = words.iter().any(|w| !w.all_caps);
    let mut given_idx: Vec<usize> = Vec::new();
    let patronymic_idx = patronymic_position(words);
    if let Some(p) = patronymic_idx {
        given_idx.push(p - 1);
    } else if n == 1 {
        let w = &words[0];
        if w.given_score() > w.family_score(caps_means_family) {
            given_idx.push(0);
        }
    } else {
        let known: Vec<usize> = (0..n).filter(|&i| words[i].given_score() > 0.0).collect();
        if n == 2 || known.is_empty() {
            // Given first (Olena Kovalenko) or last (Коваленко Олена)?
            let (first, last) = (&words[0], &words[n - 1]);
            let given_first = first.given_score() + last.family_score(caps_means_family);
            let given_last = last.given_score() + first.family_score(caps_means_family);
            let read_given_first = if given_first == given_last {
                !first.cyrillic
            } else {
                given_first > given_last
            };
            given_idx.push(if read_given_first { 0 } else { n - 1 });
        } else {
            // Several words, some of them known given names (Maria Anna Kowalska): those
            // are the given names unless they carry the surname signs more strongly.
            given_idx.extend(
                known.into_iter().filter(|&i| {
                    words[i].given_score() >= words[i].family_score(caps_means_family)
                }),
            );
            if given_idx.len() == n {
                given_idx.pop();
            }
        }
    }
    let mut given_written = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if Some(i) == patronymic_idx {
            key.patronymic = Some(w.parts.concat());
        } else if given_idx.contains(&i) {
            given_written.extend(w.parts.iter().cloned());
        } else {
            key.family.extend(w.parts.iter().cloned());
        }
    }
    key.set_given(given_written);
    key
}

/// Where the patronymic is: a word with a patronymic ending that follows another word
/// (the given name). With two words it must follow a name the table knows, since -ович is
/// also a surname ending (Петрович, Мацкевич).
fn patronymic_position(words: &[Word]) -> Option<usize> {
    let n = words.len();
    let candidates =
        (1..n).filter(|&i| words[i].parts.len() == 1 && is_patronymic(words[i].last()));
    let mut fallback = None;
    for p in candidates {
        if words[p - 1].given_score() > 0.0 {
            return Some(p);
        }
        if n >= 3 {
            fallback = Some(p);
        }
    }
    fallback
}

fn word(raw: &str) -> Option<Word> {
    let parts: Vec<String> = raw
        .split(['-', '‐', '‑', '–'])
        .map(latin_key)
        .filter(|k| !k.is_empty())
        // A part whose key has spaces (Irpin'-style punctuation) stays one part.
        .map(|k| k.replace(' ', ""))
        .collect();
    if parts.is_empty() {
        return None;
    }
    let letters = || raw.chars().filter(|c| c.is_alphabetic());
    let all_caps = letters().count() > 1 && letters().all(char::is_uppercase);
    let cyrillic = letters().any(|c| matches!(c, '\u{0400}'..='\u{052F}'));
    Some(Word {
        parts,
        all_caps,
        cyrillic,
    })
}
