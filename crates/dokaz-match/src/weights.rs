//! The scoring model: every comparison of two records ends in one [`Level`] per field, and a
//! pair's score is the sum of the levels' weights — the Fellegi–Sunter log-likelihood ratio
//! `log2(m / u)`, where `m` is how often matching pairs show the level and `u` how often
//! non-matching candidate pairs do. A level no field reached adds nothing.
//!
//! The weights are data, not code: [`Weights::default`] holds values estimated with
//! [`crate::calibrate`] on a generated labelled corpus (seed and size in
//! the header of `weights.toml`), a deployment can load its own estimated on its own confirmed
//! matches, and every weight has a stable code so that a weights file stays readable.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Generates [`Level`] with its codes and default weights from one table, so that a level,
/// its name in a weights file and its default can never drift apart.
macro_rules! levels {
    ($( $(#[$doc:meta])* $name:ident = $code:literal => $weight:expr, )*) => {
        /// One outcome of comparing one field of two records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Level { $( $(#[$doc])* $name, )* }

        impl Level {
            pub const ALL: &'static [Level] = &[ $( Level::$name, )* ];

            /// The level's stable name in weights files and calibration reports.
            pub fn code(self) -> &'static str {
                match self { $( Level::$name => $code, )* }
            }

            fn default_weight(self) -> f64 {
                match self { $( Level::$name => $weight, )* }
            }
        }

        impl Serialize for Level {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

levels! {
    // --- incidents: place ---
    // Distances between two points of their own; the ladder is in metres because what a
    // distance means for one event (the same block, the same street, the next village) does
    // not depend on how sure either agency was of its point, and calibration on labelled
    // pairs showed the fixed ladder separating events better than bands widened by the
    // uncertainties (which still decide the settlement case and blocking).
    /// Points within 10 m: coordinates taken from one source.
    DistanceSamePoint = "incident.distance.same-point" => 6.0,
    /// Within 50 m: the same building.
    DistanceSameSite = "incident.distance.same-site" => 5.0,
    /// Within 150 m.
    DistanceNear = "incident.distance.near" => 3.0,
    /// Within 300 m.
    DistanceClose = "incident.distance.close" => 1.5,
    /// Within 800 m.
    DistanceVicinity = "incident.distance.vicinity" => 0.5,
    /// Within 1.5 km.
    DistanceOutskirts = "incident.distance.outskirts" => -1.5,
    /// Farther than that, or (a record placed by its settlement) farther than the
    /// settlement's extent.
    DistanceFar = "incident.distance.far" => -6.0,
    /// One record placed by its settlement only: the other point within 800 m of it, or
    /// (no point on either side) the place names resolve to the same place.
    PlaceSameName = "incident.place.same-name" => 2.0,
    /// One record placed by its settlement only: the other point 800 m to 3 km from it.
    PlaceSettlementEdge = "incident.place.settlement-edge" => 0.0,
    /// One record placed by its settlement only: the other point farther than 3 km, within
    /// the settlement's extent.
    PlaceSettlementWide = "incident.place.settlement-wide" => -1.0,
    /// No coordinates on one side; the place names differ.
    PlaceDifferentName = "incident.place.different-name" => -3.0,
    // --- incidents: time ---
    /// Overlapping times, both known to the hour or better.
    TimeExact = "incident.time.exact" => 4.0,
    /// Within 3 hours of each other.
    TimeHours = "incident.time.hours" => 2.5,
    /// Within a day.
    TimeSameDay = "incident.time.same-day" => 1.0,
    /// Within three days.
    TimeDays = "incident.time.days" => -1.0,
    /// Overlapping only because one is known to the month or year.
    TimeCoarseOverlap = "incident.time.coarse-overlap" => 0.5,
    /// More than a day apart.
    TimeApart = "incident.time.apart" => -6.0,
    // How much of the two time ranges is common (intersection over union, each range
    // widened to its precision): reports of one event give the same range, or one inside the
    // other; the same kind of attack on the same place days later gives ranges that overlap
    // only in part — which the levels above, reading only the gap, cannot tell apart.
    /// Exactly the same range.
    TimeSameRange = "incident.time.same-range" => 3.0,
    /// Four fifths or more in common.
    TimeOverlapMost = "incident.time.overlap-most" => 1.0,
    /// Half or more.
    TimeOverlapHalf = "incident.time.overlap-half" => 0.0,
    /// A fifth or more.
    TimeOverlapSome = "incident.time.overlap-some" => -0.5,
    /// Less than a fifth (a day inside a month).
    TimeOverlapLittle = "incident.time.overlap-little" => 0.0,
    /// Nothing in common.
    TimeOverlapNone = "incident.time.overlap-none" => -1.0,
    // --- incidents: what happened ---
    /// An incident type in common (shelling, enforced disappearance, …).
    TypeSame = "incident.type.same" => 1.0,
    /// Types on both sides, none in common.
    TypeDiffer = "incident.type.differ" => -3.0,
    /// The same crimes.
    CrimesSame = "incident.crimes.same" => 1.5,
    /// Some crimes in common.
    CrimesOverlap = "incident.crimes.overlap" => 0.5,
    /// No crime in common.
    CrimesDisjoint = "incident.crimes.disjoint" => -1.0,
    /// A weapon in common.
    WeaponSame = "incident.weapon.same" => 1.5,
    /// Weapons named on both sides, none in common.
    WeaponConflict = "incident.weapon.conflict" => -2.5,
    /// A protected object in common (hospital, school, …).
    ObjectSame = "incident.object.same" => 1.5,
    /// Protected objects on both sides, none in common.
    ObjectConflict = "incident.object.conflict" => -2.0,
    /// The same number of killed or injured.
    CasualtiesSame = "incident.casualties.same" => 1.5,
    /// Counts within a few of each other.
    CasualtiesClose = "incident.casualties.close" => 0.3,
    /// Counts far apart.
    CasualtiesDiffer = "incident.casualties.differ" => -1.5,
    /// Narratives share many words (after folding scripts).
    TextSimilar = "incident.text.similar" => 2.0,
    /// Narratives share some words.
    TextSome = "incident.text.some" => 0.5,
    /// Narratives share almost nothing (often: different languages).
    TextUnlike = "incident.text.unlike" => -0.5,
    /// Linked to the same (or matched) persons, units or evidence.
    SharedEntities = "incident.shared-entities" => 4.0,

    // --- persons: names ---
    /// Surnames equal after folding scripts and spellings.
    FamilySame = "person.family.same" => 4.5,
    /// Per bit of rarity of a shared surname (see `Detail::Rarity`).
    FamilyRarity = "person.family.rarity" => 0.3,
    /// Surnames nearly equal (a typo, a rare spelling).
    FamilyClose = "person.family.close" => 2.0,
    // Below "close", how alike two surnames (or given names) still are: a typo on top of
    // another romanisation (Hryzenko/Гриценко, Semenjku/Семенюк) lands here, as do
    // different names of similar sound; calibration weighs each band.
    /// Surnames alike (similarity 0.88 to 0.92).
    FamilySimilar = "person.family.similar" => 0.5,
    /// Surnames somewhat alike (0.84 to 0.88).
    FamilyAlike = "person.family.alike" => -1.0,
    /// Surnames faintly alike (0.80 to 0.84).
    FamilyFaint = "person.family.faint" => -2.5,
    /// Surnames different.
    FamilyDiffer = "person.family.differ" => -5.0,
    /// Given names equal, or the same name in its Ukrainian and Russian forms.
    GivenSame = "person.given.same" => 3.5,
    /// Per bit of rarity of a shared given name.
    GivenRarity = "person.given.rarity" => 0.2,
    /// Given names nearly equal, or one is a diminutive of the other.
    GivenClose = "person.given.close" => 1.5,
    /// Given names alike (similarity 0.88 to 0.92).
    GivenSimilar = "person.given.similar" => 0.0,
    /// Given names somewhat alike (0.84 to 0.88).
    GivenAlike = "person.given.alike" => -1.0,
    /// Given names faintly alike (0.80 to 0.84).
    GivenFaint = "person.given.faint" => -2.0,
    /// Given names different.
    GivenDiffer = "person.given.differ" => -4.0,
    /// Patronymics equal.
    PatronymicSame = "person.patronymic.same" => 2.0,
    /// Patronymics different.
    PatronymicDiffer = "person.patronymic.differ" => -3.0,
    // --- persons: other fields ---
    /// The same full birth date.
    BirthSameDay = "person.birth.same-day" => 8.0,
    /// Day and month swapped, or one digit off.
    BirthNearDay = "person.birth.near-day" => 3.0,
    /// The same year and month, the day unknown on one side.
    BirthSameMonth = "person.birth.same-month" => 4.0,
    /// The same year, the rest unknown on one side.
    BirthSameYear = "person.birth.same-year" => 2.5,
    /// A year apart.
    BirthYearOff = "person.birth.year-off" => -1.0,
    /// Different birth dates.
    BirthDiffer = "person.birth.differ" => -8.0,
    /// The same sex.
    SexSame = "person.sex.same" => 0.3,
    /// Different sexes.
    SexDiffer = "person.sex.differ" => -5.0,
    /// The same place of origin.
    OriginSame = "person.origin.same" => 2.0,
    /// Different places of origin.
    OriginDiffer = "person.origin.differ" => -1.0,

    // --- units ---
    /// A military unit number (в/ч 12345) in common.
    UnitNumberSame = "unit.number.same" => 8.0,
    /// Unit numbers on both sides, none in common.
    UnitNumberDiffer = "unit.number.differ" => -6.0,
    /// The same designation: ordinal, kind and branch.
    UnitDesignationSame = "unit.designation.same" => 7.0,
    /// The same ordinal and kind, the branch not given on one side.
    UnitDesignationClose = "unit.designation.close" => 3.0,
    /// Different designations.
    UnitDesignationDiffer = "unit.designation.differ" => -6.0,

    // --- evidence (thresholded as units) ---
    /// The same bytes: equal SHA-256.
    EvidenceIdentical = "evidence.identical" => 20.0,
    /// The same picture saved again: perceptual hashes a few bits apart (see `Detail::Bits`).
    EvidenceNearIdentical = "evidence.near-identical" => 12.0,
}

/// The number of levels, for arrays indexed by level.
pub const LEVELS: usize = Level::ALL.len();

/// The built-in weights: estimated by `dokaz match calibrate` on a labelled corpus (the
/// file's header says which), over the priors of the table above.
const CALIBRATED: &str = include_str!("weights.toml");

/// A weight per level, and the score above which a pair is reported as a match.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    weight: [f64; LEVELS],
    /// Pairs scoring at least this are matches.
    pub threshold: Thresholds,
}

/// Match thresholds per record type, in the same log2 units as the weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub incident: f64,
    pub person: f64,
    pub unit: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            incident: 8.0,
            person: 9.0,
            unit: 6.0,
        }
    }
}

impl Default for Weights {
    /// The built-in, calibrated weights (`weights.toml`).
    fn default() -> Self {
        let file: WeightsFile = toml::from_str(CALIBRATED).expect("the built-in weights parse");
        Self::priors()
            .overridden_by(&file)
            .expect("the built-in weights name known levels")
    }
}

/// The on-disk form: levels by code, so a file names what it sets and may set only some.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsFile {
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WeightsError {
    #[error("weights.{0}: no such comparison level (known levels start with incident., person., unit. or evidence.)")]
    UnknownLevel(String),
    #[error("weights.{0}: must be a finite number")]
    NotFinite(String),
}

impl Weights {
    pub fn get(&self, level: Level) -> f64 {
        self.weight[level as usize]
    }

    pub fn set(&mut self, level: Level, w: f64) {
        self.weight[level as usize] = w;
    }

    /// The hand-set priors of the level table, before any calibration.
    pub fn priors() -> Self {
        let mut weight = [0.0; LEVELS];
        for &l in Level::ALL {
            weight[l as usize] = l.default_weight();
        }
        Self {
            weight,
            threshold: Thresholds::default(),
        }
    }

    /// The built-in weights overridden by `file`; every unknown level is refused by name.
    pub fn from_file(file: &WeightsFile) -> Result<Self, WeightsError> {
        Self::default().overridden_by(file)
    }

    fn overridden_by(self, file: &WeightsFile) -> Result<Self, WeightsError> {
        let mut w = self;
        for (code, &value) in &file.weights {
            let level = Level::ALL
                .iter()
                .find(|l| l.code() == code)
                .ok_or_else(|| WeightsError::UnknownLevel(code.clone()))?;
            if !value.is_finite() {
                return Err(WeightsError::NotFinite(code.clone()));
            }
            w.set(*level, value);
        }
        if let Some(t) = file.thresholds {
            w.threshold = t;
        }
        Ok(w)
    }

    pub fn to_file(&self) -> WeightsFile {
        WeightsFile {
            thresholds: Some(self.threshold),
            weights: Level::ALL
                .iter()
                .map(|&l| (l.code().to_owned(), self.get(l)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = Level::ALL.iter().map(|l| l.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), LEVELS);
        let w = Weights::default();
        assert_eq!(Weights::from_file(&w.to_file()).unwrap(), w);
    }

    #[test]
    fn unknown_level_is_named() {
        let mut f = WeightsFile::default();
        f.weights.insert("person.shoe-size.same".into(), 1.0);
        assert_eq!(
            Weights::from_file(&f),
            Err(WeightsError::UnknownLevel("person.shoe-size.same".into()))
        );
    }
}
