//! Real people and the records agencies keep of them. Each record is an independent view of
//! the same person: the agency's script or romanisation, its name order, with or without the
//! patronymic, sometimes a diminutive or a typing error, the birth date as far as the source
//! knew it, the place of origin in the agency's spelling. The differences between the first
//! record and each further one are the link's variations.

use chrono::{Datelike, Duration, NaiveDate};
use dokaz_gazetteer::Place;
use dokaz_model::{
    AgencyId, Classification, PartialDate, Person, PersonId, PersonName, PersonRole, Sex,
};

use super::given::{self, FEMALE, MALE};
use super::scripts::{house_style, Script};
use super::surnames::Surnames;
use super::typos::typo;
use crate::agencies::profile;
use crate::gen::{day, midnight, recording_end, Gen};
use crate::link::Variation;
use crate::names::RU_ORIGINS;
use crate::places::{Pattern, PlacePicker};
use crate::romanize::{romanize, System};

/// Share of real people drawn as the namesake of someone already drawn (same given and family
/// name, another person): common names make such pairs frequent in any large register.
const NAMESAKE: f64 = 0.03;
/// Share of namesakes also born in the same year — the hardest negatives.
const NAMESAKE_SAME_YEAR: f64 = 0.4;
/// Share of real people drawn as a sibling of someone already drawn (same family name,
/// patronymic and place of origin): families are victimised, displaced and deported together.
const SIBLING: f64 = 0.02;
/// Share of persons recorded as suspects (Russian servicemen, Russian-type surnames).
const SUSPECT: f64 = 0.04;
/// Share of records with a typing error in a name: registers audited in record-linkage studies
/// show 5–10% of hand-keyed name fields with an error.
const TYPO: f64 = 0.07;
/// Of records with a typo, the share with a second one.
const SECOND_TYPO: f64 = 0.2;
/// Share of records naming a person by a diminutive: names passed on by relatives, neighbours
/// and social media posts (Саша Коваленко), not read from documents.
const DIMINUTIVE: f64 = 0.03;
/// Share of records keeping the name only as one string, without parts.
const UNPARSED: f64 = 0.1;
/// Share of records carrying a second spelling of the name in another script, e.g. Cyrillic
/// from a witness statement next to the passport spelling.
const SECOND_SPELLING: f64 = 0.2;
/// A Ukrainian record names the person family name first (the official order) this often.
const CYRILLIC_FAMILY_FIRST: f64 = 0.85;
/// A Latin-script record names the person family name first (registry style, "KOVALENKO
/// Olena" or "Kovalenko, Olena") this often.
const LATIN_FAMILY_FIRST: f64 = 0.2;
/// Patronymic present: Ukrainian records almost always have it, international ones seldom.
const CYRILLIC_PATRONYMIC: f64 = 0.85;
const LATIN_PATRONYMIC: f64 = 0.2;
/// The true place of origin is unknown to everyone this often.
const ORIGIN_UNKNOWN: f64 = 0.15;
/// Day and month swapped when the day is 12 or less (DD.MM against MM/DD forms).
const BIRTH_SWAPPED: f64 = 0.02;
/// A full birth date keyed with the wrong year.
const BIRTH_YEAR_TYPO: f64 = 0.01;
/// A year-only birth date computed from a stated age: off by one about half the time.
const YEAR_FROM_AGE: f64 = 0.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Victim,
    Witness,
    Missing,
    Detainee,
    DeportedChild,
    Suspect,
}

#[derive(Debug, Clone, Copy)]
enum Origin {
    Unknown,
    Place(&'static Place),
    Russian(&'static str),
}

/// One real person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Truth {
    female: bool,
    /// Index into `MALE` or `FEMALE`.
    given: usize,
    /// The father's given name, index into `MALE`.
    father: usize,
    family: usize,
    birth: NaiveDate,
    origin: Origin,
    kind: Kind,
}

/// Draws real people, some of them namesakes or siblings of earlier ones.
#[derive(Debug)]
pub(crate) struct People {
    places: PlacePicker,
    recent: Vec<Truth>,
    next_slot: usize,
    /// Real people drawn as a namesake or sibling of another.
    pub hard_negatives: u64,
}

const RECENT: usize = 4096;

impl People {
    pub fn new() -> Self {
        Self {
            places: PlacePicker::new(),
            recent: Vec::with_capacity(RECENT),
            next_slot: 0,
            hard_negatives: 0,
        }
    }

    pub fn draw(&mut self, g: &mut Gen) -> Truth {
        let mut t = self.fresh(g);
        if !self.recent.is_empty() {
            let x = g.unit();
            let other = *g.pick(&self.recent);
            if x < NAMESAKE + SIBLING && other.kind != Kind::Suspect {
                self.hard_negatives += 1;
            }
            if x < NAMESAKE {
                t.female = other.female;
                t.given = other.given;
                t.family = other.family;
                if g.chance(NAMESAKE_SAME_YEAR) {
                    t.birth = in_year(g, other.birth.year());
                }
            } else if x < NAMESAKE + SIBLING && other.kind != Kind::Suspect {
                t.family = other.family;
                t.father = other.father;
                t.origin = other.origin;
                let years = g.int(1, 12) * if g.chance(0.5) { 1 } else { -1 };
                let sibling = other.birth + Duration::days(365 * years + g.int(-100, 100));
                // An older sibling where a younger one would be born after the war began.
                t.birth = if sibling > day(2020, 12, 31) {
                    other.birth - (sibling - other.birth)
                } else {
                    sibling
                };
            }
        }
        if self.recent.len() < RECENT {
            self.recent.push(t);
        } else {
            self.recent[self.next_slot] = t;
            self.next_slot = (self.next_slot + 1) % RECENT;
        }
        t
    }

    fn fresh(&self, g: &mut Gen) -> Truth {
        let x = g.unit();
        let kind = if x < SUSPECT {
            Kind::Suspect
        } else if x < SUSPECT + 0.05 {
            Kind::DeportedChild
        } else if x < SUSPECT + 0.13 {
            Kind::Detainee
        } else if x < SUSPECT + 0.25 {
            Kind::Missing
        } else if x < SUSPECT + 0.45 {
            Kind::Witness
        } else {
            Kind::Victim
        };
        let female = kind != Kind::Suspect && g.chance(0.48);
        let event = day(2022, 2, 24) + Duration::days(g.int(0, 365 * 3));
        let age = match kind {
            Kind::DeportedChild => g.int(2, 17),
            Kind::Suspect => g.int(19, 50),
            _ if g.chance(0.25) => g.int(60, 90),
            _ => g.int(18, 59),
        };
        let birth = event - Duration::days(age * 365 + g.int(0, 364));
        let surnames = Surnames::get();
        let family = if kind == Kind::Suspect {
            surnames.draw_russian_type(g)
        } else {
            surnames.draw(g)
        };
        let origin = if kind == Kind::Suspect {
            Origin::Russian(RU_ORIGINS[g.index(RU_ORIGINS.len())])
        } else if g.chance(ORIGIN_UNKNOWN) {
            Origin::Unknown
        } else {
            let oblast = self.places.oblast(g, Pattern::Strike, false);
            Origin::Place(self.places.place(g, oblast, Pattern::Occupation))
        };
        Truth {
            female,
            given: if female {
                given::female(g)
            } else {
                given::male(g)
            },
            father: given::male(g),
            family,
            birth,
            origin,
            kind,
        }
    }
}

fn in_year(g: &mut Gen, year: i32) -> NaiveDate {
    day(year, 1, 1) + Duration::days(g.int(0, 364))
}

/// How one record sees the person.
#[derive(Debug, Clone)]
pub(crate) struct View {
    script: Script,
    family_first: bool,
    upper_family: bool,
    patronymic: bool,
    diminutive: bool,
    /// Parts of the name given (`given`, `family`, `patronymic`), not only `full`.
    parts: bool,
    second: Option<Script>,
    birth: Option<PartialDate>,
    swapped: bool,
    sex: Sex,
    origin: String,
    /// Typing errors in the primary spelling.
    typos: u8,
}

/// A person record of `t` by `agency`, and how it saw the person.
pub(crate) fn record(g: &mut Gen, t: &Truth, agency: usize, id: AgencyId) -> (Person, View) {
    let ua = profile(agency).country == "UA";
    let script = g.pick_weighted(house_style(agency), |(_, w)| *w).0;
    let latin = matches!(script, Script::Latin(_));
    let family_first = g.chance(if latin {
        LATIN_FAMILY_FIRST
    } else {
        CYRILLIC_FAMILY_FIRST
    });
    let (birth, swapped) = birth_as_known(g, t.birth, ua);
    let sex_known = g.chance(if ua { 0.97 } else { 0.9 });
    let typos = if g.chance(TYPO) {
        1 + u8::from(g.chance(SECOND_TYPO))
    } else {
        0
    };
    let second = g.chance(SECOND_SPELLING).then_some(if latin {
        Script::Ukrainian
    } else {
        Script::Latin(System::UkNational)
    });
    let view = View {
        script,
        family_first,
        upper_family: latin && g.chance(0.6),
        patronymic: g.chance(if latin {
            LATIN_PATRONYMIC
        } else {
            CYRILLIC_PATRONYMIC
        }),
        diminutive: g.chance(DIMINUTIVE),
        parts: !g.chance(UNPARSED),
        second,
        birth,
        swapped,
        sex: match (sex_known, t.female) {
            (false, _) => Sex::Unknown,
            (true, true) => Sex::Female,
            (true, false) => Sex::Male,
        },
        origin: origin_as_written(g, t.origin, script, ua),
        typos,
    };
    let mut names = vec![spell(g, t, &view, view.script, view.typos)];
    if let Some(s) = view.second {
        let plain = View {
            family_first: s == Script::Ukrainian,
            upper_family: false,
            diminutive: false,
            ..view.clone()
        };
        names.push(spell(g, t, &plain, s, 0));
    }
    let created = g.between(midnight(day(2022, 3, 1)), recording_end());
    let person = Person {
        id: PersonId::from_uuid(g.uuid(created)),
        agency: id,
        roles: match t.kind {
            Kind::Victim => vec![PersonRole::Victim],
            Kind::Witness => vec![PersonRole::Witness],
            Kind::Missing => vec![PersonRole::Missing],
            Kind::Detainee => vec![PersonRole::Victim, PersonRole::Detainee],
            Kind::DeportedChild => vec![PersonRole::DeportedChild],
            Kind::Suspect => vec![PersonRole::Suspect],
        },
        names,
        birth_date: view.birth,
        sex: view.sex,
        citizenship: vec![if t.kind == Kind::Suspect { "RU" } else { "UA" }.to_owned()],
        place_of_origin: view.origin.clone(),
        protected: match t.kind {
            Kind::DeportedChild => g.chance(0.6),
            Kind::Witness => g.chance(0.35),
            Kind::Suspect => false,
            _ => g.chance(0.1),
        },
        classification: if g.chance(0.1) {
            Classification::Sealed
        } else if g.chance(0.1) {
            Classification::Open
        } else {
            Classification::Restricted
        },
        created_at: created,
        updated_at: (created + Duration::hours(g.int(0, 24 * 60))).min(recording_end()),
    };
    (person, view)
}

/// The birth date as the source knew it. Ukrainian bodies work from documents and registers
/// and know the full date more often than international ones, which work from statements.
fn birth_as_known(g: &mut Gen, d: NaiveDate, ua: bool) -> (Option<PartialDate>, bool) {
    let (full, month, year) = if ua {
        (0.7, 0.05, 0.15)
    } else {
        (0.55, 0.1, 0.2)
    };
    let x = g.unit();
    let mut year_of = d.year();
    if x < full {
        if g.chance(BIRTH_YEAR_TYPO) {
            year_of += if g.chance(0.5) { 1 } else { -1 };
        }
        let (mut m, mut dd) = (d.month(), d.day());
        let swapped = dd <= 12 && dd != m && g.chance(BIRTH_SWAPPED);
        if swapped {
            std::mem::swap(&mut m, &mut dd);
        }
        let date = PartialDate {
            year: year_of,
            month: Some(m),
            day: Some(dd),
        };
        // The year typo can make 29 February impossible: keep the year then.
        if date.latest().is_none() {
            return (
                Some(PartialDate {
                    year: d.year(),
                    ..date
                }),
                swapped,
            );
        }
        (Some(date), swapped)
    } else if x < full + month {
        let date = PartialDate {
            year: year_of,
            month: Some(d.month()),
            day: None,
        };
        (Some(date), false)
    } else if x < full + month + year {
        if g.chance(YEAR_FROM_AGE) && g.chance(0.5) {
            year_of += 1;
        }
        let date = PartialDate {
            year: year_of,
            month: None,
            day: None,
        };
        (Some(date), false)
    } else {
        (None, false)
    }
}

fn origin_as_written(g: &mut Gen, origin: Origin, script: Script, ua: bool) -> String {
    // Origin is asked for less by international bodies, and often left out.
    if g.chance(if ua { 0.1 } else { 0.3 }) {
        return String::new();
    }
    match (origin, script) {
        (Origin::Unknown, _) => String::new(),
        (Origin::Russian(name), Script::Latin(s)) => romanize(name, s),
        (Origin::Russian(name), _) => name.to_owned(),
        (Origin::Place(p), Script::Ukrainian) => p.name_uk.clone(),
        (Origin::Place(p), Script::Russian) if !p.name_ru.is_empty() => p.name_ru.clone(),
        (Origin::Place(p), Script::Russian) => p.name_uk.clone(),
        (Origin::Place(p), Script::Latin(System::UkNational)) if !p.name_en.is_empty() => {
            p.name_en.clone()
        }
        (Origin::Place(p), Script::Latin(s)) if s.russian_form() && !p.name_ru.is_empty() => {
            romanize(&p.name_ru, s)
        }
        (Origin::Place(p), Script::Latin(s)) => romanize(&p.name_uk, s),
    }
}

/// The parts of the name in `script`, before any typing error.
fn parts(t: &Truth, diminutive: bool, script: Script) -> [String; 3] {
    let ru = script.russian_form();
    let r = usize::from(ru);
    let given = if t.female {
        let f = &FEMALE[t.given];
        if diminutive {
            f.diminutive[r]
        } else {
            f.name[r]
        }
    } else {
        let m = &MALE[t.given];
        if diminutive {
            m.diminutive[r]
        } else {
            m.name[r]
        }
    };
    let family = Surnames::get().names[t.family].form(t.female, ru);
    let patronymic = MALE[t.father].patronymic[2 * r + usize::from(t.female)];
    let write = |s: &str| match script {
        Script::Latin(system) => romanize(s, system),
        _ => s.to_owned(),
    };
    [write(given), write(family), write(patronymic)]
}

fn spell(g: &mut Gen, t: &Truth, v: &View, script: Script, typos: u8) -> PersonName {
    let [mut given, mut family, patronymic] = parts(t, v.diminutive, script);
    for _ in 0..typos {
        // Family names are longer and less familiar to the clerk: they take most errors.
        if g.chance(0.65) {
            family = typo(g, &family);
        } else {
            given = typo(g, &given);
        }
    }
    let patronymic = if v.patronymic {
        patronymic
    } else {
        String::new()
    };
    let latin = matches!(script, Script::Latin(_));
    let mut words: Vec<String> = Vec::with_capacity(3);
    if v.family_first {
        if latin && v.upper_family {
            words.push(family.to_uppercase());
        } else if latin {
            words.push(format!("{family},"));
        } else {
            words.push(family.clone());
        }
        words.push(given.clone());
        words.push(patronymic.clone());
    } else {
        words.push(given.clone());
        words.push(patronymic.clone());
        words.push(family.clone());
    }
    words.retain(|w| !w.is_empty());
    let full = words.join(" ");
    if v.parts {
        PersonName {
            full,
            given,
            family,
            patronymic,
        }
    } else {
        PersonName {
            full,
            ..Default::default()
        }
    }
}

/// How record `b` differs from record `a` of the same person.
pub(crate) fn variations(t: &Truth, a: &View, b: &View) -> Vec<Variation> {
    let mut out = Vec::new();
    if parts(t, false, a.script)[..2] != parts(t, false, b.script)[..2] {
        out.push(Variation::NameSpelling);
    }
    if a.family_first != b.family_first {
        out.push(Variation::NameOrder);
    }
    if a.patronymic != b.patronymic {
        out.push(Variation::PatronymicDiffers);
    }
    if a.diminutive != b.diminutive {
        out.push(Variation::Diminutive);
    }
    if a.typos + b.typos > 0 {
        out.push(Variation::Typo);
    }
    match (a.birth, b.birth) {
        (Some(_), None) | (None, Some(_)) => out.push(Variation::BirthDateMissing),
        (Some(x), Some(y)) => {
            if x.month.is_some() != y.month.is_some() || x.day.is_some() != y.day.is_some() {
                out.push(Variation::BirthDateCoarser);
            }
            if a.swapped != b.swapped && x.day.is_some() && y.day.is_some() {
                out.push(Variation::BirthDateSwapped);
            }
            if x.year != y.year {
                out.push(Variation::BirthYearOff);
            }
        }
        (None, None) => {}
    }
    if a.sex != b.sex {
        out.push(Variation::SexMissing);
    }
    if a.origin != b.origin {
        out.push(Variation::OriginDiffers);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_valid_and_vary() {
        let mut g = Gen::new(11);
        let mut people = People::new();
        let today = day(2026, 6, 1);
        let mut spellings = std::collections::BTreeSet::new();
        for i in 0..3000 {
            let t = people.draw(&mut g);
            let (p, _) = record(&mut g, &t, i % 9, AgencyId::new());
            if let Err(e) = p.validate(today) {
                panic!("{e}: {p:?}");
            }
            spellings.insert(p.names[0].full.clone());
        }
        assert!(spellings.len() > 2500, "{}", spellings.len());
    }

    #[test]
    fn a_name_in_every_script() {
        let t = Truth {
            female: false,
            given: 0,
            father: 4,
            family: 0,
            birth: day(1980, 5, 3),
            origin: Origin::Unknown,
            kind: Kind::Victim,
        };
        let family = Surnames::get().names[0].form(false, false).to_owned();
        assert_eq!(parts(&t, false, Script::Ukrainian)[1], family);
        assert_eq!(
            parts(&t, false, Script::Ukrainian),
            ["Олександр".to_owned(), family, "Миколайович".to_owned()]
        );
        assert_eq!(parts(&t, false, Script::Russian)[0], "Александр");
        assert_eq!(parts(&t, true, Script::Ukrainian)[0], "Саша");
        assert_eq!(
            parts(&t, false, Script::Latin(System::German))[2],
            "Mykolajowytsch"
        );
    }
}
