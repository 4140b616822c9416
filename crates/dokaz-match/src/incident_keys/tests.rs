//! The blocking guarantee: any two incidents that may match share a key, whatever their
//! precisions — the property the month keys of day-precise records must keep.

use dokaz_model::Coordinates;
use proptest::prelude::*;

use super::*;

const HOUR: i64 = 3_600;
/// 2022-02-24 00:00 UTC.
const T0: i64 = 1_645_660_800;

/// A record as precise as `span_kind` says: an hour, a day, a few days, a month, a year.
fn record(
    lat_m: f64,
    lon_m: f64,
    radius_m: f64,
    has_point: bool,
    start_h: i64,
    span_kind: u8,
) -> IncidentFeatures {
    let span = match span_kind {
        0 => HOUR,
        1 => DAY,
        2 => 2 * DAY,
        3 => 9 * DAY,
        4 => 31 * DAY,
        _ => 365 * DAY,
    };
    let start = T0 + start_h * HOUR;
    let point = has_point.then(|| Coordinates {
        lat: 49.0 + lat_m / 111_320.0,
        lon: 36.0 + lon_m / 73_000.0,
    });
    let mut f = IncidentFeatures::bare(point, radius_m, start, start + span);
    f.coarse_time = span_kind >= 4;
    f
}

fn arb_record() -> impl Strategy<Value = IncidentFeatures> {
    (
        -4_000.0..4_000.0f64,
        -4_000.0..4_000.0f64,
        prop_oneof![
            Just(50.0),
            Just(250.0),
            Just(1_900.0),
            Just(5_000.0),
            Just(30_000.0)
        ],
        prop::bool::weighted(0.9),
        0..(40 * 24i64),
        0..6u8,
    )
        .prop_map(|(y, x, r, p, t, s)| record(y, x, r, p, t, s))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn records_that_may_match_share_a_key(a in arb_record(), b in arb_record()) {
        prop_assume!(a.may_match(&b));
        let mut keys = IncidentKeys::default();
        let (mut filed, mut probes) = (Vec::new(), Vec::new());
        keys.filed(&a, &Keyer::Plain, &mut filed);
        keys.probes(&b, &Keyer::Plain, &mut probes);
        prop_assert!(
            filed.iter().any(|k| probes.binary_search(k).is_ok()),
            "no common key: {a:?} {b:?}"
        );
    }
}

#[test]
fn a_month_query_probes_months_not_every_day() {
    let month = record(0.0, 0.0, 250.0, true, 0, 4);
    let year = record(0.0, 0.0, 250.0, true, 0, 5);
    let mut keys = IncidentKeys::default();
    let (mut m, mut y) = (Vec::new(), Vec::new());
    keys.probes(&month, &Keyer::Plain, &mut m);
    keys.probes(&year, &Keyer::Plain, &mut y);
    // Cells within reach (a few dozen) times a few months, not times every day.
    assert!(m.len() < 300, "{} keys for a month", m.len());
    assert!(y.len() < 1_500, "{} keys for a year", y.len());
}
