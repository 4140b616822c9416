//! Chain-of-custody events — who did what to which item, when, where and why — and their
//! canonical byte encoding as ledger entries.
//!
//! Events are append-only: nothing in dokaz updates or deletes one. Each becomes one entry of
//! the Merkle log, so a court can check that the history it is shown is the one the log
//! committed to.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence::{Ern, Sha256};
use crate::ids::{AgencyId, CustodyEventId, EvidenceId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CustodyAction {
    /// The item entered the vault (also a second intake of bytes already held).
    Intake,
    /// Someone read the item's content.
    Access,
    /// Physical or organisational custody passed to someone else.
    Transfer,
    /// The item left in an export package.
    Export,
    Seal,
    Unseal,
    Annotate,
    Share,
    Revoke,
    /// The item was withdrawn from use; its bytes stay.
    Tombstone,
    /// The item entered the vault as a derivative of another (its first event; the
    /// original's history is untouched). Details name the original and the kind.
    Derive,
}

impl CustodyAction {
    pub const ALL: [CustodyAction; 11] = [
        Self::Intake,
        Self::Access,
        Self::Transfer,
        Self::Export,
        Self::Seal,
        Self::Unseal,
        Self::Annotate,
        Self::Share,
        Self::Revoke,
        Self::Tombstone,
        Self::Derive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Access => "access",
            Self::Transfer => "transfer",
            Self::Export => "export",
            Self::Seal => "seal",
            Self::Unseal => "unseal",
            Self::Annotate => "annotate",
            Self::Share => "share",
            Self::Revoke => "revoke",
            Self::Tombstone => "tombstone",
            Self::Derive => "derive",
        }
    }
}

impl fmt::Display for CustodyAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CustodyAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|a| a.code() == t)
            .ok_or_else(|| format!("unknown custody action {s:?}"))
    }
}

/// One custody event. `ern` and `sha256` are copied from the item so that each ledger entry
/// alone says which bytes it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyEvent {
    pub id: CustodyEventId,
    pub evidence: EvidenceId,
    pub ern: Ern,
    pub sha256: Sha256,
    pub action: CustodyAction,
    /// `None` only for the node itself (e.g. a repair by `dokaz fsck`).
    pub actor: Option<UserId>,
    pub agency: AgencyId,
    /// UTC, whole microseconds (what every backend stores exactly).
    pub at: DateTime<Utc>,
    /// Where it happened: a place, a host, an address — as known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The item's relevant state before the event (e.g. `restricted` before a seal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_state: Option<String>,
    /// Action-specific facts (grantee agency, export package id, …), sorted by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

/// The prefix of every custody ledger entry; the version changes if the encoding ever does,
/// and old entries keep theirs.
pub const CUSTODY_ENTRY_PREFIX: &[u8] = b"dokaz-custody-v1\n";

/// The fields of a v1 entry, in their fixed order. Times are RFC 3339 UTC with exactly six
/// fractional digits, so the encoding does not depend on a JSON library's time format.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryV1 {
    id: String,
    evidence: String,
    ern: String,
    sha256: String,
    action: String,
    actor: Option<String>,
    agency: String,
    at: String,
    place: String,
    reason: String,
    previous_state: Option<String>,
    details: BTreeMap<String, String>,
}

const ENTRY_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl CustodyEvent {
    /// An event stamped now (to the microsecond) with a fresh id.
    pub fn new(
        evidence: EvidenceId,
        ern: Ern,
        sha256: Sha256,
        action: CustodyAction,
        actor: Option<UserId>,
        agency: AgencyId,
    ) -> Self {
        Self {
            id: CustodyEventId::new(),
            evidence,
            ern,
            sha256,
            action,
            actor,
            agency,
            at: Utc::now().trunc_subsecs(6),
            place: String::new(),
            reason: String::new(),
            previous_state: None,
            details: BTreeMap::new(),
        }
    }

    /// The canonical ledger entry: [`CUSTODY_ENTRY_PREFIX`] followed by one line of compact
    /// JSON with the fields in a fixed order and no insignificant whitespace. The same event
    /// always yields the same bytes.
    pub fn ledger_entry(&self) -> Vec<u8> {
        let e = EntryV1 {
            id: self.id.to_string(),
            evidence: self.evidence.to_string(),
            ern: self.ern.to_string(),
            sha256: self.sha256.to_hex(),
            action: self.action.code().to_owned(),
            actor: self.actor.map(|a| a.to_string()),
            agency: self.agency.to_string(),
            at: self
                .at
                .trunc_subsecs(6)
                .format(ENTRY_TIME_FORMAT)
                .to_string(),
            place: self.place.clone(),
            reason: self.reason.clone(),
            previous_state: self.previous_state.clone(),
            details: self.details.clone(),
        };
        let mut out = CUSTODY_ENTRY_PREFIX.to_vec();
        // Serialising plain strings and maps of strings cannot fail.
        out.extend(serde_json::to_vec(&e).unwrap_or_default());
        out
    }

    /// Reads an event back from its ledger entry, for verifiers that hold only the log.
    pub fn from_ledger_entry(entry: &[u8]) -> Result<Self, String> {
        let body = entry
            .strip_prefix(CUSTODY_ENTRY_PREFIX)
            .ok_or("not a dokaz-custody-v1 entry")?;
        let e: EntryV1 =
            serde_json::from_slice(body).map_err(|err| format!("custody entry: {err}"))?;
        let uuid = |s: &str, field: &str| {
            uuid::Uuid::parse_str(s).map_err(|err| format!("custody entry {field}: {err}"))
        };
        let at = DateTime::parse_from_rfc3339(&e.at)
            .map_err(|err| format!("custody entry at: {err}"))?
            .with_timezone(&Utc);
        Ok(Self {
            id: uuid(&e.id, "id")?.into(),
            evidence: uuid(&e.evidence, "evidence")?.into(),
            ern: e.ern.parse()?,
            sha256: e.sha256.parse()?,
            action: e.action.parse()?,
            actor: e
                .actor
                .as_deref()
                .map(|a| uuid(a, "actor"))
                .transpose()?
                .map(Into::into),
            agency: uuid(&e.agency, "agency")?.into(),
            at,
            place: e.place,
            reason: e.reason,
            previous_state: e.previous_state,
            details: e.details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CustodyEvent {
        let mut e = CustodyEvent::new(
            EvidenceId::new(),
            "UAPGO-GEN-000001".parse().unwrap(),
            Sha256([7; 32]),
            CustodyAction::Intake,
            Some(UserId::new()),
            AgencyId::new(),
        );
        e.reason = "отримано від свідка".into();
        e.details.insert("z".into(), "last".into());
        e.details.insert("a".into(), "first".into());
        e
    }

    #[test]
    fn entry_is_canonical_and_round_trips() {
        let e = event();
        let bytes = e.ledger_entry();
        assert!(bytes.starts_with(CUSTODY_ENTRY_PREFIX));
        assert_eq!(bytes, e.clone().ledger_entry(), "same event, same bytes");
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.contains(r#""details":{"a":"first","z":"last"}"#));
        assert_eq!(CustodyEvent::from_ledger_entry(&bytes).unwrap(), e);
    }

    #[test]
    fn any_change_changes_the_entry() {
        let e = event();
        let mut f = e.clone();
        f.sha256 = Sha256([8; 32]);
        assert_ne!(e.ledger_entry(), f.ledger_entry());
        let mut g = e.clone();
        g.reason.push('.');
        assert_ne!(e.ledger_entry(), g.ledger_entry());
    }

    #[test]
    fn foreign_bytes_are_refused() {
        assert!(CustodyEvent::from_ledger_entry(b"{}").is_err());
        let mut bytes = event().ledger_entry();
        bytes.extend(b" trailing");
        assert!(CustodyEvent::from_ledger_entry(&bytes).is_err());
    }
}
