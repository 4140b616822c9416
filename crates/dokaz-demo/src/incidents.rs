//! First reports of incidents: a scenario placed at a real place and time, as one agency
//! records it. Second reports of the same events by other agencies are made in `overlap`.

use chrono::{Datelike, Duration};
use dokaz_gazetteer::Place;
use dokaz_model::{
    Agency, AgencyKind, Classification, Crime, Incident, IncidentId, IncidentStatus, IncidentType,
    Role, User, UserId, Weapon,
};

use crate::agencies::{profile, Profile};
use crate::gen::{recording_end, Gen};
use crate::link::TrueLink;
use crate::narrative::{self, Facts};
use crate::oblasts::{self, Oblast};
use crate::places::{Pattern, PlacePicker};
use crate::scenarios::{self, Scenario};
use crate::units::{Branch, Registry};
use crate::{harm, overlap};

mod where_when;

pub(crate) use where_when::shift;
use where_when::{locate, occurred};

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
    number(g, agencies, &mut incidents);
    World { incidents }
}

/// Gives most records the agency's own running number, in the order it recorded them
/// (`UAPGO-2022-00042`), unique within the agency.
fn number(g: &mut Gen, agencies: &[Agency], incidents: &mut [WorldIncident]) {
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by_key(|&i| (incidents[i].incident.created_at, incidents[i].incident.id));
    let mut next: std::collections::BTreeMap<(usize, i32), u32> = Default::default();
    for i in order {
        let w = &mut incidents[i];
        if g.chance(0.7) {
            let year = w.incident.created_at.year();
            let n = next.entry((w.agency, year)).or_insert(0);
            *n += 1;
            w.incident.reference = Some(format!("{}-{year}-{n:05}", agencies[w.agency].code));
        }
    }
}

pub(crate) fn first_report(
    g: &mut Gen,
    ctx: &Ctx,
    places: &PlacePicker,
    agency: usize,
) -> WorldIncident {
    let s = scenarios::pick(g);
    let oblast = places.oblast(g, s.pattern, s.long_occupation);
    let place = places.place(g, oblast, s.pattern);
    let occurred = occurred(g, s, oblast);
    report_of(g, ctx, agency, s, oblast, place, occurred)
}

/// The first report of an incident of `s` at `place` at the time `occurred`.
pub(crate) fn report_of(
    g: &mut Gen,
    ctx: &Ctx,
    agency: usize,
    s: &'static Scenario,
    oblast: &'static Oblast,
    place: &'static Place,
    occurred: dokaz_model::TimeRange,
) -> WorldIncident {
    let p = profile(agency);
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
    let lag = Duration::minutes(g.int(90, 60 * 24 * 120));
    i.created_at = (i.occurred.widened_end() + lag).min(recording_end());
    let edited = Duration::minutes(g.int(0, 60 * 24 * 90));
    i.updated_at = (i.created_at + edited).min(recording_end());
    i.id = IncidentId::from_uuid(g.uuid(i.created_at));
    i.reference = None;
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
