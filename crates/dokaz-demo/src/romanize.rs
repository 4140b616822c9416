//! Romanisations the demo needs to write the same name the way different agencies do. This is
//! a small stand-in: the matching crate (`dokaz-match`) will own the real transliteration and
//! normalisation, and this module should then be replaced by it.

/// The spelling systems agencies use for Cyrillic names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum System {
    /// Ukrainian national romanisation (Cabinet of Ministers resolution No. 55, 2010), used in
    /// Ukrainian passports since 2010: Коваленко Олена → Kovalenko Olena.
    UkNational,
    /// The Polish-style spelling common in Polish and Lithuanian records: Kowalenko, Szewczenko.
    Polish,
    /// ICAO Doc 9303 as used in Russian passports since 2013, for names in Russian form:
    /// Елена Коваленко → Elena Kovalenko.
    RuPassport,
}

/// Romanises `text` word by word; characters that are not Cyrillic pass through unchanged.
pub(crate) fn romanize(text: &str, system: System) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        // An apostrophe inside a word (Мар’яна) does not start a new word.
        let word_start =
            i == 0 || !chars[i - 1].is_alphabetic() && !matches!(chars[i - 1], '\'' | '’' | 'ʼ');
        let prev = if i > 0 {
            chars[i - 1].to_lowercase().next()
        } else {
            None
        };
        let latin = match system {
            System::UkNational => uk_national(lower, word_start, prev),
            System::Polish => polish(lower),
            System::RuPassport => ru_passport(lower),
        };
        match latin {
            Some(l) if c.is_uppercase() => {
                let mut it = l.chars();
                if let Some(first) = it.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(it.as_str());
                }
            }
            Some(l) => out.push_str(l),
            None => out.push(c),
        }
    }
    out
}

fn uk_national(c: char, word_start: bool, prev: Option<char>) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        // "зг" is written "zgh" so that it is not read as "zh".
        'г' if prev == Some('з') => "gh",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'є' if word_start => "ye",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' => "y",
        'і' => "i",
        'ї' if word_start => "yi",
        'ї' => "i",
        'й' if word_start => "y",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ь' | '’' | '\'' | 'ʼ' => "",
        'ю' if word_start => "yu",
        'ю' => "iu",
        'я' if word_start => "ya",
        'я' => "ia",
        // Russian letters sometimes met in Ukrainian records.
        'ё' => "yo",
        'ы' => "y",
        'э' => "e",
        'ъ' => "",
        _ => return None,
    })
}

fn polish(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "w",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'є' => "je",
        'ж' => "ż",
        'з' => "z",
        'и' | 'ы' => "y",
        'і' => "i",
        'ї' => "ji",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "ch",
        'ц' => "c",
        'ч' => "cz",
        'ш' => "sz",
        'щ' => "szcz",
        'ь' | 'ъ' | '’' | '\'' | 'ʼ' => "",
        'ю' => "ju",
        'я' => "ja",
        'ё' => "jo",
        _ => return None,
    })
}

fn ru_passport(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "ie",
        'ы' => "y",
        'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        // Ukrainian letters in a Russian-form record, spelt the way Russian clerks hear them.
        'і' => "i",
        'ї' => "i",
        'є' => "e",
        'ґ' => "g",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_system_of_2010() {
        let r = |s| romanize(s, System::UkNational);
        assert_eq!(r("Коваленко Олена Петрівна"), "Kovalenko Olena Petrivna");
        assert_eq!(r("Євген Юрійович"), "Yevhen Yuriiovych");
        assert_eq!(r("Згурівка"), "Zghurivka");
        assert_eq!(r("Їжакевич"), "Yizhakevych");
        assert_eq!(r("Щербухи"), "Shcherbukhy");
        assert_eq!(r("Марʼяна"), "Mariana");
        assert_eq!(r("Мар’яна"), "Mariana");
    }

    #[test]
    fn polish_and_russian_passport_spellings() {
        assert_eq!(romanize("Коваленко", System::Polish), "Kowalenko");
        assert_eq!(romanize("Шевченко", System::Polish), "Szewczenko");
        assert_eq!(
            romanize("Елена Коваленко", System::RuPassport),
            "Elena Kovalenko"
        );
        assert_eq!(romanize("Юрьевич", System::RuPassport), "Iurevich");
    }
}
