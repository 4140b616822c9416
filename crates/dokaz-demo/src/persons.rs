//! Persons recorded with incidents — victims, witnesses, detainees, missing persons, deported
//! children and suspects — and the same persons recorded again by a second agency, with their
//! names in another script or romanisation and less of their birth date.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use dokaz_model::{Agency, Classification, PartialDate, Person, PersonId, PersonRole, Sex};

use crate::agencies::profile;
use crate::gen::{recording_end, Gen};
use crate::incidents::World;
use crate::link::{LinkedPair, TrueLink, Variation};
use crate::names::RU_ORIGINS;
use crate::places::Pattern;
use crate::romanize::System;

mod spelling;

use spelling::{Human, Style};

/// A person record with what the generator knows beyond it.
#[derive(Debug)]
pub(crate) struct WorldPerson {
    pub person: Person,
    pub agency: usize,
    /// Index of the incident the person is recorded with.
    pub incident: usize,
    human: Human,
}

/// `total` person records: first records attached to incidents, and second records of the
/// same people by the agency of a second report of their incident.
pub(crate) fn generate(
    g: &mut Gen,
    agencies: &[Agency],
    world: &mut World,
    total: usize,
    overlap: f64,
    links: &mut Vec<TrueLink>,
) -> Vec<WorldPerson> {
    let n = world.incidents.len();
    if n == 0 || total == 0 {
        return vec![];
    }
    // Reports of the same event, by incident index.
    let mut reports: Vec<Vec<usize>> = vec![vec![]; n];
    for (i, w) in world.incidents.iter().enumerate() {
        if let Some(f) = w.first {
            reports[f].push(i);
            reports[i].push(f);
        }
    }
    let mut cum = Vec::with_capacity(n);
    let mut sum = 0.0;
    for w in &world.incidents {
        sum += match (w.scenario.key, w.scenario.pattern) {
            ("children", _) => 4.0,
            (_, Pattern::Occupation) => 3.0,
            _ if !w.incident.harm.is_empty() => 1.5,
            _ => 0.3,
        };
        cum.push(sum);
    }
    let seconds = ((total as f64) * overlap / (1.0 + overlap)).round() as usize;
    let mut out: Vec<WorldPerson> = Vec::with_capacity(total);
    for _ in 0..total - seconds {
        let x = g.unit() * sum;
        let at = cum.partition_point(|&c| c <= x).min(n - 1);
        out.push(first_record(g, agencies, world, at));
    }
    // People whose incident another agency also reported can be recorded there too.
    let mut candidates: Vec<usize> = (0..out.len())
        .filter(|&p| {
            reports[out[p].incident]
                .iter()
                .any(|&r| world.incidents[r].agency != out[p].agency)
        })
        .collect();
    g.shuffle(&mut candidates);
    for k in 0..seconds {
        match candidates.get(k) {
            Some(&p) => {
                let (second, link) = second_record(g, agencies, world, &out[p], &reports);
                out.push(second);
                links.push(link);
            }
            // Fewer shared incidents than asked for: keep the total with first records.
            None => {
                let x = g.unit() * sum;
                let at = cum.partition_point(|&c| c <= x).min(n - 1);
                out.push(first_record(g, agencies, world, at));
            }
        }
    }
    for p in &out {
        world.incidents[p.incident]
            .incident
            .persons
            .push(p.person.id);
    }
    out
}

fn first_record(g: &mut Gen, agencies: &[Agency], world: &World, at: usize) -> WorldPerson {
    let w = &world.incidents[at];
    let s = w.scenario;
    let role = *g.pick_weighted(s.persons, |(_, weight)| *weight);
    let role = role.0;
    let event = w.incident.occurred.start.date_naive();
    let suspect = role == PersonRole::Suspect;
    let sex = if suspect || s.key == "execution" || s.key == "conscription" {
        Sex::Male
    } else if g.chance(0.05) {
        Sex::Unknown
    } else if g.chance(s.men.max(0.3)) {
        Sex::Male
    } else {
        Sex::Female
    };
    let age = match role {
        PersonRole::DeportedChild => g.int(3, 17),
        PersonRole::Suspect => g.int(19, 50),
        _ if g.chance(0.2) => g.int(60, 88),
        _ => g.int(18, 59),
    };
    let born = birth(g, event, age);
    let human = if suspect {
        Human::russian(g)
    } else {
        Human::ukrainian(g, sex == Sex::Female)
    };
    let roles = match role {
        PersonRole::Detainee => vec![PersonRole::Victim, PersonRole::Detainee],
        r => vec![r],
    };
    let protected = match role {
        PersonRole::DeportedChild => g.chance(0.6),
        PersonRole::Witness => g.chance(0.35),
        PersonRole::Suspect => false,
        _ => s.sensitive || g.chance(0.1),
    };
    let origin = if suspect {
        (*g.pick(RU_ORIGINS)).to_owned()
    } else if g.chance(0.7) {
        w.place.name_uk.clone()
    } else {
        String::new()
    };
    let person = Person {
        id: PersonId::new(),
        agency: agencies[w.agency].id,
        roles,
        names: vec![],
        birth_date: partial(g, born),
        sex,
        citizenship: vec![if suspect { "RU" } else { "UA" }.to_owned()],
        place_of_origin: origin,
        protected,
        classification: Classification::Restricted,
        created_at: w.incident.created_at,
        updated_at: w.incident.created_at,
    };
    let mut wp = WorldPerson {
        person,
        agency: w.agency,
        incident: at,
        human,
    };
    stamp(g, agencies, world, &mut wp);
    wp
}

fn second_record(
    g: &mut Gen,
    agencies: &[Agency],
    world: &World,
    first: &WorldPerson,
    reports: &[Vec<usize>],
) -> (WorldPerson, TrueLink) {
    let options: Vec<usize> = reports[first.incident]
        .iter()
        .copied()
        .filter(|&r| world.incidents[r].agency != first.agency)
        .collect();
    let at = *g.pick(&options);
    let mut variations = Vec::new();
    let mut person = first.person.clone();
    if let Some(b) = person.birth_date {
        if g.chance(0.5) {
            person.birth_date = if g.chance(0.7) {
                Some(PartialDate {
                    year: b.year,
                    month: None,
                    day: None,
                })
            } else {
                None
            };
            if person.birth_date != first.person.birth_date {
                variations.push(Variation::BirthDateCoarser);
            }
        }
    }
    if g.chance(0.15) {
        person.sex = Sex::Unknown;
    }
    let mut wp = WorldPerson {
        person,
        agency: world.incidents[at].agency,
        incident: at,
        human: first.human.clone(),
    };
    stamp(g, agencies, world, &mut wp);
    if wp.person.names.first().map(|n| &n.full) != first.person.names.first().map(|n| &n.full) {
        variations.push(Variation::NameSpelling);
    }
    let link = TrueLink {
        pair: LinkedPair::Person {
            a: first.person.id,
            b: wp.person.id,
        },
        agencies: [first.person.agency, wp.person.agency],
        variations,
    };
    (wp, link)
}

/// What the recording agency decides: how it spells the name, classification, when, the id.
fn stamp(g: &mut Gen, agencies: &[Agency], world: &World, wp: &mut WorldPerson) {
    let w = &world.incidents[wp.incident];
    let p = profile(wp.agency);
    let style = match p.country {
        "PL" | "LT" => Style::Latin(System::Polish),
        "UA" if crate::oblasts::russian_speaking(w.oblast.key) && g.chance(0.15) => {
            Style::RuCyrillic
        }
        "UA" => Style::UkCyrillic,
        _ if g.chance(0.2) => Style::Latin(System::RuPassport),
        _ if g.chance(0.1) => Style::Latin(System::Polish),
        _ => Style::Latin(System::UkNational),
    };
    let mut names = vec![wp.human.spell(style, g.chance(0.3))];
    if matches!(style, Style::UkCyrillic | Style::RuCyrillic) && g.chance(0.4) {
        names.push(wp.human.spell(Style::Latin(System::UkNational), false));
    } else if matches!(style, Style::Latin(_)) && g.chance(0.3) {
        names.push(wp.human.spell(Style::UkCyrillic, true));
    }
    wp.person.names = names;
    wp.person.agency = agencies[wp.agency].id;
    wp.person.classification = if w.incident.classification == Classification::Sealed
        || wp.person.protected && g.chance(0.4)
    {
        Classification::Sealed
    } else if !wp.person.protected && g.chance(0.1) {
        Classification::Open
    } else {
        Classification::Restricted
    };
    let created = (w.incident.created_at + Duration::hours(g.int(0, 24 * 30))).min(recording_end());
    wp.person.created_at = created;
    wp.person.updated_at = (created + Duration::hours(g.int(0, 24 * 60))).min(recording_end());
    wp.person.id = PersonId::from_uuid(g.uuid(created));
}

fn birth(g: &mut Gen, event: NaiveDate, age: i64) -> NaiveDate {
    let d = event - Duration::days(age * 365 + g.int(0, 364));
    d.min(Utc::now().date_naive())
}

/// The birth date as known: often only the year, sometimes the month, sometimes not at all.
fn partial(g: &mut Gen, d: NaiveDate) -> Option<PartialDate> {
    let x = g.unit();
    let (month, day) = if x < 0.6 {
        (Some(d.month()), Some(d.day()))
    } else if x < 0.7 {
        (Some(d.month()), None)
    } else if x < 0.95 {
        (None, None)
    } else {
        return None;
    };
    Some(PartialDate {
        year: d.year(),
        month,
        day,
    })
}
