//! Where incidents happen: real places from the embedded gazetteer, chosen by region and then
//! by size. Strikes fall mostly on towns and cities; crimes of occupation spread further into
//! villages, so the two draw with different weights.

use dokaz_gazetteer::{Gazetteer, Place};

use crate::gen::Gen;
use crate::oblasts::{Oblast, OBLASTS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Strike,
    Occupation,
}

/// Places of one oblast with running weight totals for both patterns.
#[derive(Debug)]
struct Region {
    places: Vec<&'static Place>,
    strike_cum: Vec<f64>,
    occupation_cum: Vec<f64>,
}

#[derive(Debug)]
pub(crate) struct PlacePicker {
    /// Indexed like `OBLASTS`; `None` where the gazetteer has no usable place.
    regions: Vec<Option<Region>>,
}

impl PlacePicker {
    pub fn new() -> Self {
        let usable: Vec<&'static Place> = Gazetteer::embedded()
            .located()
            .filter(|p| {
                !p.name_uk.is_empty()
                    && !["abandoned", "historical", "destroyed", "section"]
                        .iter()
                        .any(|k| p.kind.contains(k))
            })
            .collect();
        let regions = OBLASTS
            .iter()
            .map(|o| {
                let places: Vec<&'static Place> = usable
                    .iter()
                    .copied()
                    .filter(|p| p.oblast == o.key)
                    .collect();
                (!places.is_empty()).then(|| {
                    let thousands = |p: &Place| f64::from(p.population.unwrap_or(0)) / 1000.0;
                    Region {
                        strike_cum: running(&places, |p| 0.5 + thousands(p).powf(0.8)),
                        occupation_cum: running(&places, |p| 1.0 + thousands(p).powf(0.5)),
                        places,
                    }
                })
            })
            .collect();
        Self { regions }
    }

    /// An oblast for an incident of `pattern`: crimes of occupation only in regions that were
    /// occupied, and when `long_occupation` only in those still occupied (deportations,
    /// filtration and conscription need a lasting occupation administration).
    pub fn oblast(&self, g: &mut Gen, pattern: Pattern, long_occupation: bool) -> &'static Oblast {
        let weight = |i: usize, o: &Oblast| -> f64 {
            if self.regions[i].is_none() {
                return 0.0;
            }
            match pattern {
                Pattern::Strike => o.strikes,
                Pattern::Occupation if long_occupation => {
                    if o.occupation == crate::oblasts::Occupation::Ongoing {
                        o.occupation_weight
                    } else {
                        0.0
                    }
                }
                Pattern::Occupation => o.occupation_weight,
            }
        };
        let indexed: Vec<(usize, &'static Oblast)> = OBLASTS.iter().enumerate().collect();
        g.pick_weighted(&indexed, |(i, o)| weight(*i, o)).1
    }

    /// A place in `oblast`, larger places more likely.
    pub fn place(&self, g: &mut Gen, oblast: &Oblast, pattern: Pattern) -> &'static Place {
        let i = OBLASTS
            .iter()
            .position(|o| o.key == oblast.key)
            .expect("oblasts come from OBLASTS");
        let region = self.regions[i]
            .as_ref()
            .expect("only oblasts with places are chosen");
        let cum = match pattern {
            Pattern::Strike => &region.strike_cum,
            Pattern::Occupation => &region.occupation_cum,
        };
        let x = g.unit() * cum.last().copied().unwrap_or(0.0);
        let at = cum
            .partition_point(|&c| c <= x)
            .min(region.places.len() - 1);
        region.places[at]
    }
}

fn running(places: &[&Place], weight: impl Fn(&Place) -> f64) -> Vec<f64> {
    let mut total = 0.0;
    places
        .iter()
        .map(|p| {
            total += weight(p);
            total
        })
        .collect()
}
