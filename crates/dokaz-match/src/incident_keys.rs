//! Blocking keys of incidents: a grid cell at a size fitting the location's uncertainty,
//! times a time bucket fitting the time's precision. A record files under its own cell and
//! buckets and probes every cell and bucket within reach, so any two records for which
//! [`IncidentFeatures::may_match`] holds meet on at least one key.
//!
//! Records known to the day are also filed under the months they touch, so that a record
//! known only to the month or year finds them through a few month keys instead of probing
//! every day it covers (hundreds of keys times every cell: the slow tail of incremental
//! matching).

use chrono::{DateTime, Datelike};

use crate::geo::{Cell, Grid};
use crate::incident::{IncidentFeatures, SITE_MARGIN_M, TIME_SLACK_S};
use crate::keys::{KeyBuf, Keyer};

/// Spatial levels: (tag, cell size = largest radius filed there). Beyond the last, a record
/// is filed by time alone.
const LEVELS: [(&str, f64); 2] = [("fine", 2_000.0), ("coarse", 25_000.0)];
const DAY: i64 = 86_400;
/// A query spanning more days than this finds the records known to the day through their
/// month keys ([`Granularity::DayByMonth`]) rather than through each day.
const MAX_DAY_PROBES: i64 = 10;
/// A query spanning more months than this does not look for records known to the day or
/// month at all: a record known only to within years cannot be blocked finely anyway.
const MAX_MONTH_PROBES: i64 = 36;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Granularity {
    Day,
    Month,
    Year,
    /// Records known to the day, filed by the months they touch.
    DayByMonth,
}

impl Granularity {
    fn of_span(seconds: i64) -> Self {
        if seconds <= 2 * DAY {
            Self::Day
        } else if seconds <= 62 * DAY {
            Self::Month
        } else {
            Self::Year
        }
    }

    fn tag(self) -> i64 {
        self as i64
    }

    /// Every bucket of this granularity that `[start, end]` touches.
    fn buckets(self, start: i64, end: i64, out: &mut Vec<i64>) {
        out.clear();
        match self {
            Self::Day => {
                let (a, b) = (start.div_euclid(DAY), end.div_euclid(DAY));
                out.extend(a..=b);
            }
            Self::Month | Self::Year | Self::DayByMonth => {
                let month = |t: i64| {
                    let d = DateTime::from_timestamp(t, 0).unwrap_or_default();
                    i64::from(d.year()) * 12 + i64::from(d.month0())
                };
                let (a, b) = (month(start), month(end));
                if self == Self::Year {
                    out.extend(a.div_euclid(12)..=b.div_euclid(12));
                } else if b - a <= MAX_MONTH_PROBES {
                    out.extend(a..=b);
                }
            }
        }
    }
}

/// The level a record is filed at, by its radius; `None` beyond the coarsest grid.
fn level_of(f: &IncidentFeatures) -> Option<usize> {
    LEVELS.iter().position(|&(_, size)| f.radius_m <= size)
}

/// Reusable buffers for key generation.
#[derive(Debug, Default)]
pub struct IncidentKeys {
    buf: KeyBuf,
    cells: Vec<Cell>,
    buckets: Vec<i64>,
}

impl IncidentKeys {
    /// The keys `f` is filed under.
    pub fn filed(&mut self, f: &IncidentFeatures, keyer: &Keyer, out: &mut Vec<u64>) {
        out.clear();
        // The last moment covered, not the exclusive end.
        let end = (f.end - 1).max(f.start);
        let g = Granularity::of_span(end - f.start);
        let place = match (&f.point, level_of(f)) {
            (Some(p), Some(l)) => Some((LEVELS[l].0, Grid::new(LEVELS[l].1).cell(p))),
            (Some(_), None) => Some(("wide", Cell { row: 0, col: 0 })),
            (None, _) => None,
        };
        let also = (g == Granularity::Day).then_some(Granularity::DayByMonth);
        for g in std::iter::once(g).chain(also) {
            g.buckets(f.start, end, &mut self.buckets);
            let buckets = std::mem::take(&mut self.buckets);
            for &b in &buckets {
                if let Some((tag, cell)) = place {
                    out.push(self.cell_key(tag, cell, g, b, keyer));
                }
                if !f.place_key.is_empty() {
                    out.push(self.place_key(&f.place_key, g, b, keyer));
                }
            }
            self.buckets = buckets;
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The keys to look up to find every filed record that may match `f`.
    pub fn probes(&mut self, f: &IncidentFeatures, keyer: &Keyer, out: &mut Vec<u64>) {
        out.clear();
        let (start, end) = (f.start - TIME_SLACK_S, f.end + TIME_SLACK_S);
        let days = if (end - start) / DAY <= MAX_DAY_PROBES {
            Granularity::Day
        } else {
            Granularity::DayByMonth
        };
        for g in [days, Granularity::Month, Granularity::Year] {
            g.buckets(start, end, &mut self.buckets);
            let buckets = std::mem::take(&mut self.buckets);
            if let Some(p) = &f.point {
                for (tag, size) in LEVELS {
                    Grid::new(size).cells_within(
                        p,
                        f.radius_m + SITE_MARGIN_M + size,
                        &mut self.cells,
                    );
                    let cells = std::mem::take(&mut self.cells);
                    for &cell in &cells {
                        for &b in &buckets {
                            out.push(self.cell_key(tag, cell, g, b, keyer));
                        }
                    }
                    self.cells = cells;
                }
                for &b in &buckets {
                    out.push(self.cell_key("wide", Cell { row: 0, col: 0 }, g, b, keyer));
                }
            }
            if !f.place_key.is_empty() {
                for &b in &buckets {
                    out.push(self.place_key(&f.place_key, g, b, keyer));
                }
            }
            self.buckets = buckets;
        }
        out.sort_unstable();
        out.dedup();
    }

    fn cell_key(&mut self, tag: &str, c: Cell, g: Granularity, b: i64, keyer: &Keyer) -> u64 {
        self.buf
            .start("incident-cell")
            .str(tag)
            .int(i64::from(c.row))
            .int(i64::from(c.col))
            .int(g.tag())
            .int(b)
            .finish(keyer)
    }

    fn place_key(&mut self, place: &str, g: Granularity, b: i64, keyer: &Keyer) -> u64 {
        self.buf
            .start("incident-place")
            .str(place)
            .int(g.tag())
            .int(b)
            .finish(keyer)
    }
}

#[cfg(test)]
mod tests;
