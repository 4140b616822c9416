//! The ground truth for deconfliction: which records of two agencies describe the same
//! real-world incident, person or unit, and how the second record differs from the first, so
//! a matcher's misses can be explained as well as counted.

use dokaz_model::{AgencyId, IncidentId, PersonId, UnitId};
use serde::{Deserialize, Serialize};

/// Two records, the first as the first agency recorded it, the second from another agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LinkedPair {
    Incident { a: IncidentId, b: IncidentId },
    Person { a: PersonId, b: PersonId },
    Unit { a: UnitId, b: UnitId },
}

/// One way in which the second record differs from the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum Variation {
    /// The point was placed this many metres away.
    CoordinatesShifted { metres: u32 },
    /// The reported time differs by this many minutes.
    TimeShifted { minutes: i64 },
    /// The time is known less precisely (e.g. the month instead of the day).
    CoarserTime,
    /// Killed or injured counts differ, or their breakdown is missing.
    CasualtiesDiffer,
    /// A weapon of the first record is not named.
    WeaponMissing,
    /// The place name is written in another script or romanisation.
    PlaceNameSpelling,
    /// The place has no KATOTTH code or hromada.
    AdministrativeCodesMissing,
    /// The narrative is in another language.
    NarrativeLanguage,
    /// The legal qualification differs (another agency, another statute).
    QualificationDiffers,
    /// A name is written in another script or romanisation.
    NameSpelling,
    /// The birth date is less precise or missing.
    BirthDateCoarser,
    /// Only a unit number, or only a unit name, is shared.
    DesignationPartial,
    /// One record has no coordinates, only the place name.
    CoordinatesMissing,
    /// The name is written family name first in one record and given name first in the other.
    NameOrder,
    /// One record has the patronymic, the other not.
    PatronymicDiffers,
    /// One record has a diminutive of the given name (Саша for Олександр).
    Diminutive,
    /// A name has a typing error (a letter inserted, left out, replaced or two swapped) in one
    /// record or both.
    Typo,
    /// One record has a birth date, the other none.
    BirthDateMissing,
    /// Day and month of the birth date are swapped in one record.
    BirthDateSwapped,
    /// The birth year differs by one.
    BirthYearOff,
    /// One record does not give the sex.
    SexMissing,
    /// The place of origin is written in another script, or missing in one record.
    OriginDiffers,
}

impl Variation {
    /// The kind of variation as serialised in `what` (`name-spelling`, `typo`, …).
    pub fn what(&self) -> &'static str {
        match self {
            Self::CoordinatesShifted { .. } => "coordinates-shifted",
            Self::TimeShifted { .. } => "time-shifted",
            Self::CoarserTime => "coarser-time",
            Self::CasualtiesDiffer => "casualties-differ",
            Self::WeaponMissing => "weapon-missing",
            Self::PlaceNameSpelling => "place-name-spelling",
            Self::AdministrativeCodesMissing => "administrative-codes-missing",
            Self::NarrativeLanguage => "narrative-language",
            Self::QualificationDiffers => "qualification-differs",
            Self::NameSpelling => "name-spelling",
            Self::BirthDateCoarser => "birth-date-coarser",
            Self::DesignationPartial => "designation-partial",
            Self::CoordinatesMissing => "coordinates-missing",
            Self::NameOrder => "name-order",
            Self::PatronymicDiffers => "patronymic-differs",
            Self::Diminutive => "diminutive",
            Self::Typo => "typo",
            Self::BirthDateMissing => "birth-date-missing",
            Self::BirthDateSwapped => "birth-date-swapped",
            Self::BirthYearOff => "birth-year-off",
            Self::SexMissing => "sex-missing",
            Self::OriginDiffers => "origin-differs",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrueLink {
    pub pair: LinkedPair,
    /// The agencies of `pair.a` and `pair.b`, always two different ones.
    pub agencies: [AgencyId; 2],
    pub variations: Vec<Variation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_the_serialised_tag() {
        let all = [
            Variation::CoordinatesShifted { metres: 1 },
            Variation::TimeShifted { minutes: 1 },
            Variation::CoarserTime,
            Variation::CasualtiesDiffer,
            Variation::WeaponMissing,
            Variation::PlaceNameSpelling,
            Variation::AdministrativeCodesMissing,
            Variation::NarrativeLanguage,
            Variation::QualificationDiffers,
            Variation::NameSpelling,
            Variation::BirthDateCoarser,
            Variation::DesignationPartial,
            Variation::CoordinatesMissing,
            Variation::NameOrder,
            Variation::PatronymicDiffers,
            Variation::Diminutive,
            Variation::Typo,
            Variation::BirthDateMissing,
            Variation::BirthDateSwapped,
            Variation::BirthYearOff,
            Variation::SexMissing,
            Variation::OriginDiffers,
        ];
        for v in all {
            let json = serde_json::to_value(&v).unwrap();
            assert_eq!(json["what"], v.what());
            let back: Variation = serde_json::from_value(json).unwrap();
            assert_eq!(back, v);
        }
    }
}
