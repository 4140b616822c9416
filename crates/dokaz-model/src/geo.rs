//! Where something happened, always with how sure we are of it.

use serde::{Deserialize, Serialize};

use crate::validation::{check_text, Problems};

/// WGS84 decimal degrees. Construct through [`Coordinates::new`] so that an impossible point
/// cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Coordinates {
    /// Checks ranges and reports problems under `field` (e.g. `incident.location`).
    pub fn new(lat: f64, lon: f64, field: &str) -> Result<Self, Problems> {
        let c = Self { lat, lon };
        let mut p = Problems::new();
        c.check(field, &mut p);
        p.into_result().map(|()| c)
    }

    pub fn check(&self, field: &str, p: &mut Problems) {
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            p.push(format!("{field}.lat"), "must be within -90..90");
        }
        if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            p.push(format!("{field}.lon"), "must be within -180..180");
        }
    }

    /// Great-circle distance in metres (haversine; ample for matching at city scale).
    pub fn distance_m(&self, other: &Coordinates) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// The place of an incident: a point with an uncertainty radius, and the names and codes
/// investigators use for it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Radius in metres within which the true point lies; `None` when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_m: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub oblast: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hromada: String,
    /// KATOTTH code: `UA` followed by 17 digits.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub katotth: String,
}

/// The largest uncertainty accepted: beyond 500 km a "location" says nothing.
pub const MAX_UNCERTAINTY_M: u32 = 500_000;

impl Location {
    pub fn check(&self, field: &str, p: &mut Problems) {
        if let Some(c) = &self.coordinates {
            c.check(field, p);
        }
        if let Some(r) = self.uncertainty_m {
            if r > MAX_UNCERTAINTY_M {
                p.push(
                    format!("{field}.uncertainty_m"),
                    format!("must be at most {MAX_UNCERTAINTY_M} metres"),
                );
            }
        }
        check_text(
            p,
            &format!("{field}.place_name"),
            &self.place_name,
            false,
            300,
        );
        check_text(p, &format!("{field}.oblast"), &self.oblast, false, 100);
        check_text(p, &format!("{field}.hromada"), &self.hromada, false, 200);
        if !self.katotth.is_empty() && !is_katotth(&self.katotth) {
            p.push(
                format!("{field}.katotth"),
                "must be UA followed by 17 digits",
            );
        }
    }
}

fn is_katotth(s: &str) -> bool {
    s.len() == 19 && s.starts_with("UA") && s[2..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_coordinates_name_the_field() {
        let err = Coordinates::new(123.0, 30.0, "incident.location").unwrap_err();
        assert_eq!(
            err.to_string(),
            "incident.location.lat: must be within -90..90"
        );
        let err = Coordinates::new(f64::NAN, 181.0, "x").unwrap_err();
        assert_eq!(err.len(), 2);
    }

    #[test]
    fn bucha_to_irpin_is_about_four_km() {
        let bucha = Coordinates::new(50.54741, 30.20879, "a").unwrap();
        let irpin = Coordinates::new(50.52201, 30.24037, "b").unwrap();
        let d = bucha.distance_m(&irpin);
        assert!((3_000.0..4_500.0).contains(&d), "{d}");
    }

    #[test]
    fn katotth_shape() {
        assert!(is_katotth("UA32080070010087821"));
        assert!(!is_katotth("UA3208007001008782"));
        assert!(!is_katotth("UX32080070010087821"));
    }
}
