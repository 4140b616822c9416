//! Persons: victims, witnesses, suspects, missing persons and deported children, with their
//! names in every script seen. Identity fields of a `protected` person are shown only to
//! cleared users of the originating agency; the server enforces that, this type only marks it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::classification::Classification;
use crate::ids::{AgencyId, PersonId};
use crate::validation::{check_text, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonRole {
    Victim,
    Witness,
    Suspect,
    Missing,
    DeportedChild,
    Detainee,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
    #[default]
    Unknown,
}

/// One spelling of a person's name. Parts are optional because sources give a name as one
/// string as often as in parts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonName {
    /// The name as written in the source, e.g. `Коваленко Олена Петрівна`.
    pub full: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub family: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub patronymic: String,
}

/// A date known to the year, the month or the day: birth dates are often partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// The latest day this date can mean, for age and range checks.
    pub fn latest(&self) -> Option<NaiveDate> {
        let m = self.month.unwrap_or(12);
        match self.day {
            Some(d) => NaiveDate::from_ymd_opt(self.year, m, d),
            None => {
                let (y, next) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(y, next, 1).and_then(|d| d.pred_opt())
            }
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the day must exist in that month.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |t: &str, len: usize| {
            (t.len() == len && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<u32>().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| num(y, 4)).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => Some(num(d, 2).ok_or_else(bad)?),
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        if let (Some(m), Some(d)) = (month, day) {
            NaiveDate::from_ymd_opt(year, m, d)
                .ok_or_else(|| format!("{s:?} is not a day of the calendar"))?;
        }
        Ok(Self { year, month, day })
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub agency: AgencyId,
    pub roles: Vec<PersonRole>,
    /// Every spelling seen, in any script; the first is the display name.
    pub names: Vec<PersonName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<PartialDate>,
    #[serde(default)]
    pub sex: Sex,
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenship: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place_of_origin: String,
    /// Identity is protected: names, birth date and origin are shown only to cleared users
    /// of the originating agency; everyone else sees a stable pseudonym.
    #[serde(default)]
    pub protected: bool,
    #[serde(default)]
    pub classification: Classification,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn validate(&self, today: NaiveDate) -> Result<(), Problems> {
        let mut p = Problems::new();
        if self.names.is_empty() {
            p.push("person.names", "name at least one spelling");
        }
        for (i, n) in self.names.iter().enumerate() {
            let f = format!("person.names[{i}]");
            check_text(&mut p, &format!("{f}.full"), &n.full, true, 300);
            check_text(&mut p, &format!("{f}.given"), &n.given, false, 100);
            check_text(&mut p, &format!("{f}.family"), &n.family, false, 100);
            check_text(
                &mut p,
                &format!("{f}.patronymic"),
                &n.patronymic,
                false,
                100,
            );
        }
        if let Some(b) = self.birth_date {
            if b.year < 1880 || b.latest().is_some_and(|d| d > today) {
                p.push("person.birth_date", "must be between 1880 and today");
            }
        }
        for (i, c) in self.citizenship.iter().enumerate() {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                p.push(
                    format!("person.citizenship[{i}]"),
                    "must be an ISO 3166-1 alpha-2 code such as UA",
                );
            }
        }
        check_text(
            &mut p,
            "person.place_of_origin",
            &self.place_of_origin,
            false,
            300,
        );
        p.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_strictly() {
        assert_eq!("1987".parse::<PartialDate>().unwrap().to_string(), "1987");
        assert_eq!(
            "1987-04".parse::<PartialDate>().unwrap().to_string(),
            "1987-04"
        );
        assert_eq!(
            "1987-04-30".parse::<PartialDate>().unwrap().to_string(),
            "1987-04-30"
        );
        assert!("1987-02-30".parse::<PartialDate>().is_err());
        assert!("1987-13".parse::<PartialDate>().is_err());
        assert!("87-01-01".parse::<PartialDate>().is_err());
        assert!("1987-04-30-1".parse::<PartialDate>().is_err());
    }

    #[test]
    fn latest_day_of_partial_dates() {
        let d: PartialDate = "2024-02".parse().unwrap();
        assert_eq!(d.latest().unwrap().to_string(), "2024-02-29");
        let y: PartialDate = "2020".parse().unwrap();
        assert_eq!(y.latest().unwrap().to_string(), "2020-12-31");
    }
}
