//! Properties of the text functions over arbitrary mixed-script input: they never panic and
//! keep the shape their callers rely on.

use proptest::prelude::*;

use super::translit::{romanize_ru, romanize_uk, RuSystem};
use super::{fold, latin_key, name_similarity};

/// Names made of Cyrillic, Latin (with diacritics), apostrophes, hyphens, digits and spaces,
/// plus arbitrary Unicode.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[а-яА-ЯіїєґІЇЄҐёЁ'’ʼ -]{0,24}",
        "[a-zA-ZłżźćńśąęóčšžřäöüßéïÿŁŻČŠŽ'’ -]{0,24}",
        "[а-яa-z0-9/.,№ -]{0,24}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn latin_key_is_spaced_lowercase_ascii(s in name()) {
        let k = latin_key(&s);
        prop_assert!(k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '), "{k:?}");
        prop_assert!(!k.starts_with(' ') && !k.ends_with(' ') && !k.contains("  "), "{k:?}");
    }

    #[test]
    fn fold_is_trimmed_single_spaced_and_idempotent(s in name()) {
        let f = fold(&s);
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "), "{f:?}");
        prop_assert_eq!(fold(&f), f.clone());
    }

    #[test]
    fn romanisations_leave_no_cyrillic_letter(s in "[а-щьюяєіїґА-ЩЬЮЯЄІЇҐ' -]{0,24}") {
        let uk = romanize_uk(&s);
        prop_assert!(!uk.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{uk}");
        for system in [RuSystem::Gost779B, RuSystem::BgnPcgn, RuSystem::Icao9303] {
            let ru = romanize_ru(&s.replace(['є', 'і', 'ї', 'ґ', 'Є', 'І', 'Ї', 'Ґ'], "е"), system);
            prop_assert!(!ru.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{ru}");
        }
    }

    #[test]
    fn similarity_is_a_symmetric_score(a in name(), b in name()) {
        let ab = name_similarity(&a, &b);
        let ba = name_similarity(&b, &a);
        prop_assert!((0.0..=1.0).contains(&ab), "{ab}");
        prop_assert!((ab - ba).abs() < 1e-9, "{ab} {ba}");
        if !latin_key(&a).is_empty() {
            prop_assert_eq!(name_similarity(&a, &a), 1.0);
        }
    }

    #[test]
    fn romanised_ukrainian_keeps_its_key(s in "([бвгґджзклмнпрстфхцчшщ][аеєиіїоуюя]){1,5}") {
        // The national romanisation of a word of syllables folds to (nearly) the word's key.
        // (Consonant clusters such as сч, romanised sch, read as German ш by design.)
        let score = name_similarity(&s, &romanize_uk(&s));
        prop_assert!(score >= 0.85, "{s} {} {score}", romanize_uk(&s));
    }
}

/// A rough speed check, run by hand: `cargo test -p dokaz-match --lib --release
/// text::props::latin_key_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn latin_key_speed() {
    let names = [
        "Зеленський",
        "Schewtschenko",
        "Kovalenko Olena Petrivna",
        "Charków",
        "Коваленко Олена Петрівна",
    ];
    let n = 200_000;
    let t = std::time::Instant::now();
    let mut total = 0;
    for i in 0..n {
        total += latin_key(names[i % names.len()]).len();
    }
    let per = t.elapsed().as_nanos() / n as u128;
    eprintln!("latin_key: {per} ns per name ({total})");
    for name in names {
        let t = std::time::Instant::now();
        for _ in 0..n / 10 {
            total += latin_key(std::hint::black_box(name)).len();
        }
        eprintln!("  {name}: {} ns", t.elapsed().as_nanos() / (n / 10) as u128);
    }
    std::hint::black_box(total);
    let t = std::time::Instant::now();
    let mut sum = 0.0;
    for i in 0..n / 10 {
        sum += name_similarity(names[i % names.len()], names[(i + 1) % names.len()]);
    }
    let per = t.elapsed().as_nanos() / (n / 10) as u128;
    eprintln!("name_similarity: {per} ns per pair ({sum:.1})");
}
