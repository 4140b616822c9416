//! The gazetteer of Ukrainian populated places that dokaz ships (see `data/README.md` for its
//! sources and required attribution). It is compiled into the binary so that the demo and
//! place matching work on a laptop with no network and no set-up.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::sync::OnceLock;

use dokaz_model::Coordinates;
use serde::Deserialize;

/// The attribution every product or document that shows gazetteer data must carry.
pub const ATTRIBUTION: &str = "Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0, \
and from the Codifier of administrative-territorial units and territories of territorial communities (KATOTTH) \
of the Ministry for Development of Communities and Territories of Ukraine. \
Modified: joined, names classified and romanised by the dokaz project.";

const CSV: &str = include_str!("../data/ua-settlements.csv");

/// One populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id, or the KATOTTH code for places GeoNames lacks.
    pub id: String,
    pub name_uk: String,
    pub name_ru: String,
    /// National romanisation of `name_uk` (2010 system).
    pub name_en: String,
    /// Every other spelling GeoNames knows (old romanisations, other scripts).
    pub alt_names: Vec<String>,
    pub oblast: String,
    pub raion: String,
    pub hromada: String,
    pub coordinates: Option<Coordinates>,
    pub population: Option<u32>,
    /// `city`, `settlement`, `village`, or a GeoNames feature label.
    pub kind: String,
    pub katotth: String,
}

impl Place {
    /// The name to show: Ukrainian when known, else the romanised one.
    pub fn display_name(&self) -> &str {
        if self.name_uk.is_empty() {
            &self.name_en
        } else {
            &self.name_uk
        }
    }

    /// Every spelling of the place, for matching.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [
            self.name_uk.as_str(),
            self.name_ru.as_str(),
            self.name_en.as_str(),
        ]
        .into_iter()
        .chain(self.alt_names.iter().map(String::as_str))
        .filter(|n| !n.is_empty())
    }
}

#[derive(Deserialize)]
struct Row {
    id: String,
    name_uk: String,
    name_ru: String,
    name_en: String,
    alt_names: String,
    oblast: String,
    raion: String,
    hromada: String,
    lat: Option<f64>,
    lon: Option<f64>,
    population: Option<u32>,
    #[serde(rename = "type")]
    kind: String,
    katotth: String,
}

impl From<Row> for Place {
    fn from(r: Row) -> Self {
        let coordinates = match (r.lat, r.lon) {
            (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
            _ => None,
        };
        Place {
            id: r.id,
            name_uk: r.name_uk,
            name_ru: r.name_ru,
            name_en: r.name_en,
            alt_names: r
                .alt_names
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            oblast: r.oblast,
            raion: r.raion,
            hromada: r.hromada,
            coordinates,
            population: r.population,
            kind: r.kind,
            katotth: r.katotth,
        }
    }
}

/// The parsed gazetteer with its lookup tables.
#[derive(Debug)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_katotth: HashMap<String, usize>,
}

impl Gazetteer {
    /// The embedded gazetteer, parsed on first use (about 0.1 s) and kept for the process.
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(CSV).expect("the embedded gazetteer is valid CSV"))
    }

    pub fn parse(csv_text: &str) -> Result<Self, csv::Error> {
        let mut places = Vec::with_capacity(40_000);
        for row in csv::Reader::from_reader(csv_text.as_bytes()).deserialize::<Row>() {
            places.push(Place::from(row?));
        }
        let by_katotth = places
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.katotth.is_empty())
            .map(|(i, p)| (p.katotth.clone(), i))
            .collect();
        Ok(Self { places, by_katotth })
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn by_katotth(&self, code: &str) -> Option<&Place> {
        self.by_katotth.get(code).map(|&i| &self.places[i])
    }

    /// Places with coordinates, a KATOTTH code and an oblast: what the demo draws from.
    pub fn located(&self) -> impl Iterator<Item = &Place> {
        self.places
            .iter()
            .filter(|p| p.coordinates.is_some() && !p.katotth.is_empty() && !p.oblast.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_has_every_row() {
        let g = Gazetteer::embedded();
        assert_eq!(g.places().len(), 36_704);
        assert_eq!(
            g.places()
                .iter()
                .filter(|p| p.coordinates.is_some())
                .count(),
            33_681
        );
    }

    #[test]
    fn checked_places_from_the_data_notes() {
        let g = Gazetteer::embedded();
        let bucha = g.by_katotth("UA32080070010087821").unwrap();
        assert_eq!(bucha.name_uk, "Буча");
        assert_eq!(bucha.name_en, "Bucha");
        assert_eq!(bucha.oblast, "Kyiv Oblast");
        assert_eq!(bucha.kind, "city");
        let c = bucha.coordinates.unwrap();
        assert!((c.lat - 50.54741).abs() < 1e-9 && (c.lon - 30.20879).abs() < 1e-9);
        let irpin = g.by_katotth("UA32080150010049888").unwrap();
        assert_eq!(irpin.name_ru, "Ирпень");
        assert!(irpin.all_names().any(|n| n == "Irpen'"));
    }
}
