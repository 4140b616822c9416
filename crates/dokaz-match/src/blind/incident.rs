//! An incident as keyed encodings: its point as tokens of the cells containing it in grids
//! of several sizes (each twice, the second grid shifted by half a cell, so that two near
//! points on either side of a cell edge still share a cell at the next size), its time as
//! tokens of the hours, days, months and years it covers, what happened as tokens of
//! taxonomy codes, and the narrative as a Bloom filter of word keys. Compared, it yields the
//! same levels as [`IncidentFeatures::compare`], with distances known only to the cell size
//! and the share of common time counted in whole hours, days or months.

use dokaz_model::{AgencyId, Coordinates, IncidentId};

use super::bloom::Bloom;
use crate::geo::Grid;
use crate::incident::IncidentFeatures;
use crate::keys::{KeyBuf, Keyer};
use crate::signal::{Detail, Sink};
use crate::weights::Level;

/// Grid sizes for the point, smallest first, and the level sharing a cell implies: between
/// two points of their own, and between a point and a record placed by its settlement
/// (`None`: that size says nothing in that case). Two points share a cell of size `s` (in the
/// plain or the shifted grid) only if they are less than `s·√2` apart, and nearly always if
/// they are less than `s/2` apart, so each size stands for the open comparison's band.
const SIZES: [(f64, Option<Level>, Option<Level>); 8] = [
    (20.0, Some(Level::DistanceSamePoint), None),
    (70.0, Some(Level::DistanceSameSite), None),
    (200.0, Some(Level::DistanceNear), None),
    (400.0, Some(Level::DistanceClose), None),
    (
        1_000.0,
        Some(Level::DistanceVicinity),
        Some(Level::PlaceSameName),
    ),
    (2_000.0, Some(Level::DistanceOutskirts), None),
    (4_000.0, None, Some(Level::PlaceSettlementEdge)),
    (8_000.0, None, Some(Level::PlaceSettlementWide)),
];
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// Ranges up to this long are also kept as hour tokens, and up to [`DAYS_SPAN`] as day
/// tokens, so that the common share of two ranges is counted at the finest unit both have.
const HOURS_SPAN: i64 = 2 * DAY;
const DAYS_SPAN: i64 = 62 * DAY;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlindIncident {
    pub id: IncidentId,
    pub agency: AgencyId,
    /// Per size: the cell tokens in the plain and the shifted grid.
    cells: Option<[[u64; 2]; SIZES.len()]>,
    /// Placed by its settlement only (no point of its own): distances inside it mean nothing.
    settlement: bool,
    place: Option<u64>,
    coarse_time: bool,
    /// The exact range, start and end.
    range: u64,
    /// Three-hour windows covered (plain and shifted), only for times known to the hour.
    hours: Vec<u64>,
    /// Hours covered, for ranges up to [`HOURS_SPAN`].
    hours_covered: Vec<u64>,
    /// Days covered, for ranges up to [`DAYS_SPAN`].
    days: Vec<u64>,
    /// `days` and the day before and after each.
    days_reach: Vec<u64>,
    /// `days` and three days either side.
    days_far: Vec<u64>,
    months: Vec<u64>,
    years: Vec<u64>,
    crimes: Vec<u64>,
    types: Vec<u64>,
    weapons: Vec<u64>,
    objects: Vec<u64>,
    /// Tokens of the casualty total and of its neighbourhood.
    casualties: Option<(u64, [u64; 3])>,
    words: Option<Bloom>,
    entities: Vec<u64>,
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

fn common(a: &[u64], b: &[u64]) -> u32 {
    crate::incident::count_common(a, b)
}

/// A bucket of casualty totals wide enough that counts reported as "close" by the open
/// comparison mostly fall in the same or a neighbouring bucket.
fn casualty_bucket(n: u32) -> i64 {
    ((f64::from(n) + 1.0).ln() / 1.25f64.ln()).floor() as i64
}

impl BlindIncident {
    pub fn encode(f: &IncidentFeatures, keyer: &Keyer) -> Self {
        let mut buf = KeyBuf::default();
        let cells = f.point.map(|p| {
            SIZES.map(|(size, _, _)| {
                let g = Grid::new(size);
                let shifted = Coordinates {
                    lat: p.lat + size / 2.0 / 111_320.0,
                    lon: p.lon + size / 2.0 / (111_320.0 * p.lat.to_radians().cos().max(0.01)),
                };
                [(0, p), (1, shifted)].map(|(k, q)| {
                    let c = g.cell(&q);
                    buf.start("bi-cell")
                        .int(size as i64)
                        .int(k)
                        .int(c.row.into())
                        .int(c.col.into())
                        .finish(keyer)
                })
            })
        });
        let end = (f.end - 1).max(f.start);
        let span = end - f.start;
        let range = |buf: &mut KeyBuf, tag: &str, unit: i64, offset: i64, reach: i64| {
            let (a, b) = (
                (f.start + offset).div_euclid(unit),
                (end + offset).div_euclid(unit),
            );
            (a - reach..=b + reach)
                .take(800)
                .map(|x| buf.start(tag).int(offset).int(x).finish(keyer))
                .collect::<Vec<_>>()
        };
        let hours = if span <= HOUR {
            let mut h = range(&mut buf, "bi-3h", 3 * HOUR, 0, 0);
            h.extend(range(&mut buf, "bi-3h", 3 * HOUR, 3 * HOUR / 2, 0));
            sorted(h)
        } else {
            Vec::new()
        };
        let hours_covered = if span < HOURS_SPAN {
            sorted(range(&mut buf, "bi-hour", HOUR, 0, 0))
        } else {
            Vec::new()
        };
        let (days, days_reach, days_far) = if span < DAYS_SPAN {
            (
                sorted(range(&mut buf, "bi-day", DAY, 0, 0)),
                sorted(range(&mut buf, "bi-day", DAY, 0, 1)),
                sorted(range(&mut buf, "bi-day", DAY, 0, 3)),
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let month_of = |t: i64| {
            use chrono::Datelike;
            let d = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
            (i64::from(d.year()), i64::from(d.month0()))
        };
        let ((y0, m0), (y1, m1)) = (month_of(f.start), month_of(end));
        let months = sorted(
            (y0 * 12 + m0..=y1 * 12 + m1)
                .take(120)
                .map(|m| buf.start("bi-month").int(m).finish(keyer))
                .collect(),
        );
        let years = sorted(
            (y0..=y1)
                .take(10)
                .map(|y| buf.start("bi-year").int(y).finish(keyer))
                .collect(),
        );
        let codes = |buf: &mut KeyBuf, tag: &str, c: &mut dyn Iterator<Item = &'static str>| {
            sorted(c.map(|c| buf.start(tag).str(c).finish(keyer)).collect())
        };
        let total = match (f.killed, f.injured) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        let words = (!f.words.is_empty()).then(|| {
            let mut b = Bloom::default();
            for w in &f.words {
                b.add(keyer, &w.to_le_bytes());
            }
            b
        });
        Self {
            id: f.id,
            agency: f.agency,
            cells,
            settlement: f.radius_m > crate::incident::SITE_SCALE_M,
            place: (!f.place_key.is_empty())
                .then(|| buf.start("bi-place").str(&f.place_key).finish(keyer)),
            coarse_time: f.coarse_time,
            range: buf.start("bi-range").int(f.start).int(f.end).finish(keyer),
            hours,
            hours_covered,
            days,
            days_reach,
            days_far,
            months,
            years,
            crimes: codes(&mut buf, "bi-crime", &mut f.crimes.iter().map(|c| c.code())),
            types: codes(&mut buf, "bi-type", &mut f.types.iter().map(|c| c.code())),
            weapons: codes(
                &mut buf,
                "bi-weapon",
                &mut f.weapons.iter().map(|c| c.code()),
            ),
            objects: codes(
                &mut buf,
                "bi-object",
                &mut f.objects.iter().map(|c| c.code()),
            ),
            casualties: total.map(|n| {
                let b = casualty_bucket(n);
                (
                    buf.start("bi-cas").int(n.into()).finish(keyer),
                    [b - 1, b, b + 1].map(|x| buf.start("bi-casb").int(x).finish(keyer)),
                )
            }),
            words,
            entities: sorted(
                f.entities
                    .iter()
                    .map(|e| buf.start("bi-ent").int(*e as i64).finish(keyer))
                    .collect(),
            ),
        }
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        match (&self.cells, &o.cells) {
            (Some(a), Some(b)) => {
                let settlement = self.settlement || o.settlement;
                let level = SIZES
                    .iter()
                    .zip(a.iter().zip(b))
                    .filter(|(_, (x, y))| x[0] == y[0] || x[1] == y[1])
                    .find_map(|((_, point, place), _)| if settlement { *place } else { *point })
                    .unwrap_or(Level::DistanceFar);
                sink.push(level, Detail::None);
            }
            _ => match (self.place, o.place) {
                (Some(a), Some(b)) if a == b => sink.push(Level::PlaceSameName, Detail::None),
                (Some(_), Some(_)) => sink.push(Level::PlaceDifferentName, Detail::None),
                _ => {}
            },
        }
        let level = if self.coarse_time || o.coarse_time {
            // Known to the year on either side: the years decide; otherwise the months.
            let by_year = self.months.len() > 2 || o.months.len() > 2;
            if common(&self.months, &o.months) > 0 || (by_year && common(&self.years, &o.years) > 0)
            {
                Level::TimeCoarseOverlap
            } else {
                Level::TimeApart
            }
        } else if common(&self.hours, &o.hours) > 0 {
            Level::TimeHours
        } else if common(&self.days_reach, &o.days) > 0 {
            Level::TimeSameDay
        } else if common(&self.days_far, &o.days) > 0 {
            Level::TimeDays
        } else {
            Level::TimeApart
        };
        sink.push(level, Detail::None);
        sink.push(self.overlap(o), Detail::None);
        sets(
            &self.crimes,
            &o.crimes,
            Level::CrimesSame,
            Some(Level::CrimesOverlap),
            Level::CrimesDisjoint,
            sink,
        );
        sets(
            &self.weapons,
            &o.weapons,
            Level::WeaponSame,
            None,
            Level::WeaponConflict,
            sink,
        );
        sets(
            &self.objects,
            &o.objects,
            Level::ObjectSame,
            None,
            Level::ObjectConflict,
            sink,
        );
        if let (Some((a, ab)), Some((b, _))) = (self.casualties, o.casualties) {
            let bb = o.casualties.map(|c| c.1[1]);
            let level = if a == b {
                Level::CasualtiesSame
            } else if bb.is_some_and(|x| ab.contains(&x)) {
                Level::CasualtiesClose
            } else {
                Level::CasualtiesDiffer
            };
            sink.push(level, Detail::None);
        }
        if let (Some(a), Some(b)) = (&self.words, &o.words) {
            // Dice of the encodings; for sets of words, Dice = 2J/(1+J), so the open
            // thresholds J = 0.35 and 0.12 become about 0.52 and 0.21.
            let d = a.dice(b);
            let level = if d >= 0.52 {
                Level::TextSimilar
            } else if d >= 0.21 {
                Level::TextSome
            } else {
                Level::TextUnlike
            };
            sink.push(level, Detail::Percent((d * 100.0).round() as u8));
        }
        let shared = common(&self.entities, &o.entities);
        if shared > 0 {
            sink.push(Level::SharedEntities, Detail::Count(shared));
        }
    }
}

impl BlindIncident {
    /// The share of time in common, counted in the finest unit both ranges are kept in.
    fn overlap(&self, o: &Self) -> Level {
        if self.range == o.range {
            return Level::TimeSameRange;
        }
        let (a, b) = if !self.hours_covered.is_empty() && !o.hours_covered.is_empty() {
            (&self.hours_covered, &o.hours_covered)
        } else if !self.days.is_empty() && !o.days.is_empty() {
            (&self.days, &o.days)
        } else {
            (&self.months, &o.months)
        };
        let n = common(a, b) as usize;
        crate::incident::overlap_level(n as f64 / (a.len() + b.len() - n).max(1) as f64)
    }
}

/// Same / overlapping / disjoint for token sets, as the open comparison does for codes.
fn sets(
    a: &[u64],
    b: &[u64],
    same: Level,
    overlap: Option<Level>,
    disjoint: Level,
    sink: &mut impl Sink,
) {
    if a.is_empty() || b.is_empty() {
        return;
    }
    let n = common(a, b);
    if n == 0 {
        sink.push(disjoint, Detail::None);
    } else if overlap.is_none() || (n as usize == a.len() && a.len() == b.len()) {
        sink.push(same, Detail::None);
    } else if let Some(l) = overlap {
        sink.push(l, Detail::Count(n));
    }
}
