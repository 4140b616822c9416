//! Name parsing and comparison with real name pairs.

use dokaz_model::PersonName;

use super::*;

fn parsed(full: &str) -> (Vec<String>, Vec<String>, Option<String>) {
    let k = NameKey::parse(full);
    (k.family, k.given, k.patronymic)
}

fn v(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

#[test]
fn official_order_with_patronymic() {
    assert_eq!(
        parsed("Коваленко Олена Петрівна"),
        (v(&["kovalenko"]), v(&["olena"]), Some("petrivna".into()))
    );
    assert_eq!(
        parsed("Іванов Іван Іванович"),
        (v(&["ivanov"]), v(&["ivan"]), Some("ivanovic".into()))
    );
    assert_eq!(
        parsed("Шевченко Тарас Григорович"),
        (v(&["xevcenko"]), v(&["taras"]), Some("hrihorovic".into()))
    );
}

#[test]
fn given_patronymic_surname_order() {
    assert_eq!(
        parsed("Олена Петрівна Коваленко"),
        (v(&["kovalenko"]), v(&["olena"]), Some("petrivna".into()))
    );
    assert_eq!(
        parsed("Yelena Petrovna Kovalenko"),
        (v(&["kovalenko"]), v(&["olena"]), Some("petrovna".into()))
    );
}

#[test]
fn two_words_either_order() {
    let want = (v(&["kovalenko"]), v(&["olena"]), None);
    assert_eq!(parsed("Olena Kovalenko"), want);
    assert_eq!(parsed("Kovalenko Olena"), want);
    assert_eq!(parsed("Коваленко Олена"), want);
    assert_eq!(parsed("KOVALENKO Olena"), want);
    assert_eq!(parsed("Olena KOVALENKO"), want);
    // Nothing known: Latin reads surname last, Cyrillic surname first.
    assert_eq!(parsed("Zorian Dzhus").0, v(&["djus"]));
    assert_eq!(parsed("Джус Зорян").0, v(&["djus"]));
}

#[test]
fn surname_endings_decide_when_the_given_name_is_unknown() {
    assert_eq!(parsed("Ярема Ткачук").0, v(&["tkacuk"]));
    assert_eq!(parsed("Zelenskyi Volodymyr").0, v(&["zelenski"]));
}

#[test]
fn given_name_and_patronymic_only() {
    assert_eq!(
        parsed("Олена Петрівна"),
        (v(&[]), v(&["olena"]), Some("petrivna".into()))
    );
    // Two words ending in -ович: the second is a surname unless the first is a given name.
    assert_eq!(parsed("Petrovych Mazepa").2, None);
}

#[test]
fn double_names_and_hyphens() {
    assert_eq!(
        parsed("Римський-Корсаков Микола Андрійович"),
        (
            v(&["rimski", "korsakov"]),
            v(&["mykola"]),
            Some("andriovic".into())
        )
    );
    let k = NameKey::parse("Maria Anna Kowalska");
    assert_eq!(k.family, v(&["kovalska"]));
    assert_eq!(k.given, v(&["mariia", "hanna"]));
}

#[test]
fn structured_parts_win_over_full() {
    let n = PersonName {
        full: "whatever".into(),
        given: "Саша".into(),
        family: "Коваленко".into(),
        patronymic: "".into(),
    };
    let k = NameKey::from_person_name(&n);
    assert_eq!(k.family, v(&["kovalenko"]));
    // Саша is Олександр or Олександра: kept as written.
    assert_eq!(k.given, v(&["saxa"]));
    assert_eq!(k.patronymic, None);
}

fn cmp(a: &str, b: &str) -> NameComparison {
    compare_name_keys(&NameKey::parse(a), &NameKey::parse(b))
}

#[test]
fn same_person_across_scripts_and_orders() {
    let c = cmp("Коваленко Олена Петрівна", "Olena Kovalenko");
    assert_eq!(c.family, Some(1.0));
    assert_eq!(c.given_relation, Some(GivenRelation::Same));
    assert_eq!(c.patronymic, None);
    assert!(c.score > 0.99, "{c:?}");

    let c = cmp("Коваленко Олена Петрівна", "Коваленко Елена Петровна");
    assert_eq!(c.given_relation, Some(GivenRelation::Variant), "{c:?}");
    assert!(c.patronymic.is_some_and(|p| p > 0.9), "{c:?}");
    assert!(c.score > 0.95, "{c:?}");
}

#[test]
fn diminutive_is_explained() {
    let c = cmp("Коваленко Олександр", "Sasha Kovalenko");
    assert_eq!(c.given_relation, Some(GivenRelation::Diminutive));
    assert!(c.score > 0.95, "{c:?}");
    let c = cmp("Шевчук Микола Іванович", "Коля Шевчук");
    assert_eq!(c.given_relation, Some(GivenRelation::Diminutive), "{c:?}");
}

#[test]
fn variant_is_explained() {
    let written = |given: &str| PersonName {
        full: String::new(),
        given: given.into(),
        family: "Kovalenko".into(),
        patronymic: String::new(),
    };
    let a = NameKey::from_person_name(&written("Oleksandr"));
    let b = NameKey::from_person_name(&written("Alexander"));
    let c = compare_name_keys(&a, &b);
    assert_eq!(c.given_relation, Some(GivenRelation::Variant), "{c:?}");
}

#[test]
fn swapped_parts_are_found() {
    let wrong = PersonName {
        full: String::new(),
        given: "Kovalenko".into(),
        family: "Olena".into(),
        patronymic: String::new(),
    };
    let c = compare_name_keys(
        &NameKey::from_person_name(&wrong),
        &NameKey::parse("Олена Коваленко"),
    );
    assert!(c.swapped);
    assert!(c.score > 0.99, "{c:?}");
}

#[test]
fn typo_tolerated_different_names_not() {
    let c = cmp("Kovalneko Olena", "Коваленко Олена");
    assert!(c.score > 0.9, "{c:?}");
    let c = cmp("Коваленко Олена", "Коваленко Ольга");
    assert_eq!(c.given_relation, Some(GivenRelation::Unrelated));
    assert!(c.given.is_some_and(|g| g < 0.8), "{c:?}");
    let c = cmp("Коваленко Олена", "Коваль Олена");
    assert!(c.family.is_some_and(|f| f < 0.8), "{c:?}");
    let c = cmp("Коваленко Олександр", "Коваленко Олександра");
    assert_eq!(c.given_relation, Some(GivenRelation::Unrelated), "{c:?}");
}

#[test]
fn sex_from_patronymic_or_given_name() {
    use dokaz_model::Sex;
    assert_eq!(
        NameKey::parse("Коваленко Саша Петрівна").sex_hint(),
        Sex::Female
    );
    assert_eq!(
        NameKey::parse("Коваленко Саша Петрович").sex_hint(),
        Sex::Male
    );
    assert_eq!(NameKey::parse("Olena Kovalenko").sex_hint(), Sex::Female);
    assert_eq!(NameKey::parse("Sasha Kovalenko").sex_hint(), Sex::Unknown);
}

#[test]
fn initials() {
    assert_eq!(
        parsed("Коваленко О. П."),
        (v(&["kovalenko"]), v(&["o"]), Some("p".into()))
    );
    assert_eq!(parsed("Коваленко О.П."), parsed("Коваленко О. П."));
    assert_eq!(parsed("O. Kovalenko"), (v(&["kovalenko"]), v(&["o"]), None));
    let c = cmp("Коваленко О. П.", "Коваленко Олена Петрівна");
    assert_eq!(c.given_relation, Some(GivenRelation::Initial));
    assert_eq!(c.patronymic, Some(INITIAL_SCORE));
    assert!(c.score >= 0.9, "{c:?}");
    let c = cmp("Коваленко О. П.", "Коваленко Ірина Петрівна");
    assert_eq!(c.given, Some(0.0), "{c:?}");
}

#[test]
fn missing_parts_come_from_full() {
    let n = PersonName {
        full: "Коваленко Олена Петрівна".into(),
        given: String::new(),
        family: "Коваленко".into(),
        patronymic: String::new(),
    };
    let k = NameKey::from_person_name(&n);
    assert_eq!(
        (k.family, k.given, k.patronymic),
        (v(&["kovalenko"]), v(&["olena"]), Some("petrivna".into()))
    );
    // An unknown given name beside the known surname, in either order.
    let n = PersonName {
        full: "Zorian Dzhus".into(),
        given: String::new(),
        family: "Dzhus".into(),
        patronymic: String::new(),
    };
    let k = NameKey::from_person_name(&n);
    assert_eq!((k.family, k.given), (v(&["djus"]), v(&["zorian"])));
}

/// [`compare_names`] without [`swap_could_win`]: both readings whenever the names allow.
fn compare_names_exhaustive(
    a: (&NameKey, &NameFacts),
    b: (&NameKey, &NameFacts),
) -> NameComparison {
    let straight = compare_parts(a, b, false);
    let (ka, kb) = (a.0, b.0);
    if ka.family.is_empty() || kb.family.is_empty() || ka.given.is_empty() || kb.given.is_empty() {
        return straight;
    }
    let swapped = compare_parts(a, b, true);
    if swapped.score > straight.score + SWAP_MARGIN {
        swapped
    } else {
        straight
    }
}

#[test]
fn ruling_out_a_swapped_reading_never_changes_a_comparison() {
    let dir = std::env::temp_dir().join(format!("dokaz-swap-bound-{}", std::process::id()));
    let spec = dokaz_demo::LabelledSpec {
        seed: 9,
        incidents: 0,
        persons: 3_000,
        units: 0,
        ..dokaz_demo::LabelledSpec::default()
    };
    dokaz_demo::write_labelled(&spec, &dir, |_| {}).unwrap();
    let corpus = dokaz_demo::read_labelled(&dir).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut names: Vec<(NameKey, NameFacts)> = corpus
        .persons
        .iter()
        .flat_map(|p| &p.names)
        .map(|n| {
            let key = NameKey::from_person_name(n);
            let facts = NameFacts::of(&key);
            (key, facts)
        })
        .collect();
    // Names written the other way round, which only a swapped reading matches.
    for (a, b) in [
        ("Коваленко Олена", "Olena Kovalenko"),
        ("Petro Ivanenko", "IVANENKO Petro"),
        ("Шевченко Тарас Григорович", "Taras Shevchenko"),
    ] {
        for full in [a, b] {
            let key = NameKey::parse(full);
            let facts = NameFacts::of(&key);
            names.push((key, facts));
        }
    }
    // Pairs as blocking brings them: of one given name or one surname, plus neighbours.
    let (mut compared, mut swapped) = (0, 0);
    for (i, a) in names.iter().enumerate() {
        for (j, b) in names.iter().enumerate().skip(i + 1) {
            let related = a.0.given == b.0.given || a.0.family == b.0.family || j < i + 20;
            if !related {
                continue;
            }
            let (a, b) = ((&a.0, &a.1), (&b.0, &b.1));
            let want = compare_names_exhaustive(a, b);
            assert_eq!(compare_names(a, b), want, "{:?} / {:?}", a.0, b.0);
            compared += 1;
            swapped += usize::from(want.swapped);
        }
    }
    assert!(
        compared > 50_000 && swapped > 0,
        "{compared} pairs, {swapped} swapped"
    );
}
