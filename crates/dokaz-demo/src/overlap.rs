//! Second reports: the same real event as another agency records it. Each differs from the first
//! the way real records do — the point tens to hundreds of metres away, the time shifted or
//! coarser, other casualty numbers, a weapon not named, the place spelt in another script, the
//! narrative in another language — and each pair is written down in the links.

use chrono::{Duration, Timelike};
use dokaz_gazetteer::Place;
use dokaz_model::{TimePrecision, TimeRange};

use crate::agencies::profile;
use crate::gen::{period_end, Gen};
use crate::harm;
use crate::incidents::{self, Ctx, WorldIncident};
use crate::link::{LinkedPair, TrueLink, Variation};
use crate::narrative;

/// Adds `count` second reports of distinct first reports (cycling only if asked for more
/// second reports than there are events).
pub(crate) fn second_reports(
    g: &mut Gen,
    ctx: &Ctx,
    incidents: &mut Vec<WorldIncident>,
    count: usize,
    links: &mut Vec<TrueLink>,
) {
    if incidents.is_empty() || ctx.agencies.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    g.shuffle(&mut order);
    for k in 0..count {
        let first = order[k % order.len()];
        let (w, link) = second_report(g, ctx, &incidents[first], first);
        links.push(link);
        incidents.push(w);
    }
}

fn second_report(
    g: &mut Gen,
    ctx: &Ctx,
    f: &WorldIncident,
    first: usize,
) -> (WorldIncident, TrueLink) {
    let agency = ctx.agency(g, Some(f.agency));
    let p = profile(agency);
    let mut i = f.incident.clone();
    i.agency = ctx.agencies[agency].id;
    let mut variations = Vec::new();

    if let Some(c) = f.incident.location.coordinates {
        let metres = g.int(20, 800) as u32;
        i.location.coordinates = Some(incidents::shift(g, c, f64::from(metres)));
        variations.push(Variation::CoordinatesShifted { metres });
        i.location.uncertainty_m = Some(g.int(50, 2_000) as u32).filter(|_| g.chance(0.8));
    }

    let x = g.unit();
    if x < 0.4 {
        if let Some((t, minutes)) = shifted(g, &i.occurred) {
            i.occurred = t;
            variations.push(Variation::TimeShifted { minutes });
        }
    } else if x < 0.7 {
        if let Some(t) = coarser(&i.occurred) {
            i.occurred = t;
            variations.push(Variation::CoarserTime);
        }
    }

    if g.chance(0.6) {
        i.harm = harm::vary(g, &f.incident.harm);
        if i.harm != f.incident.harm {
            variations.push(Variation::CasualtiesDiffer);
        }
    }

    if !i.weapons.is_empty() && g.chance(0.35) {
        let k = g.index(i.weapons.len());
        i.weapons.remove(k);
        variations.push(Variation::WeaponMissing);
    }

    i.location.place_name = spelling(g, f.place, p.lang);
    if i.location.place_name != f.incident.location.place_name {
        variations.push(Variation::PlaceNameSpelling);
    }
    if p.lang != "uk" && g.chance(0.4) {
        i.location.katotth.clear();
        i.location.hromada.clear();
        variations.push(Variation::AdministrativeCodesMissing);
    }

    i.crimes = incidents::crimes(g, f.scenario, &p);
    i.incident_types = incidents::types(f.scenario, &i.weapons);
    if i.crimes != f.incident.crimes {
        variations.push(Variation::QualificationDiffers);
    }
    i.title = narrative::title(f.scenario, &narrative::place_name(f.place, p.lang), p.lang);
    i.persons.clear();
    incidents::finish(
        g, ctx, &mut i, agency, f.scenario, f.place, f.oblast, f.unit,
    );
    if i.narratives.first().map(|n| &n.lang) != f.incident.narratives.first().map(|n| &n.lang) {
        variations.push(Variation::NarrativeLanguage);
    }

    let link = TrueLink {
        pair: LinkedPair::Incident {
            a: f.incident.id,
            b: i.id,
        },
        agencies: [f.incident.agency, i.agency],
        variations,
    };
    let w = WorldIncident {
        incident: i,
        agency,
        scenario: f.scenario,
        place: f.place,
        oblast: f.oblast,
        unit: f.unit,
        first: Some(first),
    };
    (w, link)
}

/// The time moved by minutes (precise times) or by a day (local date against UTC date).
pub(crate) fn shifted(g: &mut Gen, t: &TimeRange) -> Option<(TimeRange, i64)> {
    let minutes = match t.precision {
        TimePrecision::Second | TimePrecision::Minute | TimePrecision::Hour => {
            g.int(5, 180) * if g.chance(0.5) { 1 } else { -1 }
        }
        TimePrecision::Day if t.end == t.start => 1440 * if g.chance(0.5) { 1 } else { -1 },
        _ => return None,
    };
    let d = Duration::minutes(minutes);
    let mut out = TimeRange {
        start: t.start + d,
        end: t.end + d,
        precision: t.precision,
    };
    if out.precision == TimePrecision::Hour {
        // An hour-precise time is on the hour.
        let drop = Duration::minutes(i64::from(out.start.minute()));
        out.start -= drop;
        out.end -= drop;
    }
    let moved = (out.start - t.start).num_minutes();
    (moved != 0 && out.end <= period_end()).then_some((out, moved))
}

/// The same time known only to the day (precise times) or to the month (days and ranges).
pub(crate) fn coarser(t: &TimeRange) -> Option<TimeRange> {
    let date = t.start.date_naive();
    match t.precision {
        TimePrecision::Second | TimePrecision::Minute | TimePrecision::Hour => {
            Some(TimeRange::from_date(date, TimePrecision::Day))
        }
        TimePrecision::Day => Some(TimeRange::from_date(date, TimePrecision::Month)),
        _ => None,
    }
}

/// The place's name as a second agency writes it: in its own script, sometimes an older
/// romanisation or the Russian form that the gazetteer also knows.
pub(crate) fn spelling(g: &mut Gen, place: &Place, lang: &str) -> String {
    let alternatives: Vec<&String> = place
        .alt_names
        .iter()
        .filter(|n| {
            n.chars()
                .all(|c| c.is_ascii() || ('\u{400}'..='\u{4ff}').contains(&c) || c == '’')
        })
        .collect();
    if !alternatives.is_empty() && g.chance(0.25) {
        return (*g.pick(&alternatives)).clone();
    }
    if lang == "uk" && g.chance(0.3) {
        return narrative::place_name(place, "ru");
    }
    narrative::place_name(place, lang)
}
