//! Grants: originator control. Agency A lets agency B see, read or download one item — an
//! evidence item, an incident, or a whole case — for a stated purpose, until a date, until A
//! revokes it. Nothing of A's that is not open leaves A without one.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::consent::Purpose;
use crate::ids::{AgencyId, CaseId, EvidenceId, GrantId, IncidentId, UserId};
use crate::validation::{check_text, Problems};

/// How much a grant allows; each level includes the ones below it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum GrantLevel {
    /// That the record exists and its descriptive fields.
    #[default]
    Metadata,
    /// Also its content: narratives, evidence viewed in the browser.
    Content,
    /// Also a copy of the evidence bytes.
    Download,
}

impl GrantLevel {
    pub const ALL: [GrantLevel; 3] = [Self::Metadata, Self::Content, Self::Download];

    pub fn code(self) -> &'static str {
        match self {
            Self::Metadata => "metadata",
            Self::Content => "content",
            Self::Download => "download",
        }
    }
}

impl fmt::Display for GrantLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for GrantLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|l| l.code() == t)
            .ok_or_else(|| {
                format!("unknown grant level {s:?}; expected metadata, content or download")
            })
    }
}

/// What a grant covers. A case covers its incidents and its evidence; an incident covers the
/// evidence linked to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum GrantTarget {
    Evidence(EvidenceId),
    Incident(IncidentId),
    Case(CaseId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: GrantId,
    /// The originating agency: only it can grant or revoke.
    pub grantor: AgencyId,
    pub grantee: AgencyId,
    pub target: GrantTarget,
    pub level: GrantLevel,
    /// Why the grantee may have it, in the grantor's words; shown in the audit record.
    pub purpose: String,
    /// The purpose in the words of consent (investigation, prosecution, …). Statements and
    /// protected identities reach the grantee only if a grant names one that the person's
    /// consent allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_purpose: Option<Purpose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<UserId>,
}

impl Grant {
    /// In force at `now`: not revoked and not expired.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none_or(|r| r > now) && self.expires_at.is_none_or(|e| e > now)
    }

    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Problems> {
        let mut p = Problems::new();
        check_text(&mut p, "grant.purpose", &self.purpose, true, 2_000);
        if self.grantor == self.grantee {
            p.push("grant.grantee", "an agency cannot grant to itself");
        }
        if let Some(e) = self.expires_at {
            if e <= now {
                p.push("grant.expires_at", "must be in the future");
            }
        }
        p.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn grant() -> Grant {
        Grant {
            id: GrantId::new(),
            grantor: AgencyId::new(),
            grantee: AgencyId::new(),
            target: GrantTarget::Case(CaseId::new()),
            level: GrantLevel::Content,
            purpose: "JIT analysis of attacks on hospitals".into(),
            consent_purpose: None,
            expires_at: None,
            created_by: UserId::new(),
            created_at: Utc::now(),
            revoked_at: None,
            revoked_by: None,
        }
    }

    #[test]
    fn levels_include_the_ones_below() {
        assert!(GrantLevel::Download > GrantLevel::Content);
        assert!(GrantLevel::Content > GrantLevel::Metadata);
    }

    #[test]
    fn revocation_and_expiry_end_a_grant() {
        let now = Utc::now();
        let mut g = grant();
        assert!(g.is_active(now));
        g.expires_at = Some(now - Duration::seconds(1));
        assert!(!g.is_active(now));
        let mut g = grant();
        g.revoked_at = Some(now);
        assert!(!g.is_active(now));
    }

    #[test]
    fn self_grants_and_past_expiry_are_refused() {
        let now = Utc::now();
        let mut g = grant();
        g.grantee = g.grantor;
        g.expires_at = Some(now);
        let fields: Vec<_> = g
            .validate(now)
            .unwrap_err()
            .iter()
            .map(|p| p.field.clone())
            .collect();
        assert_eq!(fields, ["grant.grantee", "grant.expires_at"]);
    }

    #[test]
    fn targets_serialise_with_their_kind() {
        let id = IncidentId::new();
        let json = serde_json::to_value(GrantTarget::Incident(id)).unwrap();
        assert_eq!(json["kind"], "incident");
        assert_eq!(json["id"], id.to_string());
    }
}
