//! Name bands, name keys and birth dates of person matching, with real name pairs.

use super::*;

fn d(s: &str) -> PartialDate {
    s.parse().unwrap()
}

#[test]
fn name_similarities_fall_into_bands_between_close_and_different() {
    for (s, family, given, patronymic) in [
        (
            1.0,
            Level::FamilySame,
            Level::GivenSame,
            Level::PatronymicSame,
        ),
        (
            0.95,
            Level::FamilyClose,
            Level::GivenClose,
            Level::PatronymicSame,
        ),
        (
            0.9,
            Level::FamilySimilar,
            Level::GivenSimilar,
            Level::PatronymicDiffer,
        ),
        (
            0.86,
            Level::FamilyAlike,
            Level::GivenAlike,
            Level::PatronymicDiffer,
        ),
        (
            0.81,
            Level::FamilyFaint,
            Level::GivenFaint,
            Level::PatronymicDiffer,
        ),
        (
            0.7,
            Level::FamilyDiffer,
            Level::GivenDiffer,
            Level::PatronymicDiffer,
        ),
    ] {
        assert_eq!(Part::Family.level(s), family, "{s}");
        assert_eq!(Part::Given.level(s), given, "{s}");
        assert_eq!(Part::Patronymic.level(s), patronymic, "{s}");
    }
}

#[test]
fn a_typo_on_top_of_another_romanisation_is_not_a_different_surname() {
    // German romanisation (z for ц) of Гриценко; Polish with a transposition of Семенюк.
    for (a, b) in [("Гриценко", "Hryzenko"), ("Семенюк", "Semenjku")] {
        let name = |full: &str| dokaz_model::PersonName {
            full: full.into(),
            ..Default::default()
        };
        let (x, y) = (NameParts::of(&name(a)), NameParts::of(&name(b)));
        let c = compare_names((&x.key, &x.facts), (&y.key, &y.facts));
        // A lone word is read as a surname or a given name alike on both sides.
        let level = Part::Family.level(c.family.or(c.given).unwrap_or(0.0));
        assert_ne!(level, Level::FamilyDiffer, "{a} / {b}: {c:?}");
    }
}

/// A person of one name (family and given), born on `birth` if known.
fn named(family: &str, given: &str, birth: Option<&str>) -> PersonFeatures {
    let name = dokaz_model::PersonName {
        full: format!("{family} {given}"),
        family: family.into(),
        given: given.into(),
        ..Default::default()
    };
    let names = vec![NameParts::of(&name)];
    PersonFeatures {
        id: PersonId::new(),
        agency: AgencyId::new(),
        classification: Classification::Open,
        letters: NameLetters::of(&names[0].key),
        names,
        birth: birth.map(d),
        sex: Sex::Unknown,
        origin: String::new(),
        origin_letters: None,
        family_rarity: 0.0,
        given_rarity: 0.0,
    }
}

/// Whether `a`'s probes meet `b`'s filed keys, that is whether the two are ever compared.
fn meet(a: &PersonFeatures, b: &PersonFeatures) -> bool {
    let (mut buf, mut probes, mut filed) = (KeyBuf::default(), Vec::new(), Vec::new());
    a.probe_keys(&Keyer::Plain, &mut buf, &mut probes);
    b.filed_keys(&Keyer::Plain, &mut buf, &mut filed);
    probes.iter().any(|k| filed.contains(k))
}

#[test]
fn name_keys_meet_within_a_year_and_across_unknown_dates() {
    let dates = [
        Some("1980-03-05"),
        Some("1981"),
        Some("1979-12"),
        Some("1982"),
        None,
    ];
    let people: Vec<_> = dates
        .iter()
        .map(|&b| named("Коваленко", "Олена", b))
        .collect();
    for (i, a) in people.iter().enumerate() {
        for (j, b) in people.iter().enumerate() {
            let years = |x: &PersonFeatures| x.birth.map(|b| b.year);
            let want = match (years(a), years(b)) {
                (Some(x), Some(y)) => x.abs_diff(y) <= 1,
                _ => true,
            };
            assert_eq!(meet(a, b), want, "{:?} / {:?}", dates[i], dates[j]);
            assert_eq!(meet(a, b), meet(b, a), "both ways");
        }
    }
}

#[test]
fn a_typo_in_a_surnames_first_letters_meets_by_its_end_but_a_shared_suffix_alone_does_not() {
    // No birth dates, so only the keys by names can bring a pair together.
    for (a, b, want) in [
        // A long surname: a typo, an inserted or a dropped letter before its last six.
        ("Kovalenko", "Dovalenko", true),
        ("Kovalenko", "Kkovalenko", true),
        ("Bondarenko", "Ondarenko", true),
        // A short one: a typo in its first three letters.
        ("Petrov", "Retrov", true),
        ("Ivanov", "Ibanov", true),
        ("Ivanov", "Ivbanov", true),
        // Sharing "-enko" (or "-chuk") and a given name is not enough to be compared.
        ("Kovalenko", "Petrenko", false),
        ("Bondarenko", "Marchenko", false),
        ("Kovalchuk", "Martynchuk", false),
    ] {
        let (x, y) = (named(a, "Oleksandr", None), named(b, "Oleksandr", None));
        assert_eq!(meet(&x, &y), want, "{a} / {b}");
        assert_eq!(meet(&y, &x), want, "{b} / {a}");
    }
}

#[test]
fn birth_dates_compare_at_their_common_precision() {
    for (a, b, want) in [
        ("1980-03-05", "1980-03-05", Level::BirthSameDay),
        ("1980-03-05", "1980-05-03", Level::BirthNearDay),
        ("1980-03-05", "1980-03-08", Level::BirthNearDay),
        ("1980-03-05", "1980-03-25", Level::BirthNearDay),
        ("1980-03-05", "1980-03-28", Level::BirthDiffer),
        ("1980-03-05", "1981-03-05", Level::BirthYearOff),
        ("1980-03-05", "1980-03", Level::BirthSameMonth),
        ("1980-03-05", "1980-04", Level::BirthDiffer),
        ("1980-03-05", "1980", Level::BirthSameYear),
        ("1980", "1979-12", Level::BirthYearOff),
        ("1980", "1990", Level::BirthDiffer),
    ] {
        assert_eq!(compare_birth(d(a), d(b)), want, "{a} vs {b}");
    }
}
