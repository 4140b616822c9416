//! The place and time levels of an incident comparison, open and blind.

use dokaz_model::Coordinates;

use super::*;
use crate::blind::BlindIncident;
use crate::keys::Keyer;
use crate::signal::Signal;

const DAY: i64 = 86_400;
/// A Monday, 2022-03-07 00:00 UTC.
const T0: i64 = 1_646_611_200;

fn feature(point: Option<Coordinates>, radius_m: f64, start: i64, end: i64) -> IncidentFeatures {
    IncidentFeatures::bare(point, radius_m, start, end)
}

/// A point `metres` north of Bucha's centre.
fn north(metres: f64) -> Coordinates {
    Coordinates {
        lat: 50.5436 + metres / 111_320.0,
        lon: 30.2124,
    }
}

fn levels(a: &IncidentFeatures, b: &IncidentFeatures) -> Vec<Level> {
    let mut s: Vec<Signal> = Vec::new();
    a.compare(b, &mut s);
    s.iter().map(|s| s.level).collect()
}

fn blind_levels(a: &IncidentFeatures, b: &IncidentFeatures) -> Vec<Level> {
    let keyer = Keyer::keyed(b"test key");
    let mut s: Vec<Signal> = Vec::new();
    BlindIncident::encode(a, &keyer).compare(&BlindIncident::encode(b, &keyer), &mut s);
    s.iter().map(|s| s.level).collect()
}

#[test]
fn distances_between_points_climb_a_fixed_ladder() {
    let day = (T0, T0 + DAY);
    let here = feature(Some(north(0.0)), 100.0, day.0, day.1);
    for (metres, level) in [
        (4.0, Level::DistanceSamePoint),
        (40.0, Level::DistanceSameSite),
        (120.0, Level::DistanceNear),
        (250.0, Level::DistanceClose),
        (600.0, Level::DistanceVicinity),
        (1_200.0, Level::DistanceOutskirts),
        (2_500.0, Level::DistanceFar),
    ] {
        // A wide uncertainty on the other side does not make a distance look closer.
        let there = feature(Some(north(metres)), 1_500.0, day.0, day.1);
        assert_eq!(levels(&here, &there)[0], level, "{metres} m");
    }
}

#[test]
fn a_record_placed_by_its_settlement_is_judged_by_distance_from_the_centre() {
    let day = (T0, T0 + DAY);
    let village = feature(Some(north(0.0)), SETTLEMENT_RADIUS_M, day.0, day.1);
    for (metres, level) in [
        (500.0, Level::PlaceSameName),
        (2_000.0, Level::PlaceSettlementEdge),
        (4_500.0, Level::PlaceSettlementWide),
        (20_000.0, Level::DistanceFar),
    ] {
        let point = feature(Some(north(metres)), 100.0, day.0, day.1);
        assert_eq!(levels(&village, &point)[0], level, "{metres} m");
    }
    // Blind, distances are known to the cell: closer than half a cell, two points always
    // share one in the plain or the shifted grid; farther than its diagonal, never.
    for (metres, level) in [
        (300.0, Level::PlaceSameName),
        (1_800.0, Level::PlaceSettlementEdge),
        (20_000.0, Level::DistanceFar),
    ] {
        let point = feature(Some(north(metres)), 100.0, day.0, day.1);
        assert_eq!(
            blind_levels(&village, &point)[0],
            level,
            "blind, {metres} m"
        );
    }
}

#[test]
fn the_share_of_common_time_separates_one_event_from_a_repeat() {
    let p = Some(north(0.0));
    let ten_days = feature(p, 100.0, T0, T0 + 10 * DAY);
    let cases = [
        (T0, T0 + 10 * DAY, Level::TimeSameRange),
        // One day later, nine in common: another agency's estimate of the same detention.
        (T0 + DAY, T0 + 10 * DAY, Level::TimeOverlapMost),
        (T0 + 3 * DAY, T0 + 10 * DAY, Level::TimeOverlapHalf),
        // Shifted by five days: the same kind of attack on the same place, again.
        (T0 + 5 * DAY, T0 + 15 * DAY, Level::TimeOverlapSome),
        // A day inside a month.
        (T0 + 2 * DAY, T0 + 3 * DAY, Level::TimeOverlapLittle),
        (T0 + 12 * DAY, T0 + 13 * DAY, Level::TimeOverlapNone),
    ];
    for (start, end, level) in cases {
        let other = feature(p, 100.0, start, end);
        assert!(
            levels(&ten_days, &other).contains(&level),
            "{start}..{end}: {:?}",
            levels(&ten_days, &other)
        );
        // Whole days: the blind encodings count the same share in day tokens.
        assert!(
            blind_levels(&ten_days, &other).contains(&level),
            "blind {start}..{end}: {:?}",
            blind_levels(&ten_days, &other)
        );
    }
}

#[test]
fn blind_hours_count_the_share_of_short_ranges() {
    let p = Some(north(0.0));
    let a = feature(p, 100.0, T0, T0 + 10 * 3_600);
    let b = feature(p, 100.0, T0 + 3_600, T0 + 10 * 3_600);
    assert!(levels(&a, &b).contains(&Level::TimeOverlapMost));
    assert!(blind_levels(&a, &b).contains(&Level::TimeOverlapMost));
}
