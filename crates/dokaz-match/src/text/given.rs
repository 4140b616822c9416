//! Given names and their equivalents: the Ukrainian and Russian forms of one name, its usual
//! Western spellings and its diminutives, so that Олександр, Александр, Alexander and Саша
//! are recognised as one name.

use std::collections::HashMap;
use std::sync::OnceLock;

use dokaz_model::Sex;

use super::key::latin_key;

mod table;

/// One reading of a written given name: the name it stands for and whether it is a
/// diminutive (Саша) rather than a full form (Олександр, Александр, Alexander).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GivenReading {
    /// The canonical id: the Ukrainian form in the national romanisation, lowercase
    /// (`oleksandr`, `olena`).
    pub id: &'static str,
    pub diminutive: bool,
    /// The sex the full name is given to (a diminutive may have readings of both).
    pub sex: Sex,
}

/// How two given names relate, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GivenRelation {
    /// The same key: one spelling or a transliteration of it (Олена = Olena).
    Same,
    /// Two full forms of one name (Олена = Елена = Helena; Олександр = Alexander).
    Variant,
    /// One is a diminutive of the other, or both are diminutives of one name (Саша = Олександр).
    Diminutive,
    /// One is an initial, and the other name starts with it (О. = Олена).
    Initial,
    /// Not known to be related (they may still be close in spelling: a typo).
    Unrelated,
}

/// Every reading of a given name in any script, looked up by its matching key; empty when the
/// table does not know it. A diminutive may read as names of both sexes (Саша is Олександр
/// or Олександра, Женя Євген or Євгенія, Валя Валентин or Валентина): the caller decides with
/// the sex, when it is known.
pub fn given_readings(name: &str) -> &'static [GivenReading] {
    given_readings_by_key(&latin_key(name))
}

/// [`given_readings`] for a text that already is a matching key.
pub fn given_readings_by_key(key: &str) -> &'static [GivenReading] {
    index().get(key).map(Vec::as_slice).unwrap_or(&[])
}

/// The canonical id of a given name: its full-form reading if it has one, else the first
/// reading of a diminutive (male before female: Саша → `oleksandr`). `None` for names the
/// table does not know. Use [`compare_given_keys`] to compare, which sees every reading.
pub fn canonical_given(name: &str) -> Option<&'static str> {
    canonical_given_by_key(&latin_key(name))
}

/// [`canonical_given`] for a matching key.
pub fn canonical_given_by_key(key: &str) -> Option<&'static str> {
    let readings = given_readings_by_key(key);
    readings
        .iter()
        .find(|r| !r.diminutive)
        .or(readings.first())
        .map(|r| r.id)
}

/// The sex a given name (as a key or id) is given to, when all its readings agree
/// (Олена → female; Саша → unknown).
pub fn given_sex_by_key(key: &str) -> Sex {
    let readings = given_readings_by_key(key);
    match readings.first() {
        Some(first) if readings.iter().all(|r| r.sex == first.sex) => first.sex,
        _ => Sex::Unknown,
    }
}

/// How two given names, as matching keys or canonical ids, relate.
pub fn compare_given_keys(a: &str, b: &str) -> GivenRelation {
    if a == b {
        return GivenRelation::Same;
    }
    relate_readings(given_readings_by_key(a), given_readings_by_key(b))
}

/// How two given names relate by their readings (looked up once per record by a caller that
/// compares it with many: [`compare_given_keys`] less its test for one key).
pub fn relate_readings(ra: &[GivenReading], rb: &[GivenReading]) -> GivenRelation {
    let mut relation = GivenRelation::Unrelated;
    for x in ra {
        for y in rb.iter().filter(|y| y.id == x.id) {
            if !x.diminutive && !y.diminutive {
                return GivenRelation::Variant;
            }
            relation = GivenRelation::Diminutive;
        }
    }
    relation
}

fn index() -> &'static HashMap<String, Vec<GivenReading>> {
    static INDEX: OnceLock<HashMap<String, Vec<GivenReading>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: HashMap<String, Vec<GivenReading>> = HashMap::new();
        let mut add = |form: &str, reading: GivenReading| {
            let key = latin_key(form);
            if key.is_empty() {
                return;
            }
            let readings = map.entry(key).or_default();
            // A form listed both as full and as diminutive of one name counts as full.
            if let Some(r) = readings.iter_mut().find(|r| r.id == reading.id) {
                r.diminutive &= reading.diminutive;
            } else {
                readings.push(reading);
            }
        };
        let sexed = |names: &'static [(&'static str, &'static str, &'static str)], sex| {
            names
                .iter()
                .map(move |&(id, full, dims)| (id, full, dims, sex))
        };
        for (id, full, diminutives, sex) in
            sexed(table::MALE, Sex::Male).chain(sexed(table::FEMALE, Sex::Female))
        {
            let full_form = GivenReading {
                id,
                diminutive: false,
                sex,
            };
            add(id, full_form);
            for form in full.split(',') {
                add(form, full_form);
            }
            for form in diminutives.split(',') {
                add(
                    form,
                    GivenReading {
                        diminutive: true,
                        ..full_form
                    },
                );
            }
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_russian_and_western_forms_are_one_name() {
        for n in [
            "Олександр",
            "Александр",
            "Oleksandr",
            "Aleksandr",
            "Alexander",
            "Alexandr",
        ] {
            assert_eq!(canonical_given(n), Some("oleksandr"), "{n}");
        }
        for n in ["Олена", "Елена", "Olena", "Elena", "Yelena", "Helena"] {
            assert_eq!(canonical_given(n), Some("olena"), "{n}");
        }
        for n in [
            "Олексій",
            "Алексей",
            "Oleksii",
            "Aleksei",
            "Alexey",
            "Oleksiy",
        ] {
            assert_eq!(canonical_given(n), Some("oleksii"), "{n}");
        }
        for n in [
            "Микола",
            "Николай",
            "Mykola",
            "Nikolai",
            "Nikolay",
            "Mikołaj",
        ] {
            assert_eq!(canonical_given(n), Some("mykola"), "{n}");
        }
        for n in ["Тетяна", "Татьяна", "Tetiana", "Tatiana", "Tatyana"] {
            assert_eq!(canonical_given(n), Some("tetiana"), "{n}");
        }
        for n in ["Ганна", "Анна", "Hanna", "Anna"] {
            assert_eq!(canonical_given(n), Some("hanna"), "{n}");
        }
    }

    #[test]
    fn diminutives() {
        let cases = [
            ("Коля", "mykola"),
            ("Льоша", "oleksii"),
            ("Лёша", "oleksii"),
            ("Таня", "tetiana"),
            ("Сашко", "oleksandr"),
            ("Вова", "volodymyr"),
            ("Дима", "dmytro"),
            ("Наташа", "nataliia"),
            ("Маша", "mariia"),
            ("Катя", "kateryna"),
            ("Юра", "yurii"),
            ("Настя", "anastasiia"),
        ];
        for (dim, id) in cases {
            assert_eq!(canonical_given(dim), Some(id), "{dim}");
            assert!(given_readings(dim).iter().all(|r| r.diminutive), "{dim}");
        }
    }

    #[test]
    fn a_diminutive_may_be_of_both_sexes() {
        let ids: Vec<&str> = given_readings("Саша").iter().map(|r| r.id).collect();
        assert!(
            ids.contains(&"oleksandr") && ids.contains(&"oleksandra"),
            "{ids:?}"
        );
        let ids: Vec<&str> = given_readings("Женя").iter().map(|r| r.id).collect();
        assert!(
            ids.contains(&"yevhen") && ids.contains(&"yevheniia"),
            "{ids:?}"
        );
        let ids: Vec<&str> = given_readings("Шура").iter().map(|r| r.id).collect();
        assert!(
            ids.contains(&"oleksandr") && ids.contains(&"oleksandra"),
            "{ids:?}"
        );
    }

    #[test]
    fn relations() {
        let k = latin_key;
        assert_eq!(
            compare_given_keys(&k("Олена"), &k("Olena")),
            GivenRelation::Same
        );
        assert_eq!(
            compare_given_keys(&k("Олена"), &k("Елена")),
            GivenRelation::Variant
        );
        assert_eq!(
            compare_given_keys(&k("Саша"), &k("Alexander")),
            GivenRelation::Diminutive
        );
        assert_eq!(
            compare_given_keys(&k("Саша"), &k("Шура")),
            GivenRelation::Diminutive
        );
        assert_eq!(
            compare_given_keys("oleksandr", &k("Сашко")),
            GivenRelation::Diminutive
        );
        assert_eq!(
            compare_given_keys(&k("Олена"), &k("Ольга")),
            GivenRelation::Unrelated
        );
        assert_eq!(
            compare_given_keys(&k("Іван"), &k("Іванна")),
            GivenRelation::Unrelated
        );
        assert_eq!(
            compare_given_keys(&k("Олександр"), &k("Олександра")),
            GivenRelation::Unrelated
        );
    }

    #[test]
    fn sex_of_names() {
        assert_eq!(given_sex_by_key(&latin_key("Олена")), Sex::Female);
        assert_eq!(given_sex_by_key(&latin_key("Mykola")), Sex::Male);
        assert_eq!(given_sex_by_key(&latin_key("Коля")), Sex::Male);
        assert_eq!(given_sex_by_key(&latin_key("Саша")), Sex::Unknown);
        assert_eq!(given_sex_by_key(&latin_key("Зорян")), Sex::Unknown);
    }

    #[test]
    fn unknown_names() {
        assert_eq!(canonical_given("Коваленко"), None);
        assert!(given_readings("").is_empty());
    }

    #[test]
    fn every_id_reads_as_itself() {
        for &(id, _, _) in table::MALE.iter().chain(table::FEMALE) {
            assert_eq!(canonical_given(id), Some(id), "{id}");
        }
    }
}
