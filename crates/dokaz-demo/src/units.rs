//! Military and armed units alleged responsible, and each agency's records of them. The
//! designations follow the real patterns ("64 ОМСБр", "64th Separate Motor Rifle Brigade",
//! "в/ч 51460") but the numbers are drawn at random: no generated unit is meant to be a real
//! one, since the incidents attributed to them are fiction.

use chrono::Duration;
use dokaz_model::{Agency, Classification, Unit, UnitId};

use crate::agencies::profile;
use crate::gen::{day, midnight, Gen};
use crate::link::{LinkedPair, TrueLink, Variation};

/// The branch of the forces, which decides what incidents a unit can be blamed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Branch {
    Ground,
    Airborne,
    NavalInfantry,
    Artillery,
    Rocket,
    Missile,
    Aviation,
    Security,
}

/// A kind of formation: English name, Russian abbreviation, Russian and Ukrainian full names,
/// and the grammatical gender the ordinal agrees with.
struct Formation(
    Branch,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Gender,
);

#[derive(Clone, Copy)]
enum Gender {
    Feminine,
    Masculine,
    Neuter,
}

const FORMATIONS: &[Formation] = {
    use Branch::*;
    use Gender::*;
    &[
        Formation(
            Ground,
            "Separate Motor Rifle Brigade",
            "ОМСБр",
            "отдельная мотострелковая бригада",
            "окрема мотострілецька бригада",
            Feminine,
        ),
        Formation(
            Ground,
            "Motor Rifle Regiment",
            "МСП",
            "мотострелковый полк",
            "мотострілецький полк",
            Masculine,
        ),
        Formation(
            Ground,
            "Guards Tank Regiment",
            "гв. ТП",
            "гвардейский танковый полк",
            "гвардійський танковий полк",
            Masculine,
        ),
        Formation(
            Airborne,
            "Guards Air Assault Regiment",
            "гв. ДШП",
            "гвардейский десантно-штурмовой полк",
            "гвардійський десантно-штурмовий полк",
            Masculine,
        ),
        Formation(
            Airborne,
            "Guards Airborne Division",
            "гв. ВДД",
            "гвардейская воздушно-десантная дивизия",
            "гвардійська повітрянодесантна дивізія",
            Feminine,
        ),
        Formation(
            NavalInfantry,
            "Separate Guards Naval Infantry Brigade",
            "гв. ОБрМП",
            "отдельная гвардейская бригада морской пехоты",
            "окрема гвардійська бригада морської піхоти",
            Feminine,
        ),
        Formation(
            Artillery,
            "Artillery Brigade",
            "АБр",
            "артиллерийская бригада",
            "артилерійська бригада",
            Feminine,
        ),
        Formation(
            Artillery,
            "Self-Propelled Artillery Regiment",
            "САП",
            "самоходный артиллерийский полк",
            "самохідний артилерійський полк",
            Masculine,
        ),
        Formation(
            Rocket,
            "Rocket Artillery Brigade",
            "РеАБр",
            "реактивная артиллерийская бригада",
            "реактивна артилерійська бригада",
            Feminine,
        ),
        Formation(
            Missile,
            "Guards Missile Brigade",
            "гв. РБр",
            "гвардейская ракетная бригада",
            "гвардійська ракетна бригада",
            Feminine,
        ),
        Formation(
            Missile,
            "Heavy Bomber Aviation Regiment",
            "ТБАП",
            "тяжёлый бомбардировочный авиационный полк",
            "важкий бомбардувальний авіаційний полк",
            Masculine,
        ),
        Formation(
            Aviation,
            "Bomber Aviation Regiment",
            "БАП",
            "бомбардировочный авиационный полк",
            "бомбардувальний авіаційний полк",
            Masculine,
        ),
        Formation(
            Aviation,
            "Assault Aviation Regiment",
            "ШАП",
            "штурмовой авиационный полк",
            "штурмовий авіаційний полк",
            Masculine,
        ),
        Formation(
            Security,
            "Rosgvardia Separate Operational Brigade",
            "ОБрОН",
            "отдельная бригада оперативного назначения Росгвардии",
            "окрема бригада оперативного призначення Росгвардії",
            Feminine,
        ),
        Formation(
            Security,
            "FSB Border Directorate",
            "ПУ ФСБ",
            "пограничное управление ФСБ",
            "прикордонне управління ФСБ",
            Neuter,
        ),
        Formation(
            Security,
            "Special Purpose Police Regiment",
            "ППСН",
            "полк полиции специального назначения",
            "полк поліції особливого призначення",
            Masculine,
        ),
    ]
};

/// One real (fictional) unit and the record each agency that knows it keeps.
#[derive(Debug)]
pub(crate) struct RealUnit {
    pub branch: Branch,
    /// How a source names it in free text: the abbreviation Ukrainian and Russian sources
    /// share, the Russian full name, the English name.
    pub names: [String; 3],
    /// `(agency index, record)` for every agency that has it in its registry.
    pub records: Vec<(usize, UnitId)>,
}

#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub records: Vec<Unit>,
    pub real: Vec<RealUnit>,
}

impl Registry {
    /// A unit of one of `branches` (any unit if none fits), as index into `real`.
    pub fn pick(&self, g: &mut Gen, branches: &[Branch]) -> Option<usize> {
        if self.real.is_empty() {
            return None;
        }
        let fitting: Vec<usize> = (0..self.real.len())
            .filter(|&i| branches.contains(&self.real[i].branch))
            .collect();
        Some(if fitting.is_empty() {
            g.index(self.real.len())
        } else {
            *g.pick(&fitting)
        })
    }

    /// The record of real unit `unit` that agency `agency` keeps, if any.
    pub fn record_of(&self, unit: usize, agency: usize) -> Option<UnitId> {
        self.real[unit]
            .records
            .iter()
            .find(|(a, _)| *a == agency)
            .map(|(_, id)| *id)
    }
}

fn english_ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `units` records: one per real unit, plus second records by other agencies for a share of
/// them (twice the incident overlap: agencies track the same units more than the same events).
pub(crate) fn generate(
    g: &mut Gen,
    agencies: &[Agency],
    units: usize,
    overlap: f64,
    links: &mut Vec<TrueLink>,
) -> Registry {
    let share = (overlap * 2.0).min(1.0);
    let seconds = ((units as f64) * share / (1.0 + share)).round() as usize;
    let firsts = units - seconds;
    let weights: Vec<f64> = (0..agencies.len()).map(|i| profile(i).weight).collect();
    let indices: Vec<usize> = (0..agencies.len()).collect();
    let mut reg = Registry::default();
    let mut used_numbers = std::collections::BTreeSet::new();

    for _ in 0..firsts {
        let f = g.pick(FORMATIONS);
        let n = loop {
            let n = g.int(1, 240) as u32;
            if used_numbers.insert((f.1, n)) {
                break n;
            }
        };
        let vch = format!("{:05}", g.int(6_000, 99_999));
        let (ru_end, uk_end) = match f.5 {
            Gender::Feminine => ("-я", "-та"),
            Gender::Masculine => ("-й", "-й"),
            Gender::Neuter => ("-е", "-те"),
        };
        let en = format!("{} {}", english_ordinal(n), f.1);
        let ru_abbr = format!("{n} {}", f.2);
        let ru_full = format!("{n}{ru_end} {}", f.3);
        let uk_full = format!("{n}{uk_end} {}", f.4);
        let owner = *g.pick_weighted(&indices, |&i| weights[i]);
        let spelt = names_for(g, owner, &en, &ru_abbr, &ru_full, &uk_full, &vch);
        let id = record(g, agencies, owner, &mut reg, spelt);
        reg.real.push(RealUnit {
            branch: f.0,
            names: [ru_abbr.clone(), ru_full, en.clone()],
            records: vec![(owner, id)],
        });
    }
    // Second records, each by an agency that does not have the unit yet.
    let mut order: Vec<usize> = (0..reg.real.len()).collect();
    g.shuffle(&mut order);
    for &u in order
        .iter()
        .cycle()
        .take(if order.is_empty() { 0 } else { seconds })
    {
        let (owner, first) = reg.real[u].records[0];
        let others: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|i| !reg.real[u].records.iter().any(|(a, _)| a == i))
            .collect();
        if others.is_empty() {
            continue;
        }
        let other = *g.pick_weighted(&others, |&i| weights[i]);
        let [abbr, _, en] = reg.real[u].names.clone();
        let vch = reg
            .records
            .iter()
            .find(|r| r.id == first)
            .and_then(|r| r.numbers.first().cloned());
        let digits: String = vch
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let (names, numbers) = match (profile(other).lang, g.int(0, 2)) {
            (_, 0) if !digits.is_empty() => (vec![], vec![digits]),
            ("uk", _) => (vec![abbr], vec![]),
            _ => (vec![en], vec![]),
        };
        let known = &reg
            .records
            .iter()
            .find(|r| r.id == first)
            .expect("first record")
            .names;
        // A name the first record lacks is a new spelling; otherwise the second record shares
        // only part of the first's designation.
        let variation = if names.iter().any(|n| !known.contains(n)) {
            Variation::NameSpelling
        } else {
            Variation::DesignationPartial
        };
        let id = record(g, agencies, other, &mut reg, (names, numbers));
        reg.real[u].records.push((other, id));
        links.push(TrueLink {
            pair: LinkedPair::Unit { a: first, b: id },
            agencies: [agencies[owner].id, agencies[other].id],
            variations: vec![variation],
        });
    }
    reg
}

/// Names and numbers as the owning agency writes them.
fn names_for(
    g: &mut Gen,
    agency: usize,
    en: &str,
    ru_abbr: &str,
    ru_full: &str,
    uk_full: &str,
    vch: &str,
) -> (Vec<String>, Vec<String>) {
    if profile(agency).lang == "uk" {
        let mut names = vec![ru_abbr.to_owned(), uk_full.to_owned()];
        if g.chance(0.4) {
            names.push(ru_full.to_owned());
        }
        (names, vec![format!("в/ч {vch}")])
    } else {
        let numbers = if g.chance(0.6) {
            vec![format!("military unit {vch}")]
        } else {
            vec![]
        };
        (vec![en.to_owned(), ru_abbr.to_owned()], numbers)
    }
}

fn record(
    g: &mut Gen,
    agencies: &[Agency],
    agency: usize,
    reg: &mut Registry,
    (names, numbers): (Vec<String>, Vec<String>),
) -> UnitId {
    let created = midnight(day(2022, 3, 15)) + Duration::hours(g.int(0, 24 * 700));
    let id = UnitId::from_uuid(g.uuid(created));
    reg.records.push(Unit {
        id,
        agency: agencies[agency].id,
        names,
        numbers,
        affiliation: "RU".to_owned(),
        parent: None,
        classification: if g.chance(0.3) {
            Classification::Open
        } else {
            Classification::Restricted
        },
        created_at: created,
        updated_at: created + Duration::days(g.int(0, 200)),
    });
    id
}
