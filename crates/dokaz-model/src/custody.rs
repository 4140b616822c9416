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
/// `2024-05-01T12:00:00.000000Z`: what [`ENTRY_TIME_FORMAT`] gives for years 0 to 9999.
const ENTRY_TIME_LEN: usize = 27;

/// [`EntryV1`] as the encoder writes it: the same fields in the same order, borrowed.
#[derive(Serialize)]
struct EntryV1Ref<'a> {
    id: &'a str,
    evidence: &'a str,
    ern: &'a str,
    sha256: &'a str,
    action: &'a str,
    actor: Option<&'a str>,
    agency: &'a str,
    at: &'a str,
    place: &'a str,
    reason: &'a str,
    previous_state: Option<&'a str>,
    details: &'a BTreeMap<String, String>,
}

/// `at` to the microsecond in [`ENTRY_TIME_FORMAT`], written by hand: chrono's format
/// strings are parsed on every call and were a visible share of each append. Years outside
/// 0..=9999 and leap seconds, which that format writes differently, go through chrono.
fn entry_time(at: DateTime<Utc>, buf: &mut [u8; ENTRY_TIME_LEN]) -> std::borrow::Cow<'_, str> {
    use chrono::{Datelike, Timelike};
    let at = at.trunc_subsecs(6);
    let (year, nanos) = (at.year(), at.nanosecond());
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return at.format(ENTRY_TIME_FORMAT).to_string().into();
    }
    *buf = *b"0000-00-00T00:00:00.000000Z";
    let mut put = |at: usize, value: u32, digits: usize| {
        let mut v = value;
        for i in (at..at + digits).rev() {
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, at.month(), 2);
    put(8, at.day(), 2);
    put(11, at.hour(), 2);
    put(14, at.minute(), 2);
    put(17, at.second(), 2);
    put(20, nanos / 1_000, 6);
    // Only ASCII digits and separators were written.
    std::str::from_utf8(buf).unwrap_or_default().into()
}

/// Lower-case hex of a digest, as `Sha256::to_hex` writes it, without allocating.
fn hex_lower<'b>(bytes: &[u8; 32], buf: &'b mut [u8; 64]) -> &'b str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in bytes.iter().enumerate() {
        buf[2 * i] = DIGITS[usize::from(b >> 4)];
        buf[2 * i + 1] = DIGITS[usize::from(b & 0xf)];
    }
    // Only ASCII hex digits were written.
    std::str::from_utf8(buf).unwrap_or_default()
}

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
    ///
    /// Every custody append computes this on its caller's task, so the fields are written
    /// from stack buffers and borrowed strings into one buffer of about the right size: the
    /// bytes are those of [`EntryV1`] (a test holds the two encoders to each other).
    pub fn ledger_entry(&self) -> Vec<u8> {
        let mut id = uuid::Uuid::encode_buffer();
        let mut evidence = uuid::Uuid::encode_buffer();
        let mut actor = uuid::Uuid::encode_buffer();
        let mut agency = uuid::Uuid::encode_buffer();
        let mut sha256 = [0u8; 64];
        let mut at = [0u8; ENTRY_TIME_LEN];
        let at = entry_time(self.at, &mut at);
        let ern = self.ern.to_string();
        let e = EntryV1Ref {
            id: self.id.as_uuid().hyphenated().encode_lower(&mut id),
            evidence: self
                .evidence
                .as_uuid()
                .hyphenated()
                .encode_lower(&mut evidence),
            ern: &ern,
            sha256: hex_lower(&self.sha256.0, &mut sha256),
            action: self.action.code(),
            actor: self
                .actor
                .map(|a| &*a.as_uuid().hyphenated().encode_lower(&mut actor)),
            agency: self.agency.as_uuid().hyphenated().encode_lower(&mut agency),
            at: &at,
            place: &self.place,
            reason: &self.reason,
            previous_state: self.previous_state.as_deref(),
            details: &self.details,
        };
        let details: usize = self
            .details
            .iter()
            .map(|(k, v)| k.len() + v.len() + 8)
            .sum();
        let mut out = Vec::with_capacity(
            CUSTODY_ENTRY_PREFIX.len()
                + 512
                + ern.len()
                + self.place.len()
                + self.reason.len()
                + details,
        );
        out.extend_from_slice(CUSTODY_ENTRY_PREFIX);
        // Serialising plain strings and maps of strings into a vector cannot fail.
        let _ = serde_json::to_writer(&mut out, &e);
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

    /// The encoder as it was first written, through the owned [`EntryV1`] and chrono's
    /// format string: the bytes the log holds, which the faster encoder must reproduce.
    fn reference_entry(ev: &CustodyEvent) -> Vec<u8> {
        let e = EntryV1 {
            id: ev.id.to_string(),
            evidence: ev.evidence.to_string(),
            ern: ev.ern.to_string(),
            sha256: ev.sha256.to_hex(),
            action: ev.action.code().to_owned(),
            actor: ev.actor.map(|a| a.to_string()),
            agency: ev.agency.to_string(),
            at: ev.at.trunc_subsecs(6).format(ENTRY_TIME_FORMAT).to_string(),
            place: ev.place.clone(),
            reason: ev.reason.clone(),
            previous_state: ev.previous_state.clone(),
            details: ev.details.clone(),
        };
        let mut out = CUSTODY_ENTRY_PREFIX.to_vec();
        out.extend(serde_json::to_vec(&e).unwrap());
        out
    }

    #[test]
    fn entry_bytes_match_the_reference_encoder() {
        let mut e = event();
        assert_eq!(e.ledger_entry(), reference_entry(&e));
        e.actor = None;
        e.previous_state = Some("restricted".into());
        e.place = "Київ \"HQ\"\n\t\u{1}".into();
        e.details.insert("quote\"key".into(), "back\\slash".into());
        e.ern = "UAPGO-GEN-000001-T2".parse().unwrap();
        assert_eq!(e.ledger_entry(), reference_entry(&e));
        e.details.clear();
        e.reason.clear();
        e.place.clear();
        assert_eq!(e.ledger_entry(), reference_entry(&e));
    }

    #[test]
    fn entry_times_match_chrono() {
        use chrono::{NaiveDate, TimeZone};
        let mut times: Vec<DateTime<Utc>> = vec![
            DateTime::UNIX_EPOCH,
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 6, 15, 1, 2, 3).unwrap(),
            Utc::now(),
            // A leap second: chrono keeps it in the nanoseconds.
            NaiveDate::from_ymd_opt(2016, 12, 31)
                .unwrap()
                .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                .unwrap()
                .and_utc(),
        ];
        let mut t = Utc.with_ymd_and_hms(1969, 7, 20, 20, 17, 40).unwrap();
        for i in 0..5_000i64 {
            t += chrono::Duration::nanoseconds(i * 7_919_113_337 + 123_457);
            times.push(t);
        }
        for at in times {
            let mut buf = [0u8; ENTRY_TIME_LEN];
            assert_eq!(
                entry_time(at, &mut buf),
                at.trunc_subsecs(6).format(ENTRY_TIME_FORMAT).to_string(),
                "{at:?}"
            );
        }
    }

    #[test]
    fn foreign_bytes_are_refused() {
        assert!(CustodyEvent::from_ledger_entry(b"{}").is_err());
        let mut bytes = event().ledger_entry();
        bytes.extend(b" trailing");
        assert!(CustodyEvent::from_ledger_entry(&bytes).is_err());
    }
}
