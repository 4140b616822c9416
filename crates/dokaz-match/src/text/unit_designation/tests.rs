//! Unit designations with real units' names.

use super::*;
use DesignationReason::*;

fn d(s: &str) -> UnitDesignation {
    UnitDesignation::parse(s)
}

fn sim(a: &str, b: &str) -> (f64, DesignationReason) {
    designation_similarity(&d(a), &d(b))
}

#[test]
fn abbreviation_english_and_russian_agree() {
    let want = UnitDesignation {
        numbers: vec![],
        ordinal: Some(64),
        kind: Some(UnitKind::Brigade),
        branch: vec![Branch::Separate, Branch::MotorRifle],
    };
    for s in [
        "64 ОМСБр",
        "64-я ОМСБр",
        "64ОМСБр",
        "64th Separate Motor Rifle Brigade",
        "64-я отдельная мотострелковая бригада",
        "64 окрема мотострілецька бригада",
        "64 OMSBr",
    ] {
        assert_eq!(d(s), want, "{s}");
    }
    let (score, reason) = sim("64 ОМСБр", "64th Separate Motor Rifle Brigade");
    assert_eq!((score, reason), (1.0, SameDesignation));
}

#[test]
fn military_unit_numbers_in_every_form() {
    for s in [
        "в/ч 51460",
        "В/Ч 51460",
        "в/ч51460",
        "вч 51460",
        "в.ч. № 51460",
        "войсковая часть 51460",
        "military unit 51460",
        "vch 51460",
        "v/ch 51460",
        "u/m 51460",
        "Military Unit No. 51460",
    ] {
        assert_eq!(d(s).numbers, vec!["51460".to_string()], "{s}");
    }
    assert_eq!(
        d("військова частина А0536").numbers,
        vec!["A0536".to_string()]
    );
    assert_eq!(d("в/ч А-0536").numbers, vec!["A0536".to_string()]);
    assert_eq!(d("A0536").numbers, vec!["A0536".to_string()]);
    // A bare five-digit number is a unit number: no ordinal is that long.
    assert_eq!(d("64 ОМСБр, 51460").numbers, vec!["51460".to_string()]);
    assert_eq!(d("64 ОМСБр, 51460").ordinal, Some(64));
}

#[test]
fn unit_number_decides_only_when_both_have_one() {
    assert_eq!(sim("в/ч 51460", "military unit 51460").1, SameUnitNumber);
    assert_eq!(
        sim("64 ОМСБр (в/ч 51460)", "vch 51460"),
        (1.0, SameUnitNumber)
    );
    assert_eq!(sim("в/ч 51460", "в/ч 51461").1, DifferentUnitNumbers);
    // The 64th brigade is unit 51460, but nothing here says so.
    let (score, reason) = sim("64 ОМСБр", "в/ч 51460");
    assert_eq!(reason, NotComparable);
    assert!(score < DESIGNATION_MATCH_THRESHOLD);
}

#[test]
fn different_units() {
    assert_eq!(sim("64 ОМСБр", "65 ОМСБр").1, DifferentOrdinal);
    assert_eq!(sim("64 ОМСБр", "64 МСП").1, DifferentKind);
    assert_eq!(sim("64 ОТБр", "64 ОМСБр").1, ConflictingBranch);
    for (a, b) in [
        ("64 ОМСБр", "65 ОМСБр"),
        ("64 ОМСБр", "64 МСП"),
        ("64 ОТБр", "64 ОМСБр"),
    ] {
        assert!(sim(a, b).0 < DESIGNATION_MATCH_THRESHOLD, "{a} / {b}");
    }
}

#[test]
fn airborne_and_guards() {
    let a = d("76-я гвардейская десантно-штурмовая дивизия");
    assert_eq!(a.ordinal, Some(76));
    assert_eq!(a.kind, Some(UnitKind::Division));
    assert_eq!(
        a.branch,
        vec![Branch::Guards, Branch::Airborne, Branch::Assault]
    );
    assert_eq!(d("76 гв. ДШД"), a);
    assert_eq!(d("76th Guards Air Assault Division"), a);
    let (score, reason) = sim("76 ВДД", "76th Guards Air Assault Division");
    assert_eq!(reason, SameDesignation);
    assert!(score >= DESIGNATION_MATCH_THRESHOLD);
    assert_eq!(d("234-й десантно-штурмовой полк"), d("234 ДШП"));
}

#[test]
fn ukrainian_units() {
    let want = d("93 ОМБр");
    assert_eq!(want.kind, Some(UnitKind::Brigade));
    assert_eq!(want.branch, vec![Branch::Separate, Branch::Mechanized]);
    assert_eq!(d("93-тя окрема механізована бригада"), want);
    assert_eq!(d("93rd Separate Mechanized Brigade"), want);
    assert_eq!(
        d("36 ОБрМП").branch,
        vec![Branch::Separate, Branch::NavalInfantry]
    );
    assert_eq!(d("36-та окрема бригада морської піхоти"), d("36 ОБрМП"));
    assert_eq!(d("36th Separate Marine Brigade"), d("36 ОБрМП"));
}

#[test]
fn armies_and_regiments() {
    let a = d("1-я гвардейская танковая армия");
    assert_eq!((a.ordinal, a.kind), (Some(1), Some(UnitKind::Army)));
    assert_eq!(a, d("1 гв. ТА"));
    assert_eq!(a, d("1st Guards Tank Army"));
    assert_eq!(d("1065 артиллерийский полк").kind, Some(UnitKind::Regiment));
    assert_eq!(
        d("45 ОБрСпН").branch,
        vec![Branch::Separate, Branch::SpecialPurpose]
    );
    assert_eq!(
        d("45-я отдельная бригада специального назначения"),
        d("45 ОБрСпН")
    );
}

#[test]
fn motor_rifle_and_mechanized_do_not_conflict() {
    assert_eq!(
        sim("64 ОМСБр", "64th Separate Mechanized Brigade").1,
        SameDesignation
    );
}

#[test]
fn empty_text() {
    assert!(d("").is_empty());
    assert_eq!(sim("", "64 ОМСБр").1, NotComparable);
}
