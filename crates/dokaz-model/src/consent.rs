//! Consent: what a person allowed their statements and their identity to be used for — the
//! purposes, the recipients, whether their identity may be disclosed — when, and who
//! recorded it; and its withdrawal, with its date. A consent is never deleted or edited: a
//! withdrawal is set once beside it, so the record of what was allowed when stays whole.
//!
//! A consent covers either all of a person's statements and their identity (`statement`
//! absent) or one statement. The decision that reads consents is `dokaz-access`'s.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::agency::AgencyKind;
use crate::evidence::Ern;
use crate::ids::{AgencyId, ConsentId, EvidenceId, PersonId, UserId};
use crate::validation::{check_text, Problems};

/// What a statement or identity may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Investigating the crimes it concerns.
    Investigation,
    /// Criminal proceedings before a court: charging, trial, appeal.
    Prosecution,
    /// Documentation and archiving (e.g. by an NGO or a commission of inquiry).
    Documentation,
    /// Research and analysis of patterns, without proceedings.
    Research,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Self::Investigation,
        Self::Prosecution,
        Self::Documentation,
        Self::Research,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Investigation => "investigation",
            Self::Prosecution => "prosecution",
            Self::Documentation => "documentation",
            Self::Research => "research",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Purpose {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|p| p.code() == t).ok_or_else(|| {
            format!("unknown purpose {s:?}; expected investigation, prosecution, documentation or research")
        })
    }
}

/// Who may receive a statement or identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Recipient {
    /// The agency that took the consent.
    OwnAgency,
    /// One named agency.
    Agency(AgencyId),
    /// The ICC Office of the Prosecutor (agencies of kind `icc-otp`).
    Icc,
    /// National prosecutors and, through them, national courts (kind `national-prosecutor`).
    NationalCourts,
    /// Eurojust (kind `eurojust`).
    Eurojust,
}

impl Recipient {
    /// Whether an agency with this id and kind is such a recipient, for consent taken by
    /// `owner`.
    pub fn includes(self, owner: AgencyId, agency: AgencyId, kind: AgencyKind) -> bool {
        match self {
            Self::OwnAgency => agency == owner,
            Self::Agency(a) => agency == a,
            Self::Icc => kind == AgencyKind::IccOtp,
            Self::NationalCourts => kind == AgencyKind::NationalProsecutor,
            Self::Eurojust => kind == AgencyKind::Eurojust,
        }
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OwnAgency => f.write_str("own-agency"),
            Self::Agency(a) => write!(f, "agency:{a}"),
            Self::Icc => f.write_str("icc"),
            Self::NationalCourts => f.write_str("national-courts"),
            Self::Eurojust => f.write_str("eurojust"),
        }
    }
}

impl FromStr for Recipient {
    type Err = String;
    /// `own-agency`, `icc`, `national-courts`, `eurojust` or `agency:<agency id>`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t {
            "own-agency" => Ok(Self::OwnAgency),
            "icc" => Ok(Self::Icc),
            "national-courts" => Ok(Self::NationalCourts),
            "eurojust" => Ok(Self::Eurojust),
            _ => match t.strip_prefix("agency:").map(str::parse) {
                Some(Ok(id)) => Ok(Self::Agency(id)),
                _ => Err(format!(
                    "unknown recipient {s:?}; expected own-agency, icc, national-courts, eurojust or agency:<id>"
                )),
            },
        }
    }
}

impl TryFrom<String> for Recipient {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Recipient> for String {
    fn from(r: Recipient) -> Self {
        r.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: ConsentId,
    pub person: PersonId,
    /// The agency that took the consent (the person's record's agency).
    pub agency: AgencyId,
    /// The one statement it covers; absent: all the person's statements and their identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<EvidenceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_ern: Option<Ern>,
    pub purposes: Vec<Purpose>,
    pub recipients: Vec<Recipient>,
    /// Whether the person's identity may be disclosed to those recipients; if not, only a
    /// redacted derivative of a statement may go.
    pub identity_disclosure: bool,
    /// The day the person gave it.
    pub given_on: NaiveDate,
    /// Who took it (name and function, as on the signed form).
    pub recorded_by: String,
    /// The user who entered it, when entered through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    /// The day the person withdrew it; set once, never cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_recorded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_recorded_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// In force on `today`: given by then and not withdrawn by then.
    pub fn is_active(&self, today: NaiveDate) -> bool {
        self.given_on <= today && self.withdrawn_on.is_none_or(|w| w > today)
    }

    pub fn validate(&self, today: NaiveDate) -> Result<(), Problems> {
        let mut p = Problems::new();
        if self.purposes.is_empty() {
            p.push("consent.purposes", "name at least one purpose");
        }
        if self.recipients.is_empty() {
            p.push("consent.recipients", "name at least one recipient");
        }
        if self.given_on > today {
            p.push("consent.given_on", "must not be in the future");
        }
        check_text(&mut p, "consent.recorded_by", &self.recorded_by, true, 300);
        if let Some(w) = self.withdrawn_on {
            if w < self.given_on {
                p.push(
                    "consent.withdrawn_on",
                    "must not be before the consent was given",
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
    fn recipients_round_trip() {
        let a = AgencyId::new();
        for r in [
            Recipient::OwnAgency,
            Recipient::Agency(a),
            Recipient::Icc,
            Recipient::NationalCourts,
            Recipient::Eurojust,
        ] {
            assert_eq!(r.to_string().parse::<Recipient>().unwrap(), r);
        }
        assert!("court".parse::<Recipient>().is_err());
        assert!(Recipient::Icc.includes(a, AgencyId::new(), AgencyKind::IccOtp));
        assert!(!Recipient::Icc.includes(a, AgencyId::new(), AgencyKind::Eurojust));
        assert!(Recipient::OwnAgency.includes(a, a, AgencyKind::Ngo));
    }

    #[test]
    fn withdrawal_ends_a_consent_on_its_day() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut c = Consent {
            id: ConsentId::new(),
            person: PersonId::new(),
            agency: AgencyId::new(),
            statement: None,
            statement_ern: None,
            purposes: vec![Purpose::Investigation],
            recipients: vec![Recipient::Icc],
            identity_disclosure: false,
            given_on: d("2024-05-01"),
            recorded_by: "O. Kovalenko".into(),
            entered_by: None,
            recorded_at: Utc::now(),
            withdrawn_on: None,
            withdrawal_recorded_by: None,
            withdrawal_recorded_at: None,
        };
        assert!(c.is_active(d("2024-05-01")));
        assert!(!c.is_active(d("2024-04-30")));
        c.withdrawn_on = Some(d("2025-01-10"));
        assert!(c.is_active(d("2025-01-09")));
        assert!(!c.is_active(d("2025-01-10")));
    }
}
