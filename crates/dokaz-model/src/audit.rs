//! Audit records: every read of restricted or sealed material, every grant and revocation,
//! every denial, every login — who, what, when, from where, and the decision. Each is also a
//! ledger entry, so no audit row can be removed without the log showing it.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, AuditId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: AuditId,
    /// UTC, whole microseconds.
    pub at: DateTime<Utc>,
    /// `None` for an unauthenticated request (a failed login of an unknown account).
    pub actor: Option<UserId>,
    pub agency: Option<AgencyId>,
    /// What was attempted, as `<resource>.<action>`: `incident.read`, `evidence.download`,
    /// `grant.create`, `session.login`.
    pub action: String,
    /// The kind and id of what it was attempted on, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub decision: Decision,
    /// Why, in words: the rule that allowed or refused.
    pub reason: String,
    /// The client's address as the server saw it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub request_id: String,
}

/// The prefix of every audit ledger entry.
pub const AUDIT_ENTRY_PREFIX: &[u8] = b"dokaz-audit-v1\n";

impl AuditRecord {
    pub fn new(
        actor: Option<UserId>,
        agency: Option<AgencyId>,
        action: impl Into<String>,
        decision: Decision,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            id: AuditId::new(),
            at: Utc::now().trunc_subsecs(6),
            actor,
            agency,
            action: action.into(),
            target: None,
            decision,
            reason: reason.into(),
            address: String::new(),
            request_id: String::new(),
        }
    }

    /// The canonical ledger entry: [`AUDIT_ENTRY_PREFIX`] and one line of compact JSON in
    /// the struct's field order (the serde derive fixes it), time with six fractional digits.
    pub fn ledger_entry(&self) -> Vec<u8> {
        let mut r = self.clone();
        r.at = r.at.trunc_subsecs(6);
        let mut out = AUDIT_ENTRY_PREFIX.to_vec();
        out.extend(serde_json::to_vec(&r).unwrap_or_default());
        out
    }

    pub fn from_ledger_entry(entry: &[u8]) -> Result<Self, String> {
        let body = entry
            .strip_prefix(AUDIT_ENTRY_PREFIX)
            .ok_or("not a dokaz-audit-v1 entry")?;
        serde_json::from_slice(body).map_err(|e| format!("audit entry: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_round_trips_and_is_stable() {
        let mut r = AuditRecord::new(
            Some(UserId::new()),
            Some(AgencyId::new()),
            "evidence.download",
            Decision::Deny,
            "no grant to JIT for UAPGO-GEN-000001",
        );
        r.target = Some("evidence:UAPGO-GEN-000001".into());
        r.address = "127.0.0.1".into();
        let e = r.ledger_entry();
        assert_eq!(e, r.clone().ledger_entry());
        assert_eq!(AuditRecord::from_ledger_entry(&e).unwrap(), r);
        assert!(AuditRecord::from_ledger_entry(b"dokaz-custody-v1\n{}").is_err());
    }
}
