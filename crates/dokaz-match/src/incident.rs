//! Incidents: what two agencies' records of one event share — the place within the
//! uncertainties both give, the time within the precision both give, and what happened.

use dokaz_model::{
    AgencyId, Classification, Coordinates, Crime, Incident, IncidentId, IncidentType,
    ProtectedObject, TimePrecision, Weapon,
};

use crate::signal::{Detail, Sink};
use crate::tokens::{jaccard, word_keys};
use crate::weights::Level;

/// The radius assumed when a record gives coordinates without an uncertainty: a point read
/// off a map or a phone is rarely better than this.
pub const DEFAULT_UNCERTAINTY_M: f64 = 250.0;
/// The radius given to a place known only by its settlement: the size of a town.
pub const SETTLEMENT_RADIUS_M: f64 = 5_000.0;
/// How much farther apart than their uncertainties two reports of one event may still be: a
/// strike on a block of flats is reported from either end of the block.
pub const SITE_MARGIN_M: f64 = 1_000.0;
/// How far apart in time two reports of one event may be beyond their precisions: a local
/// date against a UTC date is a day off.
pub const TIME_SLACK_S: i64 = 72 * 3600;
/// Records whose radius exceeds this were placed by their settlement only: within it, the
/// distance between the points says nothing.
pub(crate) const SITE_SCALE_M: f64 = 2_000.0;

/// What matching needs of an incident, computed once per record.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IncidentFeatures {
    pub id: IncidentId,
    pub agency: AgencyId,
    pub classification: Classification,
    /// The point, from the record or, failing that, from its KATOTTH code in the gazetteer.
    pub point: Option<Coordinates>,
    /// How far the event may be from `point`, in metres.
    pub radius_m: f64,
    /// The place name's matching key, for records without any point.
    pub place_key: String,
    /// Earliest and latest moment (Unix seconds) the record allows, precision included.
    pub start: i64,
    pub end: i64,
    pub coarse_time: bool,
    pub crimes: Vec<Crime>,
    pub types: Vec<IncidentType>,
    pub weapons: Vec<Weapon>,
    pub objects: Vec<ProtectedObject>,
    pub killed: Option<u32>,
    pub injured: Option<u32>,
    /// Folded word keys of title and narratives, sorted and unique.
    pub words: Vec<u32>,
    /// Keys of linked things that identify the event across agencies: evidence hashes, and
    /// persons and units already matched to another agency's (set by the caller).
    pub entities: Vec<u64>,
}

impl IncidentFeatures {
    pub fn new(i: &Incident) -> Self {
        let gazetteer = || settlement_point(&i.location);
        let (point, radius_m) = match (i.location.coordinates, gazetteer()) {
            (Some(c), _) => (
                Some(c),
                i.location
                    .uncertainty_m
                    .map_or(DEFAULT_UNCERTAINTY_M, f64::from),
            ),
            (None, Some(c)) => (Some(c), SETTLEMENT_RADIUS_M),
            (None, None) => (None, SETTLEMENT_RADIUS_M),
        };
        let mut text = i.title.clone();
        for n in &i.narratives {
            text.push(' ');
            text.push_str(&n.text);
        }
        let mut crimes = i.crimes.clone();
        crimes.sort_unstable_by_key(|c| c.code());
        crimes.dedup();
        Self {
            id: i.id,
            agency: i.agency,
            classification: i.classification,
            point,
            radius_m,
            place_key: crate::text::place::place_key(&i.location.place_name),
            start: i.occurred.start.timestamp(),
            end: i.occurred.widened_end().timestamp(),
            coarse_time: matches!(
                i.occurred.precision,
                TimePrecision::Month | TimePrecision::Year
            ),
            crimes,
            types: i.incident_types.clone(),
            weapons: i.weapons.clone(),
            objects: i.protected_objects.clone(),
            killed: i.harm.killed.known_total(),
            injured: i.harm.injured.known_total(),
            words: word_keys(&text),
            entities: Vec::new(),
        }
    }

    /// A record with only a place and a time, for tests of blocking and comparison.
    #[cfg(test)]
    pub(crate) fn bare(point: Option<Coordinates>, radius_m: f64, start: i64, end: i64) -> Self {
        Self {
            id: IncidentId::new(),
            agency: AgencyId::new(),
            classification: Classification::Restricted,
            point,
            radius_m,
            place_key: "буча".into(),
            start,
            end,
            coarse_time: end - start > 20 * 86_400,
            crimes: Vec::new(),
            types: Vec::new(),
            weapons: Vec::new(),
            objects: Vec::new(),
            killed: None,
            injured: None,
            words: Vec::new(),
            entities: Vec::new(),
        }
    }

    /// Whether two records are close enough in place and time to be compared at all. It is
    /// symmetric, and the index returns every pair for which it holds.
    pub fn may_match(&self, other: &Self) -> bool {
        if self.start - TIME_SLACK_S > other.end || other.start - TIME_SLACK_S > self.end {
            return false;
        }
        match (&self.point, &other.point) {
            (Some(a), Some(b)) => a.distance_m(b) <= self.radius_m + other.radius_m + SITE_MARGIN_M,
            // Without a point on one side, only the place name can bring them together.
            _ => !self.place_key.is_empty() && self.place_key == other.place_key,
        }
    }

    /// Compares every field and reports one level per field that both records fill.
    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        self.compare_place(o, sink);
        self.compare_time(o, sink);
        compare_sets(
            &self.crimes,
            &o.crimes,
            |c| c.code(),
            (
                Level::CrimesSame,
                Level::CrimesOverlap,
                Level::CrimesDisjoint,
            ),
            sink,
        );
        compare_named(
            &self.types,
            &o.types,
            |t| t.code(),
            Level::TypeSame,
            Level::TypeDiffer,
            sink,
        );
        compare_named(
            &self.weapons,
            &o.weapons,
            |w| w.code(),
            Level::WeaponSame,
            Level::WeaponConflict,
            sink,
        );
        compare_named(
            &self.objects,
            &o.objects,
            |w| w.code(),
            Level::ObjectSame,
            Level::ObjectConflict,
            sink,
        );
        self.compare_harm(o, sink);
        if !self.words.is_empty() && !o.words.is_empty() {
            let j = jaccard(&self.words, &o.words);
            let level = if j >= 0.35 {
                Level::TextSimilar
            } else if j >= 0.12 {
                Level::TextSome
            } else {
                Level::TextUnlike
            };
            sink.push(level, Detail::Percent((j * 100.0).round() as u8));
        }
        let shared = count_common(&self.entities, &o.entities);
        if shared > 0 {
            sink.push(Level::SharedEntities, Detail::Count(shared));
        }
    }

    fn compare_place(&self, o: &Self, sink: &mut impl Sink) {
        match (&self.point, &o.point) {
            (Some(a), Some(b)) => {
                let d = a.distance_m(b);
                let metres = Detail::Metres(d.round() as u32);
                let level = if self.radius_m.max(o.radius_m) > SITE_SCALE_M {
                    settlement_level(d, self.radius_m + o.radius_m)
                } else {
                    distance_level(d)
                };
                sink.push(level, metres);
            }
            _ if !self.place_key.is_empty() && !o.place_key.is_empty() => {
                if self.place_key == o.place_key {
                    sink.push(Level::PlaceSameName, Detail::None)
                } else {
                    sink.push(Level::PlaceDifferentName, Detail::None)
                }
            }
            _ => {}
        }
    }

    fn compare_time(&self, o: &Self, sink: &mut impl Sink) {
        let gap = (self.start.max(o.start) - self.end.min(o.end)).max(0);
        let hours = Detail::Hours((gap / 3600) as u32);
        let level = if gap > TIME_SLACK_S {
            Level::TimeApart
        } else if gap > 24 * 3600 {
            Level::TimeDays
        } else if self.coarse_time || o.coarse_time {
            Level::TimeCoarseOverlap
        } else if gap == 0 && self.end - self.start <= 3600 && o.end - o.start <= 3600 {
            Level::TimeExact
        } else if gap <= 3 * 3600 && self.end - self.start <= 6 * 3600 {
            Level::TimeHours
        } else {
            Level::TimeSameDay
        };
        sink.push(level, hours);
        let level = if (self.start, self.end) == (o.start, o.end) {
            Level::TimeSameRange
        } else {
            let common = (self.end.min(o.end) - self.start.max(o.start)).max(0);
            let union = self.end.max(o.end) - self.start.min(o.start);
            overlap_level(common as f64 / union.max(1) as f64)
        };
        sink.push(level, Detail::None);
    }

    fn compare_harm(&self, o: &Self, sink: &mut impl Sink) {
        let a = sum_known(self.killed, self.injured);
        let b = sum_known(o.killed, o.injured);
        if let (Some(a), Some(b)) = (a, b) {
            let diff = a.abs_diff(b);
            let level = if diff == 0 {
                Level::CasualtiesSame
            } else if diff <= 2 || diff * 5 <= a.max(b) {
                Level::CasualtiesClose
            } else {
                Level::CasualtiesDiffer
            };
            sink.push(level, Detail::Counts(a, b));
        }
    }
}

/// The level of the distance between two points of their own.
pub(crate) fn distance_level(d: f64) -> Level {
    match d {
        d if d <= 10.0 => Level::DistanceSamePoint,
        d if d <= 50.0 => Level::DistanceSameSite,
        d if d <= 150.0 => Level::DistanceNear,
        d if d <= 300.0 => Level::DistanceClose,
        d if d <= 800.0 => Level::DistanceVicinity,
        d if d <= 1_500.0 => Level::DistanceOutskirts,
        _ => Level::DistanceFar,
    }
}

/// The level of the distance between a point and a record placed by its settlement only
/// (whose point is the settlement's): near its centre, at its edge, within the radii, or
/// beyond them.
pub(crate) fn settlement_level(d: f64, radii: f64) -> Level {
    match d {
        d if d <= 800.0 => Level::PlaceSameName,
        d if d <= 3_000.0 => Level::PlaceSettlementEdge,
        d if d <= radii => Level::PlaceSettlementWide,
        _ => Level::DistanceFar,
    }
}

/// The level of the share two different time ranges have in common (intersection over
/// union).
pub(crate) fn overlap_level(share: f64) -> Level {
    match share {
        s if s >= 0.8 => Level::TimeOverlapMost,
        s if s >= 0.5 => Level::TimeOverlapHalf,
        s if s >= 0.2 => Level::TimeOverlapSome,
        s if s > 0.0 => Level::TimeOverlapLittle,
        _ => Level::TimeOverlapNone,
    }
}

/// Where the record's settlement is, when it gives no point: its KATOTTH code, or its place
/// name if the gazetteer knows exactly one place of that name (in its oblast, when given).
fn settlement_point(l: &dokaz_model::Location) -> Option<Coordinates> {
    let g = dokaz_gazetteer::Gazetteer::embedded();
    if !l.katotth.is_empty() {
        if let Some(c) = g.by_katotth(&l.katotth).and_then(|p| p.coordinates) {
            return Some(c);
        }
    }
    if l.place_name.trim().is_empty() {
        return None;
    }
    let index = crate::text::place::PlaceIndex::embedded();
    let places = if l.oblast.is_empty() {
        index.resolve(&l.place_name)
    } else {
        index.resolve_in(&l.place_name, &l.oblast)
    };
    match places.as_slice() {
        [one] => one.coordinates,
        _ => None,
    }
}

fn sum_known(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

/// Same / overlapping / disjoint for two small sets, when both are non-empty.
fn compare_sets<T: PartialEq>(
    a: &[T],
    b: &[T],
    code: impl Fn(&T) -> &'static str,
    (same, overlap, disjoint): (Level, Level, Level),
    sink: &mut impl Sink,
) {
    if a.is_empty() || b.is_empty() {
        return;
    }
    let common = a.iter().filter(|x| b.contains(x)).count() as u32;
    if common == 0 {
        sink.push(disjoint, Detail::None);
    } else if common as usize == a.len() && a.len() == b.len() {
        sink.push(same, Detail::Code(code(&a[0])));
    } else {
        sink.push(overlap, Detail::Count(common));
    }
}

/// A named thing in common (the first, for the reason) or a conflict, when both name some.
fn compare_named<T: PartialEq>(
    a: &[T],
    b: &[T],
    code: impl Fn(&T) -> &'static str,
    same: Level,
    conflict: Level,
    sink: &mut impl Sink,
) {
    if a.is_empty() || b.is_empty() {
        return;
    }
    match a.iter().find(|x| b.contains(x)) {
        Some(x) => sink.push(same, Detail::Code(code(x))),
        None => sink.push(conflict, Detail::None),
    }
}

/// Elements two sorted, unique slices share.
pub(crate) fn count_common<T: Ord>(a: &[T], b: &[T]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

mod stored;
#[cfg(test)]
mod tests;

pub use stored::STORED_VERSION;
