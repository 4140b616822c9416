//! Real incidents and the reports agencies make of them: the first report as the demo makes
//! it, and each further report a copy that another agency got differently — the point moved
//! or missing, the time shifted or coarser, other casualty counts, a weapon not named, another
//! qualification, the narrative in its own language and the place in its own spelling. Some
//! real incidents repeat an earlier one at the same place days apart (a town shelled again),
//! the hard negatives of incident matching.

use chrono::Duration;
use dokaz_model::{Incident, TimeRange};

use crate::agencies::profile;
use crate::gen::{invasion, period_end, Gen};
use crate::harm;
use crate::incidents::{self, Ctx, WorldIncident};
use crate::link::Variation;
use crate::narrative;
use crate::overlap;
use crate::places::PlacePicker;
use crate::romanize::{romanize, System};

/// Share of real incidents that repeat a recent one at the same place with the same kind of
/// attack, 1–10 days later or earlier: front-line towns are shelled day after day.
const REPEAT: f64 = 0.15;
/// A further report has no coordinates, only the place name: statements and press reports
/// name a village or a street, not a point.
const COORDINATES_MISSING: f64 = 0.12;
/// A further report has the same point as the first (taken from a shared source).
const SAME_POINT: f64 = 0.1;
/// Time: shifted (local against UTC, an estimate), or known only more coarsely.
const TIME_SHIFTED: f64 = 0.35;
const TIME_COARSER: f64 = 0.3;
/// Casualty counts are revised as bodies are found, and early reports know fewer.
const CASUALTIES: f64 = 0.6;
/// Weapon identification needs fragments or imagery that not every agency has.
const WEAPON_MISSING: f64 = 0.35;
/// A non-Ukrainian agency without KATOTTH codes or hromadas for the place.
const CODES_MISSING: f64 = 0.4;
/// A place name romanised in the agency's own convention (Charkiw, Kharkov) rather than the
/// national spelling.
const PLACE_OWN_CONVENTION: f64 = 0.2;

/// The real incident behind a first report, kept to repeat it.
#[derive(Debug, Clone, Copy)]
struct Seed {
    scenario: &'static crate::scenarios::Scenario,
    oblast: &'static crate::oblasts::Oblast,
    place: &'static dokaz_gazetteer::Place,
    occurred: TimeRange,
}

#[derive(Debug)]
pub(crate) struct Events {
    places: PlacePicker,
    recent: Vec<Seed>,
    next_slot: usize,
    /// Real incidents drawn as a repeat of another.
    pub repeats: u64,
}

const RECENT: usize = 2048;

impl Events {
    pub fn new() -> Self {
        Self {
            places: PlacePicker::new(),
            recent: Vec::new(),
            next_slot: 0,
            repeats: 0,
        }
    }

    /// The first report of a new real incident, by `agency`.
    pub fn first(&mut self, g: &mut Gen, ctx: &Ctx, agency: usize) -> WorldIncident {
        let w = if !self.recent.is_empty() && g.chance(REPEAT) {
            let s = *g.pick(&self.recent);
            let days = g.int(1, 10) * if g.chance(0.5) { 1 } else { -1 };
            let d = Duration::days(days);
            let mut t = s.occurred;
            if t.start + d >= invasion() && t.end + d <= period_end() {
                t.start += d;
                t.end += d;
            }
            self.repeats += 1;
            incidents::report_of(g, ctx, agency, s.scenario, s.oblast, s.place, t)
        } else {
            incidents::first_report(g, ctx, &self.places, agency)
        };
        let seed = Seed {
            scenario: w.scenario,
            oblast: w.oblast,
            place: w.place,
            occurred: w.incident.occurred,
        };
        if self.recent.len() < RECENT {
            self.recent.push(seed);
        } else {
            self.recent[self.next_slot] = seed;
            self.next_slot = (self.next_slot + 1) % RECENT;
        }
        w
    }
}

/// A further report of the incident of `f` by `agency`, and how it differs.
pub(crate) fn further(
    g: &mut Gen,
    ctx: &Ctx,
    f: &WorldIncident,
    agency: usize,
) -> (Incident, Vec<Variation>) {
    let p = profile(agency);
    let mut i = f.incident.clone();
    i.agency = ctx.agencies[agency].id;
    let mut variations = Vec::new();

    if let Some(c) = f.incident.location.coordinates {
        if g.chance(COORDINATES_MISSING) {
            i.location.coordinates = None;
            i.location.uncertainty_m = None;
            variations.push(Variation::CoordinatesMissing);
        } else if !g.chance(SAME_POINT) {
            // Tens to hundreds of metres: another witness's position, another map.
            let metres = (20.0 + 780.0 * g.unit().powi(2)) as u32;
            i.location.coordinates = Some(incidents::shift(g, c, f64::from(metres)));
            variations.push(Variation::CoordinatesShifted { metres });
            i.location.uncertainty_m = Some(g.int(50, 2_000) as u32).filter(|_| g.chance(0.8));
        }
    }

    let x = g.unit();
    if x < TIME_SHIFTED {
        if let Some((t, minutes)) = overlap::shifted(g, &i.occurred) {
            i.occurred = t;
            variations.push(Variation::TimeShifted { minutes });
        }
    } else if x < TIME_SHIFTED + TIME_COARSER {
        if let Some(t) = overlap::coarser(&i.occurred) {
            i.occurred = t;
            variations.push(Variation::CoarserTime);
        }
    }

    if g.chance(CASUALTIES) {
        i.harm = harm::vary(g, &f.incident.harm);
        if i.harm != f.incident.harm {
            variations.push(Variation::CasualtiesDiffer);
        }
    }

    if !i.weapons.is_empty() && g.chance(WEAPON_MISSING) {
        let k = g.index(i.weapons.len());
        i.weapons.remove(k);
        variations.push(Variation::WeaponMissing);
    }

    i.location.place_name = if p.lang != "uk" && g.chance(PLACE_OWN_CONVENTION) {
        let system = *g.pick(&[
            System::German,
            System::French,
            System::Polish,
            System::BgnPcgn,
            System::RuPassport,
        ]);
        let base = if system.russian_form() && !f.place.name_ru.is_empty() {
            &f.place.name_ru
        } else {
            &f.place.name_uk
        };
        romanize(base, system)
    } else {
        overlap::spelling(g, f.place, p.lang)
    };
    if i.location.place_name != f.incident.location.place_name {
        variations.push(Variation::PlaceNameSpelling);
    }
    if p.lang != "uk" && g.chance(CODES_MISSING) && !i.location.katotth.is_empty() {
        i.location.katotth.clear();
        i.location.hromada.clear();
        variations.push(Variation::AdministrativeCodesMissing);
    }

    i.crimes = incidents::crimes(g, f.scenario, &p);
    i.incident_types = incidents::types(f.scenario, &i.weapons);
    if i.crimes != f.incident.crimes {
        variations.push(Variation::QualificationDiffers);
    }
    // The title names the place as this record spells it.
    i.title = narrative::title(f.scenario, &i.location.place_name, p.lang);
    i.persons.clear();
    incidents::finish(
        g, ctx, &mut i, agency, f.scenario, f.place, f.oblast, f.unit,
    );
    if i.narratives.first().map(|n| &n.lang) != f.incident.narratives.first().map(|n| &n.lang) {
        variations.push(Variation::NarrativeLanguage);
    }
    (i, variations)
}
