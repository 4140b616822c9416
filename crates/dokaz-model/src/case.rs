//! Cases: an agency's investigations, each with a reference number unique within the agency.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::classification::Classification;
use crate::ids::{AgencyId, CaseId, IncidentId, PersonId, UserId};
use crate::validation::{check_text, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    #[default]
    Open,
    Suspended,
    Indicted,
    AtTrial,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub agency: AgencyId,
    /// The agency's case number (e.g. a criminal proceedings number); unique per agency. It
    /// appears in ERNs, so it is kept to letters, digits, `-`, `_`, `/` and `.`.
    pub reference: String,
    pub title: String,
    #[serde(default)]
    pub status: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<UserId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<IncidentId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspects: Vec<PersonId>,
    /// Languages the case works in (BCP 47), e.g. `["uk", "en"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_languages: Vec<String>,
    #[serde(default)]
    pub classification: Classification,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Case {
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        check_text(&mut p, "case.reference", &self.reference, true, 64);
        if !self
            .reference
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
        {
            p.push(
                "case.reference",
                "may hold only letters, digits and - _ / .",
            );
        }
        check_text(&mut p, "case.title", &self.title, true, 500);
        p.into_result()
    }
}
