//! Russian romanisations found in records: GOST 7.79-2000 system B (bibliographic, Russian
//! official documents), BGN/PCGN 1947 (maps, English-language reporting), and ICAO Doc 9303
//! (machine-readable passports issued by Russia since 2013).

use super::{in_upper_run, push_cased, word_initial};

/// A Russian romanisation system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuSystem {
    /// GOST 7.79-2000, system B (ASCII only): й j, х x, ц cz/c, щ shh, ы y', э e', ъ ``, ь `.
    Gost779B,
    /// BGN/PCGN 1947: е and ё are ye and yë at the start of a word and after a vowel, й, ъ or
    /// ь; й y, х kh, ц ts, щ shch, ы y, ъ ", ь '.
    BgnPcgn,
    /// ICAO Doc 9303 (7th edition), Russian passports since 2013: ё e, й i, х kh, ц ts,
    /// щ shch, ъ ie, ь dropped, ю iu, я ia.
    Icao9303,
}

/// Romanises Russian text in `system`, keeping case. Characters that are not Russian letters
/// pass through unchanged.
pub fn romanize_ru(s: &str, system: RuSystem) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let latin = match system {
            RuSystem::Gost779B => gost(lower, chars.get(i + 1).copied()),
            RuSystem::BgnPcgn => bgn(lower, &chars, i),
            RuSystem::Icao9303 => icao(lower),
        };
        match latin {
            Some(l) => push_cased(&mut out, l, c.is_uppercase(), in_upper_run(&chars, i)),
            None => out.push(c),
        }
    }
    out
}

/// The letters every system writes alike.
fn common(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
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
        'ч' => "ch",
        'ш' => "sh",
        _ => return None,
    })
}

fn gost(c: char, next: Option<char>) -> Option<&'static str> {
    Some(match c {
        'е' => "e",
        'ё' => "yo",
        'й' => "j",
        'х' => "x",
        // ц is c before the front vowels and й (written i, e, y, j), cz elsewhere.
        'ц' if next.is_some_and(|n| {
            matches!(
                n.to_lowercase().next(),
                Some('и' | 'е' | 'ы' | 'й' | 'ё' | 'ю' | 'я')
            )
        }) =>
        {
            "c"
        }
        'ц' => "cz",
        'щ' => "shh",
        'ъ' => "``",
        'ы' => "y'",
        'ь' => "`",
        'э' => "e'",
        'ю' => "yu",
        'я' => "ya",
        _ => return common(c),
    })
}

fn bgn(c: char, chars: &[char], i: usize) -> Option<&'static str> {
    // ye / yë where the vowel is iotated: word start, after a vowel, й, ъ or ь.
    let iotated = word_initial(chars, i)
        || chars[i - 1]
            .to_lowercase()
            .next()
            .is_some_and(|p| "аеёиоуыэюяйъь".contains(p));
    Some(match c {
        'е' if iotated => "ye",
        'е' => "e",
        'ё' if iotated => "yë",
        'ё' => "ë",
        'й' => "y",
        'х' => "kh",
        'ц' => "ts",
        'щ' => "shch",
        'ъ' => "\"",
        'ы' => "y",
        'ь' => "'",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return common(c),
    })
}

fn icao(c: char) -> Option<&'static str> {
    Some(match c {
        'е' | 'ё' | 'э' => "e",
        'й' => "i",
        'х' => "kh",
        'ц' => "ts",
        'щ' => "shch",
        'ъ' => "ie",
        'ы' => "y",
        'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        _ => return common(c),
    })
}

#[cfg(test)]
mod tests {
    use super::{romanize_ru, RuSystem::*};

    #[test]
    fn icao_passport_spellings() {
        let pairs = [
            ("Елена", "Elena"),
            ("Юрий", "Iurii"),
            ("Зеленский", "Zelenskii"),
            ("Щербаков", "Shcherbakov"),
            ("Царев", "Tsarev"),
            ("Быков", "Bykov"),
            ("Подъячев", "Podieiachev"),
            ("Объедков", "Obieedkov"),
            ("Наталья", "Natalia"),
            ("Алёна", "Alena"),
            ("Андрей Сергеевич", "Andrei Sergeevich"),
            ("Харьков", "Kharkov"),
            ("ЮЛИЯ", "IULIIA"),
            ("Эдуард", "Eduard"),
        ];
        for (ru, en) in pairs {
            assert_eq!(romanize_ru(ru, Icao9303), en, "{ru}");
        }
    }

    #[test]
    fn bgn_pcgn_spellings() {
        let pairs = [
            ("Зеленский", "Zelenskiy"),
            ("Юрий", "Yuriy"),
            ("Елена", "Yelena"),
            ("Евгений", "Yevgeniy"),
            ("Андреевич", "Andreyevich"),
            ("Сергеев", "Sergeyev"),
            ("Хрущёв", "Khrushchëv"),
            ("Ёлкин", "Yëlkin"),
            ("Подъезд", "Pod\"yezd"),
            ("Ильич", "Il'ich"),
            ("Харьков", "Khar'kov"),
            ("Щёлково", "Shchëlkovo"),
            ("Быстрый", "Bystryy"),
        ];
        for (ru, en) in pairs {
            assert_eq!(romanize_ru(ru, BgnPcgn), en, "{ru}");
        }
    }

    #[test]
    fn gost_7_79_b_spellings() {
        let pairs = [
            ("Зеленский", "Zelenskij"),
            ("Юрий", "Yurij"),
            ("Щербаков", "Shherbakov"),
            ("Цирк", "Cirk"),
            ("Цапля", "Czaplya"),
            ("Хабаровск", "Xabarovsk"),
            ("Быков", "By'kov"),
            ("Эхо", "E'xo"),
            ("Подъезд", "Pod``ezd"),
            ("Харьков", "Xar`kov"),
            ("Ёж", "Yozh"),
        ];
        for (ru, en) in pairs {
            assert_eq!(romanize_ru(ru, Gost779B), en, "{ru}");
        }
    }
}
