//! Users and their roles. Roles say what kind of work a person does; what they may see is
//! decided in one place in the server, from roles, classification, agency and grants.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Investigator,
    Analyst,
    Prosecutor,
    Auditor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Investigator,
        Self::Analyst,
        Self::Prosecutor,
        Self::Auditor,
        Self::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Investigator => "investigator",
            Self::Analyst => "analyst",
            Self::Prosecutor => "prosecutor",
            Self::Auditor => "auditor",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|r| r.code() == t).ok_or_else(|| {
            format!("unknown role {s:?}; expected investigator, analyst, prosecutor, auditor or admin")
        })
    }
}

/// A login name: 2–64 characters of letters, digits, `.`, `_`, `-`, `@`; compared
/// case-insensitively, so it is stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Login {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let ok = (2..=64).contains(&lower.chars().count())
            && lower
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        if ok {
            Ok(Self(lower))
        } else {
            Err("login must be 2-64 letters, digits or . _ - @".to_owned())
        }
    }
}

impl TryFrom<String> for Login {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Login> for String {
    fn from(l: Login) -> Self {
        l.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub agency: AgencyId,
    pub login: Login,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Whether this user may see protected identities of their own agency's persons.
    #[serde(default)]
    pub identity_cleared: bool,
    #[serde(default)]
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
