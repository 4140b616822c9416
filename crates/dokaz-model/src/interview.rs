//! The interview register: that an agency interviewed a person, when, in which role and on
//! which topics — never what was said. Checked across agencies before a new interview, so a
//! witness is not questioned again and again about the same events.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, InterviewId, PersonId, UserId};
use crate::validation::Problems;

/// The interviewer's function (never their name: the register crosses agencies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InterviewerRole {
    Investigator,
    Prosecutor,
    Analyst,
    Psychologist,
    Other,
}

impl InterviewerRole {
    pub const ALL: [InterviewerRole; 5] = [
        Self::Investigator,
        Self::Prosecutor,
        Self::Analyst,
        Self::Psychologist,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Investigator => "investigator",
            Self::Prosecutor => "prosecutor",
            Self::Analyst => "analyst",
            Self::Psychologist => "psychologist",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for InterviewerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for InterviewerRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|r| r.code() == t).ok_or_else(|| {
            format!("unknown interviewer role {s:?}; expected investigator, prosecutor, analyst, psychologist or other")
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interview {
    pub id: InterviewId,
    pub person: PersonId,
    /// The interviewing agency.
    pub agency: AgencyId,
    pub date: NaiveDate,
    pub interviewer_role: InterviewerRole,
    /// Topic codes from the legal taxonomy or incident types (`rs-7-1-d`, `filtration`);
    /// codes only, so nothing of the content travels.
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
}

impl Interview {
    pub fn validate(&self, today: NaiveDate) -> Result<(), Problems> {
        let mut p = Problems::new();
        if self.date > today {
            p.push("interview.date", "must not be in the future");
        }
        for (i, t) in self.topics.iter().enumerate() {
            let ok = (1..=40).contains(&t.len())
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                p.push(
                    format!("interview.topics[{i}]"),
                    "a topic is a code of lower-case letters, digits and -, such as rs-7-1-d; never free text",
                );
            }
        }
        p.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_codes_not_content() {
        let i = Interview {
            id: InterviewId::new(),
            person: PersonId::new(),
            agency: AgencyId::new(),
            date: "2024-03-01".parse().unwrap(),
            interviewer_role: InterviewerRole::Investigator,
            topics: vec![
                "rs-7-1-d".into(),
                "She said the soldiers came at night".into(),
            ],
            recorded_by: None,
            recorded_at: Utc::now(),
        };
        let p = i.validate("2025-01-01".parse().unwrap()).unwrap_err();
        assert_eq!(p.iter().next().unwrap().field, "interview.topics[1]");
    }
}
