//! First reports of incidents: a scenario placed at a real place and time, as one agency
//! records it. Second reports of the same events by other agencies are made in `overlap`.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use dokaz_gazetteer::Place;
use dokaz_model::{
    Agency, AgencyKind, Classification, Coordinates, Crime, Incident, IncidentId, IncidentStatus,
    IncidentType, Location, Role, TimePrecision, TimeRange, User, UserId, Weapon,
};

use crate::agencies::{profile, Profile};
use crate::gen::{day, invasion, midnight, period_end, recording_end, Gen};
use crate::link::TrueLink;
use crate::narrative::{self, Facts};
use crate::oblasts::{self, Oblast};
use crate::places::{Pattern, PlacePicker};
use crate::scenarios::{self, Scenario};
use crate::units::{Branch, Registry};
use crate::{harm, overlap};

/// An incident record with what the generator knows about it beyond the record itself.
#[derive(Debug)]
pub(crate) struct WorldIncident {
    pub incident: Incident,
    pub agency: usize,
    pub scenario: &'static Scenario,
    pub place: &'static Place,
    pub oblast: &'static Oblast,
    /// The real unit blamed, as an index into the registry.
    pub unit: Option<usize>,
    /// For a second report, the index of the first.
    pub first: Option<usize>,
}

#[derive(Debug)]
pub(crate) struct World {
    pub incidents: Vec<WorldIncident>,
}

/// Shared inputs of incident generation.
pub(crate) struct Ctx<'a> {
    pub agencies: &'a [Agency],
    pub users: &'a [User],
    pub registry: &'a Registry,
}

impl Ctx<'_> {
    /// An investigator of agency `agency`, who records its incidents.
    pub fn recorder(&self, g: &mut Gen, agency: usize) -> Option<UserId> {
        let ids: Vec<UserId> = self
            .users
            .iter()
            .filter(|u| u.agency == self.agencies[agency].id && u.has_role(Role::Investigator))
            .map(|u| u.id)
            .collect();
        (!ids.is_empty()).then(|| *g.pick(&ids))
    }

    /// An agency in proportion to how much it records, other than `except`.
    pub fn agency(&self, g: &mut Gen, except: Option<usize>) -> usize {
        let candidates: Vec<usize> = (0..self.agencies.len())
            .filter(|&i| Some(i) != except)
            .collect();
        *g.pick_weighted(&candidates, |&i| profile(i).weight)
    }
}

/// `total` incident records: first reports, and for `overlap` of the events a second report.
#[allow(clippy::too_many_arguments)]
pub(crate) fn generate(
    g: &mut Gen,
    agencies: &[Agency],
    users: &[User],
    places: &PlacePicker,
    registry: &Registry,
    total: usize,
    overlap: f64,
    links: &mut Vec<TrueLink>,
) -> World {
    let ctx = Ctx {
        agencies,
        users,
        registry,
    };
    let seconds = ((total as f64) * overlap / (1.0 + overlap)).round() as usize;
    let firsts = total - seconds;
    let mut incidents: Vec<WorldIncident> = (0..firsts)
        .map(|_| {
            let agency = ctx.agency(g, None);
            first_report(g, &ctx, places, agency)
        })
        .collect();
    overlap::second_reports(g, &ctx, &mut incidents, seconds, links);
    World { incidents }
}

fn first_report(g: &mut Gen, ctx: &Ctx, places: &PlacePicker, agency: usize) -> WorldIncident {
    let p = profile(agency);
    let s = scenarios::pick(g);
    let oblast = places.oblast(g, s.pattern, s.long_occupation);
    let place = places.place(g, oblast, s.pattern);
    let occurred = occurred(g, s, oblast);
    let location = locate(g, place, s.pattern);

    let mut weapons: Vec<Weapon> = Vec::new();
    if !s.weapons.is_empty() && (s.pattern == Pattern::Strike || g.chance(0.6)) {
        weapons.push(*g.pick(s.weapons));
        if s.weapons.len() > 1 && g.chance(0.2) {
            let w = *g.pick(s.weapons);
            if !weapons.contains(&w) {
                weapons.push(w);
            }
        }
    }
    let mut objects = Vec::new();
    if !s.objects.is_empty() {
        objects.push(*g.pick(s.objects));
        let o = *g.pick(s.objects);
        if g.chance(0.15) && !objects.contains(&o) {
            objects.push(o);
        }
    }
    let harm = harm::draw(g, s);

    let unit_chance = if s.pattern == Pattern::Strike {
        0.2
    } else {
        0.35
    };
    let unit = if g.chance(unit_chance) {
        let derived;
        let branches = if s.units.is_empty() {
            derived = [weapons.first().map_or(Branch::Artillery, |w| branch_of(*w))];
            &derived[..]
        } else {
            s.units
        };
        ctx.registry.pick(g, branches)
    } else {
        None
    };

    let mut incident = Incident {
        id: IncidentId::new(),
        agency: ctx.agencies[agency].id,
        reference: None,
        title: narrative::title(s, &narrative::place_name(place, p.lang), p.lang),
        occurred,
        location,
        crimes: crimes(g, s, &p),
        incident_types: types(s, &weapons),
        weapons,
        protected_objects: objects,
        harm,
        perpetrator_units: vec![],
        perpetrators_text: String::new(),
        persons: vec![],
        narratives: vec![],
        status: IncidentStatus::Reported,
        classification: Classification::Restricted,
        created_by: None,
        created_at: occurred.start,
        updated_at: occurred.start,
    };
    finish(g, ctx, &mut incident, agency, s, place, oblast, unit);
    WorldIncident {
        incident,
        agency,
        scenario: s,
        place,
        oblast,
        unit,
        first: None,
    }
}

/// What every report gets from its own agency: narratives in its language, its unit record,
/// status, classification, reference, recorder and recording times (which also fix the id).
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    g: &mut Gen,
    ctx: &Ctx,
    i: &mut Incident,
    agency: usize,
    s: &Scenario,
    place: &Place,
    oblast: &'static Oblast,
    unit: Option<usize>,
) {
    let p = profile(agency);
    let lang = if p.lang == "uk" && oblasts::russian_speaking(oblast.key) && g.chance(0.1) {
        "ru"
    } else {
        p.lang
    };
    i.perpetrator_units.clear();
    i.perpetrators_text.clear();
    if let Some(u) = unit {
        match ctx.registry.record_of(u, agency) {
            Some(id) => i.perpetrator_units.push(id),
            None => {
                let [abbr, ru, en] = &ctx.registry.real[u].names;
                i.perpetrators_text = match lang {
                    "uk" => abbr.clone(),
                    "ru" => ru.clone(),
                    _ => en.clone(),
                };
            }
        }
    }
    let facts = Facts {
        scenario: s,
        place: narrative::place_name(place, lang),
        oblast,
        occurred: i.occurred,
        weapons: &i.weapons,
        objects: &i.protected_objects,
        harm: &i.harm,
        perpetrators: &i.perpetrators_text,
    };
    i.narratives = vec![narrative::narrative(g, &facts, lang)];
    if g.chance(0.25) {
        let wl = if oblasts::russian_speaking(oblast.key) && g.chance(0.5) {
            "ru"
        } else {
            "uk"
        };
        i.narratives.push(narrative::witness_statement(g, s, wl));
    }
    i.status = *g.pick_weighted(&IncidentStatus::ALL, |st| match st {
        IncidentStatus::Reported => 35.0,
        IncidentStatus::UnderInvestigation => 40.0,
        IncidentStatus::Verified => 20.0,
        IncidentStatus::Closed => 5.0,
    });
    let (open, sealed) = if s.sensitive {
        (0.03, 0.4)
    } else {
        (0.15, 0.08)
    };
    let x = g.unit();
    i.classification = if x < open {
        Classification::Open
    } else if x < open + sealed {
        Classification::Sealed
    } else {
        Classification::Restricted
    };
    i.created_by = ctx.recorder(g, agency);
    let lag = Duration::hours(g.int(2, 24 * 120));
    i.created_at = (i.occurred.widened_end() + lag).min(recording_end());
    i.updated_at = (i.created_at + Duration::hours(g.int(0, 24 * 90))).min(recording_end());
    i.id = IncidentId::from_uuid(g.uuid(i.created_at));
    i.reference = g.chance(0.7).then(|| {
        let serial = g.int(1, 99_999);
        format!(
            "{}-{}-{serial:05}",
            ctx.agencies[agency].code,
            i.created_at.year()
        )
    });
}

/// The legal qualification an agency of profile `p` gives an incident of `s`.
pub(crate) fn crimes(g: &mut Gen, s: &Scenario, p: &Profile) -> Vec<Crime> {
    if p.kind == AgencyKind::Ngo && g.chance(0.2) {
        return vec![]; // documenters often record facts and leave qualification to prosecutors
    }
    s.crimes
        .iter()
        .copied()
        .chain(s.maybe_crimes.iter().copied().filter(|_| g.chance(0.35)))
        .filter(|c| p.national_law || c.statute() == dokaz_model::taxonomy::Statute::RomeStatute)
        .collect()
}

pub(crate) fn types(s: &Scenario, weapons: &[Weapon]) -> Vec<IncidentType> {
    if !s.types.is_empty() {
        return s.types.to_vec();
    }
    let mut out: Vec<IncidentType> = Vec::new();
    for w in weapons {
        let t = scenarios::strike_type(*w);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push(IncidentType::Shelling);
    }
    out
}

fn branch_of(w: Weapon) -> Branch {
    match w {
        Weapon::Mlrs => Branch::Rocket,
        Weapon::BallisticMissile | Weapon::CruiseMissile | Weapon::LoiteringMunition => {
            Branch::Missile
        }
        Weapon::AirDroppedBomb => Branch::Aviation,
        Weapon::Drone | Weapon::SmallArms | Weapon::ArmouredVehicle => Branch::Ground,
        _ => Branch::Artillery,
    }
}

/// When: strikes over the whole war, most in 2022; crimes of occupation while the region was
/// occupied. Precision as sources give it: strikes often to the hour, occupation to the day or
/// month, detention as a range.
fn occurred(g: &mut Gen, s: &Scenario, oblast: &Oblast) -> TimeRange {
    let (from, to) = match (s.pattern, oblast.occupied_until()) {
        (Pattern::Occupation, Some(until)) => (invasion(), midnight(until)),
        _ => {
            let year = *g.pick_weighted(&[2022, 2023, 2024, 2025], |y| match y {
                2022 => 40.0,
                2023 => 25.0,
                2024 => 22.0,
                _ => 13.0,
            });
            let start = midnight(day(year, 1, 1)).max(invasion());
            (start, midnight(day(year, 12, 31)))
        }
    };
    let at = g.between(from, to.min(period_end()));
    let date = at.date_naive();
    let x = g.unit();
    match s.pattern {
        Pattern::Strike if x < 0.2 => TimeRange::instant(trunc_minute(at), TimePrecision::Minute),
        Pattern::Strike if x < 0.55 => TimeRange::instant(trunc_hour(at), TimePrecision::Hour),
        Pattern::Strike if x < 0.9 => TimeRange::from_date(date, TimePrecision::Day),
        Pattern::Occupation if x < 0.45 => TimeRange::from_date(date, TimePrecision::Day),
        Pattern::Occupation if x < 0.8 => TimeRange::from_date(date, TimePrecision::Month),
        Pattern::Occupation => {
            let start = midnight(date);
            let end = (start + Duration::days(g.int(1, 40))).min(to).max(start);
            TimeRange {
                start,
                end,
                precision: TimePrecision::Day,
            }
        }
        _ => TimeRange::from_date(date, TimePrecision::Month),
    }
}

fn trunc_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t - Duration::seconds(i64::from(t.minute() * 60 + t.second()))
}

fn trunc_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t - Duration::seconds(i64::from(t.second()))
}

/// The point: the place's centre moved within the built-up area (larger for larger places),
/// with an uncertainty radius as a source would state it.
fn locate(g: &mut Gen, place: &Place, pattern: Pattern) -> Location {
    let centre = place
        .coordinates
        .expect("the picker only offers located places");
    let spread = 300.0 + (f64::from(place.population.unwrap_or(0))).sqrt() * 4.0;
    let distance = spread.min(6_000.0) * g.unit().sqrt();
    let point = shift(g, centre, distance);
    let uncertainty = match pattern {
        _ if g.chance(0.1) => None,
        Pattern::Strike => Some(g.int(20, 500) as u32),
        Pattern::Occupation => Some(g.int(100, 3_000) as u32),
    };
    Location {
        coordinates: Some(point),
        uncertainty_m: uncertainty,
        place_name: place.name_uk.clone(),
        oblast: place.oblast.clone(),
        hromada: place.hromada.clone(),
        katotth: place.katotth.clone(),
    }
}

/// `c` moved `metres` in a random direction.
pub(crate) fn shift(g: &mut Gen, c: Coordinates, metres: f64) -> Coordinates {
    let angle = g.float(0.0, std::f64::consts::TAU);
    let dlat = metres * angle.sin() / 111_320.0;
    let dlon = metres * angle.cos() / (111_320.0 * c.lat.to_radians().cos());
    Coordinates {
        lat: (c.lat + dlat).clamp(-90.0, 90.0),
        lon: (c.lon + dlon).clamp(-180.0, 180.0),
    }
}
