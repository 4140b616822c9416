//! When and where an incident happened: a time in the period and region the scenario allows,
//! with the precision sources give, and a point near a real place with an uncertainty radius.

use chrono::{DateTime, Duration, Timelike, Utc};
use dokaz_gazetteer::Place;
use dokaz_model::{Coordinates, Location, TimePrecision, TimeRange};

use crate::gen::{day, invasion, midnight, period_end, Gen};
use crate::oblasts::Oblast;
use crate::places::Pattern;
use crate::scenarios::Scenario;

/// When: strikes over the whole war, most in 2022; crimes of occupation while the region was
/// occupied. Precision as sources give it: strikes often to the hour, occupation to the day or
/// month, detention as a range.
pub(crate) fn occurred(g: &mut Gen, s: &Scenario, oblast: &Oblast) -> TimeRange {
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
pub(crate) fn locate(g: &mut Gen, place: &Place, pattern: Pattern) -> Location {
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
