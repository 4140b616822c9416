//! The words and abbreviations of unit designations, in Russian, Ukrainian and English,
//! matched on their keys so that one entry serves every script and spelling
//! (бригада, brigade → `brihad…`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::key::latin_key;

/// The echelon of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKind {
    Army,
    Corps,
    Division,
    Brigade,
    Regiment,
    /// Also the Russian artillery and air-defence дивизион, a battalion-size unit.
    Battalion,
    BattalionTacticalGroup,
    Company,
    Battery,
    Detachment,
    Group,
    Fleet,
}

/// Branch or qualifier of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Branch {
    Guards,
    Separate,
    MotorRifle,
    Mechanized,
    Infantry,
    Tank,
    Airborne,
    Assault,
    Artillery,
    Missile,
    AirDefence,
    NavalInfantry,
    SpecialPurpose,
    Engineer,
    Reconnaissance,
}

use Branch::*;
use UnitKind::*;

/// Word beginnings, as keys, checked in order (дивизион before дивизия).
const PREFIXES: &[(&str, Option<UnitKind>, &[Branch])] = &[
    ("divizion", Some(Battalion), &[]),
    ("diviz", Some(Division), &[]),
    ("divis", Some(Division), &[]),
    ("brihad", Some(Brigade), &[]),
    ("polk", Some(Regiment), &[]),
    ("rehiment", Some(Regiment), &[]),
    ("batal", Some(Battalion), &[]),
    ("armi", Some(Army), &[]),
    ("korpus", Some(Corps), &[]),
    ("korps", Some(Corps), &[]),
    ("kompan", Some(Company), &[]),
    ("rota", Some(Company), &[]),
    ("batare", Some(Battery), &[]),
    ("bater", Some(Battery), &[]),
    ("otriad", Some(Detachment), &[]),
    ("detahment", Some(Detachment), &[]),
    ("hrup", Some(Group), &[]),
    ("flot", Some(Fleet), &[]),
    ("otdeln", None, &[Separate]),
    ("okrem", None, &[Separate]),
    ("separat", None, &[Separate]),
    ("independ", None, &[Separate]),
    ("hvard", None, &[Guards]),
    ("huard", None, &[Guards]),
    ("motostrel", None, &[MotorRifle]),
    ("motostril", None, &[MotorRifle]),
    ("motor", None, &[MotorRifle]),
    ("mehaniz", None, &[Mechanized]),
    ("mecaniz", None, &[Mechanized]),
    ("mecanis", None, &[Mechanized]),
    ("pehot", None, &[Infantry]),
    ("pihot", None, &[Infantry]),
    ("infantr", None, &[Infantry]),
    ("tank", None, &[Tank]),
    ("desant", None, &[Airborne]),
    ("airborn", None, &[Airborne]),
    ("paraxut", None, &[Airborne]),
    ("paratrup", None, &[Airborne]),
    ("xturm", None, &[Assault]),
    ("asault", None, &[Assault]),
    ("artiler", None, &[Artillery]),
    ("raket", None, &[Missile]),
    ("misil", None, &[Missile]),
    ("zenit", None, &[AirDefence]),
    ("protivovozd", None, &[AirDefence]),
    ("morsk", None, &[NavalInfantry]),
    ("naval", None, &[NavalInfantry]),
    ("marin", None, &[NavalInfantry]),
    ("spetsnaz", None, &[SpecialPurpose]),
    ("spetsial", None, &[SpecialPurpose]),
    ("injener", None, &[Engineer]),
    ("saper", None, &[Engineer]),
    ("enhiner", None, &[Engineer]),
    ("razved", None, &[Reconnaissance]),
    ("rozvid", None, &[Reconnaissance]),
    ("rekon", None, &[Reconnaissance]),
];

/// Abbreviations, written as records write them; their keys are computed once.
const ABBREVIATIONS: &[(&str, Option<UnitKind>, &[Branch])] = &[
    ("ОМСБр", Some(Brigade), &[Separate, MotorRifle]),
    ("ГвОМСБр", Some(Brigade), &[Guards, Separate, MotorRifle]),
    ("МСБр", Some(Brigade), &[MotorRifle]),
    ("ОМСБ", Some(Battalion), &[Separate, MotorRifle]),
    ("МСБ", Some(Battalion), &[MotorRifle]),
    ("МСП", Some(Regiment), &[MotorRifle]),
    ("ГвМСП", Some(Regiment), &[Guards, MotorRifle]),
    ("МСД", Some(Division), &[MotorRifle]),
    ("ГвМСД", Some(Division), &[Guards, MotorRifle]),
    ("ОТБр", Some(Brigade), &[Separate, Tank]),
    ("ТБр", Some(Brigade), &[Tank]),
    ("ОТБ", Some(Battalion), &[Separate, Tank]),
    ("ТП", Some(Regiment), &[Tank]),
    ("ГвТП", Some(Regiment), &[Guards, Tank]),
    ("ТД", Some(Division), &[Tank]),
    ("ГвТД", Some(Division), &[Guards, Tank]),
    ("ТА", Some(Army), &[Tank]),
    ("ГвТА", Some(Army), &[Guards, Tank]),
    ("ОА", Some(Army), &[]),
    ("ОВА", Some(Army), &[]),
    ("ГвОА", Some(Army), &[Guards]),
    ("АК", Some(Corps), &[]),
    ("ДШБр", Some(Brigade), &[Airborne, Assault]),
    ("ОДШБр", Some(Brigade), &[Separate, Airborne, Assault]),
    ("ГвДШБр", Some(Brigade), &[Guards, Airborne, Assault]),
    ("ДШП", Some(Regiment), &[Airborne, Assault]),
    ("ДШД", Some(Division), &[Airborne, Assault]),
    ("ГвДШД", Some(Division), &[Guards, Airborne, Assault]),
    ("ВДД", Some(Division), &[Airborne]),
    ("ГвВДД", Some(Division), &[Guards, Airborne]),
    ("ВДП", Some(Regiment), &[Airborne]),
    ("ПДП", Some(Regiment), &[Airborne]),
    ("ГвПДП", Some(Regiment), &[Guards, Airborne]),
    ("ВДВ", None, &[Airborne]),
    ("ДШВ", None, &[Airborne, Assault]),
    ("ОБрСпН", Some(Brigade), &[Separate, SpecialPurpose]),
    ("ОБрСН", Some(Brigade), &[Separate, SpecialPurpose]),
    ("СпН", None, &[SpecialPurpose]),
    ("ОБр", Some(Brigade), &[Separate]),
    ("АБр", Some(Brigade), &[Artillery]),
    ("ОАБр", Some(Brigade), &[Separate, Artillery]),
    ("ГвАБр", Some(Brigade), &[Guards, Artillery]),
    ("АП", Some(Regiment), &[Artillery]),
    ("АДн", Some(Battalion), &[Artillery]),
    ("ЗРБр", Some(Brigade), &[AirDefence, Missile]),
    ("ЗРП", Some(Regiment), &[AirDefence, Missile]),
    ("РБр", Some(Brigade), &[Missile]),
    ("ПВО", None, &[AirDefence]),
    ("ППО", None, &[AirDefence]),
    ("ОБрМП", Some(Brigade), &[Separate, NavalInfantry]),
    ("БрМП", Some(Brigade), &[NavalInfantry]),
    ("ОБМП", Some(Battalion), &[Separate, NavalInfantry]),
    ("ОМБр", Some(Brigade), &[Separate, Mechanized]),
    ("МБр", Some(Brigade), &[Mechanized]),
    ("ОШБр", Some(Brigade), &[Separate, Assault]),
    ("БТГр", Some(BattalionTacticalGroup), &[]),
    ("БТГ", Some(BattalionTacticalGroup), &[]),
    ("BTG", Some(BattalionTacticalGroup), &[]),
    ("Гв", None, &[Guards]),
    ("Gds", None, &[Guards]),
    ("Bde", Some(Brigade), &[]),
    ("Bn", Some(Battalion), &[]),
    ("Regt", Some(Regiment), &[]),
    ("Div", Some(Division), &[]),
    ("Coy", Some(Company), &[]),
    ("Bty", Some(Battery), &[]),
    ("SMRB", Some(Brigade), &[Separate, MotorRifle]),
    ("MRB", Some(Brigade), &[MotorRifle]),
    ("MRR", Some(Regiment), &[MotorRifle]),
    ("MRD", Some(Division), &[MotorRifle]),
];

type Entry = (Option<UnitKind>, &'static [Branch]);

fn abbreviations() -> &'static HashMap<String, Entry> {
    static MAP: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    MAP.get_or_init(|| {
        ABBREVIATIONS
            .iter()
            .map(|&(abbr, kind, branches)| (latin_key(abbr), (kind, branches)))
            .collect()
    })
}

/// What one word (a key) says; `next` lets two-word English terms be read ("air assault",
/// "air defence"). Unknown words say nothing.
pub(super) fn read(w: &str, next: Option<&str>) -> Entry {
    if let Some(&entry) = abbreviations().get(w) {
        return entry;
    }
    if w == "air" {
        return match next {
            Some(n) if n.starts_with("asault") || n.starts_with("mobil") => (None, &[Airborne]),
            Some(n) if n.starts_with("defen") => (None, &[AirDefence]),
            _ => (None, &[]),
        };
    }
    if w.len() < 4 {
        return (None, &[]);
    }
    PREFIXES
        .iter()
        .find(|(p, _, _)| w.starts_with(p))
        .map_or((None, &[]), |&(_, kind, branches)| (kind, branches))
}

/// The arm families: units of different arms are different units, whatever else matches.
/// Motor rifle, mechanized and infantry are one family (English sources call Russian motor
/// rifle units mechanized); qualifiers (guards, separate, assault) never conflict.
fn arm(b: Branch) -> Option<u8> {
    Some(match b {
        Guards | Separate | Assault => return None,
        MotorRifle | Mechanized | Infantry => 0,
        Tank => 1,
        Airborne => 2,
        Artillery => 3,
        Missile | AirDefence => 4,
        NavalInfantry => 5,
        SpecialPurpose => 6,
        Engineer => 7,
        Reconnaissance => 8,
    })
}

pub(super) fn arms_conflict(a: &[Branch], b: &[Branch]) -> bool {
    let arms_a: Vec<u8> = a.iter().filter_map(|&x| arm(x)).collect();
    let arms_b: Vec<u8> = b.iter().filter_map(|&x| arm(x)).collect();
    !arms_a.is_empty() && !arms_b.is_empty() && !arms_a.iter().any(|x| arms_b.contains(x))
}
