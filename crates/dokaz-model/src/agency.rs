//! Agencies: the investigating bodies that own what they record.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::AgencyId;

/// A short, stable agency code that appears in ERNs (`<AGENCY>-<CASE>-<6 digits>`), so it is
/// restricted to what is safe in file names and reference numbers: 2–16 of `A-Z`, `0-9`,
/// starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AgencyCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (2..=16).contains(&s.len())
            && s.as_bytes()[0].is_ascii_uppercase()
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "agency code {:?} must be 2-16 capital letters or digits, starting with a letter",
                s.chars().take(40).collect::<String>()
            ))
        }
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<AgencyCode> for String {
    fn from(c: AgencyCode) -> Self {
        c.0
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of body an agency is; it decides nothing by itself, but consent rules name
/// recipients by kind ("ICC", "national courts", "Eurojust").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AgencyKind {
    #[default]
    NationalProsecutor,
    JointInvestigationTeam,
    IccOtp,
    Eurojust,
    Europol,
    Police,
    Ngo,
    Other,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 8] = [
        Self::NationalProsecutor,
        Self::JointInvestigationTeam,
        Self::IccOtp,
        Self::Eurojust,
        Self::Europol,
        Self::Police,
        Self::Ngo,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NationalProsecutor => "national-prosecutor",
            Self::JointInvestigationTeam => "joint-investigation-team",
            Self::IccOtp => "icc-otp",
            Self::Eurojust => "eurojust",
            Self::Europol => "europol",
            Self::Police => "police",
            Self::Ngo => "ngo",
            Self::Other => "other",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: AgencyId,
    pub code: AgencyCode,
    pub name: String,
    pub kind: AgencyKind,
    /// ISO 3166-1 alpha-2 country, empty for international bodies.
    #[serde(default)]
    pub country: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_are_strict() {
        assert!("PGO".parse::<AgencyCode>().is_ok());
        assert!("ICC1".parse::<AgencyCode>().is_ok());
        assert!("pgo".parse::<AgencyCode>().is_err());
        assert!("1PGO".parse::<AgencyCode>().is_err());
        assert!("P-GO".parse::<AgencyCode>().is_err());
        assert!("P".parse::<AgencyCode>().is_err());
    }
}
