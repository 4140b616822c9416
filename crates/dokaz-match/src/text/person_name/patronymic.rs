//! Patronymics read back to the father's given name, so that the Ukrainian Петрівна and the
//! Russian Петровна, or Сергійович and Сергеевич, are recognised as one father's name.

use dokaz_model::Sex;

use crate::text::given::{given_readings_by_key, GivenReading};

/// Patronymic endings as keys, longest first: -ович/-евич/-йович, -івна/-ївна, -овна/-евна,
/// -ична/-инична (Ильинична, Никитична), -ич (Никитич, Ильич).
const ENDINGS: &[&str] = &["ovic", "evic", "ivna", "ovna", "evna", "icna", "ic"];

/// What a stem lacks to be the father's name, as keys: Петр-о (Petro), Сергі-й (the й
/// already in the stem), Сергe-й (Ru -ей), Микит-а, Микола-(й) (the й dropped).
const COMPLETIONS: &[&str] = &["", "o", "i", "ei", "a"];

/// The canonical id of the father's (male) given name in a patronymic key (`petrivna` and
/// `petrovna` → `petro`), when the table knows the name.
pub fn patronymic_father(key: &str) -> Option<&'static str> {
    let stem = ENDINGS.iter().find_map(|e| key.strip_suffix(e))?;
    if stem.len() < 2 {
        return None;
    }
    let full = |readings: &'static [GivenReading]| {
        readings
            .iter()
            .find(|r| !r.diminutive && r.sex == Sex::Male)
            .map(|r| r.id)
    };
    let mut candidate = String::with_capacity(stem.len() + 2);
    for completion in COMPLETIONS {
        candidate.clear();
        candidate.push_str(stem);
        candidate.push_str(completion);
        if let Some(id) = full(given_readings_by_key(&candidate)) {
            return Some(id);
        }
    }
    // Миколайович: the stem keeps the й the name (Микола) lacks.
    stem.strip_suffix('i')
        .and_then(|s| full(given_readings_by_key(s)))
}

#[cfg(test)]
mod tests {
    use super::patronymic_father;
    use crate::text::latin_key;

    fn father(p: &str) -> Option<&'static str> {
        patronymic_father(&latin_key(p))
    }

    #[test]
    fn ukrainian_and_russian_patronymics_meet() {
        let cases = [
            ("Петрівна", "petro"),
            ("Петровна", "petro"),
            ("Petrivna", "petro"),
            ("Сергійович", "serhii"),
            ("Сергеевич", "serhii"),
            ("Serhiiovych", "serhii"),
            ("Sergeyevich", "serhii"),
            ("Олексійович", "oleksii"),
            ("Алексеевич", "oleksii"),
            ("Миколайович", "mykola"),
            ("Николаевич", "mykola"),
            ("Михайлович", "mykhailo"),
            ("Олександрівна", "oleksandr"),
            ("Александровна", "oleksandr"),
            ("Григорович", "hryhorii"),
            ("Григорьевич", "hryhorii"),
            ("Дмитрович", "dmytro"),
            ("Дмитриевич", "dmytro"),
            ("Іванович", "ivan"),
            ("Никитична", "mykyta"),
            ("Юріївна", "yurii"),
            ("Юрьевна", "yurii"),
        ];
        for (p, id) in cases {
            assert_eq!(father(p), Some(id), "{p}");
        }
    }

    #[test]
    fn unknown_stems_and_non_patronymics() {
        assert_eq!(father("Коваленко"), None);
        assert_eq!(father("Зорянович"), None);
        assert_eq!(father(""), None);
    }
}
