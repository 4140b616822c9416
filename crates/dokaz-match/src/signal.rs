//! What a comparison found, in a form cheap enough for millions of pairs and explainable in
//! words for the few that match: comparators push [`Signal`]s into a [`Sink`]; the batch path
//! only adds up weights, and only matches are compared again to collect their reasons.

use serde::Serialize;

use crate::weights::{Level, Weights};

/// The numbers behind a level, so that its reason can say "120 m apart" and not just "near".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Detail {
    None,
    Metres(u32),
    Hours(u32),
    /// How many things the two records share.
    Count(u32),
    /// A taxonomy code both records carry (`weapon:cluster-munition`).
    Code(&'static str),
    /// Two counts, this record's and the other's.
    Counts(u32, u32),
    /// A similarity in per cent.
    Percent(u8),
    /// How rare a shared value is, in bits: `-log2` of the share of records that have it.
    /// The level's weight is multiplied by it, so that sharing a rare surname counts for
    /// more than sharing a common one.
    Rarity(f32),
    /// How many bits two 64-bit perceptual hashes differ in.
    Bits(u8),
}

impl Detail {
    /// What the level's weight is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Detail::Rarity(bits) => f64::from(bits),
            _ => 1.0,
        }
    }
}

/// One field's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Signal {
    pub level: Level,
    pub detail: Detail,
}

/// Where comparators report what they found.
pub trait Sink {
    fn push(&mut self, level: Level, detail: Detail);
}

/// Adds up weights; what the batch path uses for every candidate pair.
#[derive(Debug)]
pub struct Score<'w> {
    weights: &'w Weights,
    pub total: f64,
}

impl<'w> Score<'w> {
    pub fn new(weights: &'w Weights) -> Self {
        Self {
            weights,
            total: 0.0,
        }
    }
}

impl Sink for Score<'_> {
    fn push(&mut self, level: Level, detail: Detail) {
        self.total += self.weights.get(level) * detail.factor();
    }
}

impl Sink for Vec<Signal> {
    fn push(&mut self, level: Level, detail: Detail) {
        Vec::push(self, Signal { level, detail });
    }
}

impl Signal {
    /// The reason in words, for a person deciding whether to call the other agency.
    pub fn words(&self) -> String {
        use Detail as D;
        use Level as L;
        match (self.level, self.detail) {
            (L::DistanceSamePoint, _) => "same coordinates".into(),
            (
                L::DistanceSameSite
                | L::DistanceNear
                | L::DistanceClose
                | L::DistanceVicinity
                | L::DistanceOutskirts,
                D::Metres(m),
            ) => {
                format!("{m} m apart")
            }
            (L::DistanceFar, D::Metres(m)) => format!("{:.1} km apart", f64::from(m) / 1000.0),
            (L::PlaceSameName, _) => "same settlement".into(),
            (L::PlaceSettlementEdge | L::PlaceSettlementWide, D::Metres(m)) => {
                format!(
                    "same settlement, {:.1} km from its centre",
                    f64::from(m) / 1000.0
                )
            }
            (L::PlaceSettlementEdge | L::PlaceSettlementWide, _) => {
                "same settlement, away from its centre".into()
            }
            (L::TimeSameRange, _) => "same time range".into(),
            (L::TimeOverlapMost, _) => "time ranges mostly the same".into(),
            (L::TimeOverlapHalf, _) => "time ranges half the same".into(),
            (L::TimeOverlapSome | L::TimeOverlapLittle, _) => "time ranges partly the same".into(),
            (L::TimeOverlapNone, _) => "time ranges without common part".into(),
            (L::PlaceDifferentName, _) => "different place names".into(),
            (L::TimeExact, _) => "same time".into(),
            (L::TimeHours, D::Hours(h)) => format!("{h} h apart"),
            (L::TimeSameDay, _) => "same day".into(),
            (L::TimeDays, D::Hours(h)) => format!("{} day(s) apart", h.div_ceil(24)),
            (L::TypeSame, D::Code(c)) => format!("both {}", c.trim_start_matches("type:")),
            (L::TypeDiffer, _) => "different incident types".into(),
            (L::TimeCoarseOverlap, _) => "same month or year (one date is imprecise)".into(),
            (L::TimeApart, D::Hours(h)) => format!("{} days apart", h / 24),
            (L::CrimesSame, _) => "same crimes".into(),
            (L::CrimesOverlap, D::Count(n)) => format!("{n} crime(s) in common"),
            (L::CrimesDisjoint, _) => "no crime in common".into(),
            (L::WeaponSame, D::Code(c)) => format!("both {}", c.trim_start_matches("weapon:")),
            (L::WeaponConflict, _) => "different weapons".into(),
            (L::ObjectSame, D::Code(c)) => format!("same {}", c.trim_start_matches("object:")),
            (L::ObjectConflict, _) => "different protected objects".into(),
            (L::CasualtiesSame, D::Counts(a, _)) => format!("both {a} killed or injured"),
            (L::CasualtiesClose | L::CasualtiesDiffer, D::Counts(a, b)) => {
                format!("{a} vs {b} killed or injured")
            }
            (L::TextSimilar | L::TextSome | L::TextUnlike, D::Percent(p)) => {
                format!("narratives {p}% alike")
            }
            (L::SharedEntities, D::Count(n)) => format!("{n} shared person(s), unit(s) or file(s)"),
            (L::FamilyRarity, D::Rarity(bits)) => {
                format!(
                    "surname shared by 1 in {:.0} records",
                    2f64.powf(f64::from(bits))
                )
            }
            (L::GivenRarity, D::Rarity(bits)) => {
                format!(
                    "given name shared by 1 in {:.0} records",
                    2f64.powf(f64::from(bits))
                )
            }
            (L::FamilySame, _) => "same surname".into(),
            (L::FamilyClose, _) => "similar surname".into(),
            (L::FamilySimilar, _) => "surnames alike".into(),
            (L::FamilyAlike | L::FamilyFaint, _) => "surnames somewhat alike".into(),
            (L::FamilyDiffer, _) => "different surname".into(),
            (L::GivenSame, _) => "same given name".into(),
            (L::GivenClose, _) => "similar given name".into(),
            (L::GivenSimilar, _) => "given names alike".into(),
            (L::GivenAlike | L::GivenFaint, _) => "given names somewhat alike".into(),
            (L::GivenDiffer, _) => "different given name".into(),
            (L::PatronymicSame, _) => "same patronymic".into(),
            (L::PatronymicDiffer, _) => "different patronymic".into(),
            (L::BirthSameDay, _) => "same birth date".into(),
            (L::BirthNearDay, _) => "birth dates one digit or a day/month swap apart".into(),
            (L::BirthSameMonth, _) => "same birth month".into(),
            (L::BirthSameYear, _) => "same birth year".into(),
            (L::BirthYearOff, _) => "birth years one apart".into(),
            (L::BirthDiffer, _) => "different birth dates".into(),
            (L::SexSame, _) => "same sex".into(),
            (L::SexDiffer, _) => "different sex".into(),
            (L::OriginSame, _) => "same place of origin".into(),
            (L::OriginDiffer, _) => "different place of origin".into(),
            (L::UnitNumberSame, _) => "same military unit number".into(),
            (L::UnitNumberDiffer, _) => "different military unit numbers".into(),
            (L::UnitDesignationSame, _) => "same designation".into(),
            (L::UnitDesignationClose, _) => "similar designation".into(),
            (L::UnitDesignationDiffer, _) => "different designation".into(),
            (L::EvidenceIdentical, _) => "identical file (same SHA-256)".into(),
            (L::EvidenceNearIdentical, D::Bits(d)) => {
                format!("near-identical image (perceptual distance {d}/64)")
            }
            (level, _) => level.code().to_owned(),
        }
    }
}

/// The reasons of a match joined for a person: the positive ones first, as they are why the
/// pair was flagged ("same hospital 120 m apart, same day, both cluster-munition").
pub fn explain(signals: &[Signal], weights: &Weights) -> String {
    let mut s: Vec<&Signal> = signals.iter().collect();
    let w = |s: &Signal| weights.get(s.level) * s.detail.factor();
    s.sort_by(|a, b| w(b).total_cmp(&w(a)));
    s.iter().map(|s| s.words()).collect::<Vec<_>>().join(", ")
}
