//! What both SQL backends share for access records: audit records prepared as ledger entries
//! before a transaction opens (as `batch.rs` does for custody events), the columns a grant
//! target and an action filter become, and reading hashes and times back.

use std::collections::HashSet;

use chrono::{DateTime, SubsecRound, Utc};
use dokaz_model::{AuditId, AuditRecord, Grant, GrantId, GrantTarget, UserId, AUDIT_ENTRY_PREFIX};
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};

/// The `kind` of every audit ledger entry.
pub const AUDIT_KIND: &str = "audit";

/// One audit record, ready to store.
#[derive(Debug)]
pub struct PreparedAudit<'a> {
    pub record: &'a AuditRecord,
    /// The row's document: the JSON of the ledger entry itself, so the row and the entry
    /// cannot say different things (the entry truncates the time to microseconds).
    pub doc: String,
    /// `record.ledger_entry()`: the canonical bytes the log commits to.
    pub entry: Vec<u8>,
    /// RFC 6962 `SHA-256(0x00 || entry)`, the ledger's own function.
    pub leaf_hash: [u8; 32],
}

impl PreparedAudit<'_> {
    /// The record's time as stored: the entry's, whole microseconds.
    pub fn at(&self) -> DateTime<Utc> {
        self.record.at.trunc_subsecs(6)
    }
}

/// Serialises and hashes a batch of audit records. Refuses, before any write, a record that
/// appears twice: the second would be a false second event in the log.
pub fn prepare_audit(records: &[AuditRecord]) -> StoreResult<Vec<PreparedAudit<'_>>> {
    let mut ids = HashSet::with_capacity(records.len());
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        if !ids.insert(r.id) {
            return Err(StoreError::Conflict {
                what: format!("audit record {} appears twice in one batch", r.id),
            });
        }
        let entry = r.ledger_entry();
        let doc = std::str::from_utf8(&entry[AUDIT_ENTRY_PREFIX.len()..])
            .map_err(StoreError::backend)?
            .to_owned();
        out.push(PreparedAudit {
            record: r,
            doc,
            leaf_hash: dokaz_ledger::leaf_hash(&entry).0,
            entry,
        });
    }
    Ok(out)
}

/// The error for a batch that repeats stored records (a retried request), naming the first.
pub fn audit_already_recorded(
    batch: &[PreparedAudit<'_>],
    stored: &HashSet<Uuid>,
    fallback: StoreError,
) -> StoreError {
    match batch
        .iter()
        .find(|p| stored.contains(&p.record.id.as_uuid()))
    {
        Some(p) => already_recorded(p.record.id),
        None => fallback,
    }
}

fn already_recorded(id: AuditId) -> StoreError {
    StoreError::Conflict {
        what: format!("audit record {id} is already recorded"),
    }
}

/// A grant target as its two columns: kind and id.
pub fn target_columns(t: &GrantTarget) -> (&'static str, Uuid) {
    match t {
        GrantTarget::Evidence(id) => ("evidence", id.as_uuid()),
        GrantTarget::Incident(id) => ("incident", id.as_uuid()),
        GrantTarget::Case(id) => ("case", id.as_uuid()),
    }
}

/// How an audit filter's action selects rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatch {
    Exact(String),
    /// `from <= action < to`: a prefix as a range, so that it uses the index and needs no
    /// `LIKE` escaping (actions may contain `_`). Both engines compare these columns
    /// byte-wise (SQLite's BINARY, PostgreSQL's `COLLATE "C"`).
    Range {
        from: String,
        to: String,
    },
}

/// An action filter: exact, or a prefix when it ends in `.` (`evidence.`).
pub fn action_match(action: &str) -> ActionMatch {
    match action.strip_suffix('.') {
        // '/' is the byte after '.', so the range holds exactly the strings with the prefix.
        Some(stem) => ActionMatch::Range {
            from: action.to_owned(),
            to: format!("{stem}/"),
        },
        None => ActionMatch::Exact(action.to_owned()),
    }
}

/// A stored SHA-256 of a secret back; anything but 32 bytes is a damaged database.
pub fn secret_hash(b: &[u8]) -> StoreResult<[u8; 32]> {
    b.try_into().map_err(|_| {
        StoreError::Backend(format!("stored token hash has {} bytes, not 32", b.len()))
    })
}

/// A time stored as microseconds since the epoch (SQLite) back.
pub fn from_micros(us: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(us)
        .ok_or_else(|| StoreError::Backend(format!("stored time {us} out of range")))
}

/// What a revoked grant becomes: revoked now, by whom; the caller checks it was not already.
pub fn revoked(mut grant: Grant, by: UserId, at: DateTime<Utc>) -> Grant {
    grant.revoked_at = Some(at);
    grant.revoked_by = Some(by);
    grant
}

/// The error for revoking a grant twice.
pub fn already_revoked(id: GrantId) -> StoreError {
    StoreError::Conflict {
        what: format!("grant {id} is already revoked"),
    }
}

#[cfg(test)]
mod tests {
    use dokaz_model::{AgencyId, Decision};
    use sha2::Digest;

    use super::*;

    fn record() -> AuditRecord {
        AuditRecord::new(
            Some(UserId::new()),
            Some(AgencyId::new()),
            "evidence.download",
            Decision::Allow,
            "grant to JIT",
        )
    }

    #[test]
    fn prepares_entry_document_and_rfc6962_leaf_hash() {
        let mut r = record();
        r.at += chrono::Duration::nanoseconds(123);
        let p = prepare_audit(std::slice::from_ref(&r)).unwrap();
        assert_eq!(p[0].entry, r.ledger_entry());
        let mut prefixed = vec![0u8];
        prefixed.extend(&p[0].entry);
        let want: [u8; 32] = sha2::Sha256::digest(&prefixed).into();
        assert_eq!(p[0].leaf_hash, want);
        let back: AuditRecord = serde_json::from_str(&p[0].doc).unwrap();
        assert_eq!(back.at, p[0].at());
        assert_eq!(back.id, r.id);
    }

    #[test]
    fn refuses_a_record_twice() {
        let r = record();
        let err = prepare_audit(&[r.clone(), r]).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    }

    #[test]
    fn prefixes_become_ranges() {
        assert_eq!(
            action_match("evidence."),
            ActionMatch::Range {
                from: "evidence.".into(),
                to: "evidence/".into()
            }
        );
        assert_eq!(
            action_match("evidence.download"),
            ActionMatch::Exact("evidence.download".into())
        );
        let ActionMatch::Range { from, to } = action_match("grant.") else {
            unreachable!()
        };
        for a in ["grant.create", "grant.", "grant.z_z"] {
            assert!(a >= from.as_str() && a < to.as_str(), "{a}");
        }
        for a in ["grant", "grants.create", "granta", "grant/x"] {
            assert!(!(a >= from.as_str() && a < to.as_str()), "{a}");
        }
    }
}
