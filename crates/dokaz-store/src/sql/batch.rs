//! Preparing a custody batch for either SQL backend: every document, ledger entry and leaf
//! hash is computed, and every rule that needs no database is checked, before a transaction
//! opens, so the time the ledger's sequencer is held is spent on writing rows only.
//!
//! The per-write part ([`PreparedWrite`]) is computed by whoever submits the write, on its own
//! task; what is left for the batch ([`prepare_batch`]) is checking the writes against each
//! other, which is cheap.

use std::collections::HashSet;

use dokaz_model::{CustodyEvent, Evidence, Problems};
use uuid::Uuid;

use super::to_doc;
use crate::error::{StoreError, StoreResult};
use crate::vault::{CustodyWrite, EvidenceChange};

/// The `kind` of every custody ledger entry.
pub const CUSTODY_KIND: &str = "custody";

/// A custody write with what a backend derives from it: the event's ledger entry and leaf
/// hash, and the evidence row's document. The fields are private and only
/// [`PreparedWrite::new`] fills them, from the write itself, so the entry a store commits to
/// is always the event's own. The entry is the event's one stored copy: the custody row
/// beside it keeps only the event's id and item, and readers decode the entry.
///
/// The write is boxed: the sequencer moves every prepared write from its submitter's batch
/// into a shared one, and a write with its evidence record inline is most of a kilobyte.
#[derive(Debug, Clone)]
pub struct PreparedWrite {
    write: Box<CustodyWrite>,
    entry: Vec<u8>,
    leaf_hash: [u8; 32],
    change_doc: Option<String>,
}

impl PreparedWrite {
    /// Serialises and hashes one write. The rules that relate it to its batch are checked
    /// by [`prepare_batch`].
    pub fn new(write: CustodyWrite) -> StoreResult<Self> {
        let change_doc = match &write.change {
            EvidenceChange::None => None,
            EvidenceChange::Insert(e) | EvidenceChange::Update(e) => Some(to_doc(e)?),
        };
        let entry = write.event.ledger_entry();
        Ok(Self {
            leaf_hash: dokaz_ledger::leaf_hash(&entry).0,
            entry,
            change_doc,
            write: Box::new(write),
        })
    }

    pub fn write(&self) -> &CustodyWrite {
        &self.write
    }

    /// `event.ledger_entry()`: the canonical bytes the log commits to.
    pub fn entry(&self) -> &[u8] {
        &self.entry
    }

    /// RFC 6962 `SHA-256(0x00 || entry)`.
    pub fn leaf_hash(&self) -> &[u8; 32] {
        &self.leaf_hash
    }

    /// The leaf hash and the entry, for the caller that keeps the tree.
    pub fn into_leaf(self) -> ([u8; 32], Vec<u8>) {
        (self.leaf_hash, self.entry)
    }
}

/// One custody event, ready to store.
#[derive(Debug)]
pub struct PreparedEvent<'a> {
    pub event: &'a CustodyEvent,
    /// `event.ledger_entry()`: the canonical bytes the log commits to.
    pub entry: &'a [u8],
    /// RFC 6962 `SHA-256(0x00 || entry)`.
    pub leaf_hash: &'a [u8; 32],
}

/// One evidence row to insert or replace, with its document.
#[derive(Debug)]
pub struct PreparedChange<'a> {
    pub insert: bool,
    pub evidence: &'a Evidence,
    pub doc: &'a str,
}

/// A batch ready to write: events in batch order, and the evidence changes in batch order
/// (an update may follow the insert of the same item within one batch).
#[derive(Debug)]
pub struct PreparedBatch<'a> {
    pub events: Vec<PreparedEvent<'a>>,
    pub changes: Vec<PreparedChange<'a>>,
}

impl<'a> PreparedBatch<'a> {
    /// Consecutive runs of changes of one kind, in order: each run of inserts can be one
    /// multi-row statement without reordering an update before the insert it depends on.
    pub fn change_runs(&self) -> impl Iterator<Item = &[PreparedChange<'a>]> {
        self.changes.chunk_by(|a, b| a.insert == b.insert)
    }

    /// The ERNs of the items this batch registers, as text.
    pub fn inserted_erns(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.insert)
            .map(|c| c.evidence.ern.to_string())
            .collect()
    }
}

/// Checks a batch of prepared writes. Refuses, before any write: an invalid evidence record;
/// a change whose item is not the one its event is about; an ERN, item or event twice in the
/// batch.
pub fn prepare_batch(batch: &[PreparedWrite]) -> StoreResult<PreparedBatch<'_>> {
    let mut events = Vec::with_capacity(batch.len());
    let mut changes = Vec::new();
    let mut event_ids = HashSet::with_capacity(batch.len());
    let mut erns = HashSet::new();
    let mut inserted = HashSet::new();
    for (n, p) in batch.iter().enumerate() {
        let w = &p.write;
        if !event_ids.insert(w.event.id) {
            return Err(conflict(format!(
                "custody event {} appears twice in one batch",
                w.event.id
            )));
        }
        let (insert, evidence) = match &w.change {
            EvidenceChange::None => (None, None),
            EvidenceChange::Insert(e) => (Some(true), Some(e)),
            EvidenceChange::Update(e) => (Some(false), Some(e)),
        };
        if let (Some(insert), Some(e), Some(doc)) = (insert, evidence, &p.change_doc) {
            check_matches_event(n, &w.event, e)?;
            e.validate().map_err(StoreError::Invalid)?;
            if insert && !erns.insert(e.ern.to_string()) {
                return Err(ern_taken(&e.ern.to_string()));
            }
            if insert && !inserted.insert(e.id) {
                return Err(conflict(format!(
                    "evidence item {} is inserted twice in one batch",
                    e.id
                )));
            }
            changes.push(PreparedChange {
                insert,
                evidence: e,
                doc,
            });
        }
        events.push(PreparedEvent {
            event: &w.event,
            entry: &p.entry,
            leaf_hash: &p.leaf_hash,
        });
    }
    Ok(PreparedBatch { events, changes })
}

/// Prepares every write of a batch, for callers that did not prepare them one by one.
pub fn prepare_writes(batch: &[CustodyWrite]) -> StoreResult<Vec<PreparedWrite>> {
    batch.iter().cloned().map(PreparedWrite::new).collect()
}

/// An event copies its item's id, ERN and digest; a change to another item than the event
/// names would put a false statement in the log.
fn check_matches_event(n: usize, ev: &CustodyEvent, e: &Evidence) -> StoreResult<()> {
    let mut p = Problems::new();
    let field = |f: &str| format!("batch[{n}].event.{f}");
    if ev.evidence != e.id {
        p.push(
            field("evidence"),
            format!("is {}, but the change is to item {}", ev.evidence, e.id),
        );
    }
    if ev.ern != e.ern {
        p.push(
            field("ern"),
            format!("is {}, but the item's ERN is {}", ev.ern, e.ern),
        );
    }
    if ev.sha256 != e.sha256 {
        p.push(
            field("sha256"),
            format!("is {}, but the item's digest is {}", ev.sha256, e.sha256),
        );
    }
    p.into_result().map_err(StoreError::Invalid)
}

/// An update may change only what custody events change (classification, state, incidents,
/// case); the bytes' identity and the intake facts are fixed for ever.
pub fn check_update(stored: &Evidence, new: &Evidence) -> StoreResult<()> {
    let mut fixed = new.clone();
    fixed.classification = stored.classification;
    fixed.state = stored.state;
    fixed.incidents.clone_from(&stored.incidents);
    fixed.case = stored.case;
    if &fixed == stored {
        return Ok(());
    }
    let mut p = Problems::new();
    p.push(
        "evidence",
        format!(
            "an update of {} may change only classification, state, incidents and case; \
             the fields fixed at intake differ from the stored record",
            stored.ern
        ),
    );
    Err(StoreError::Invalid(p))
}

/// What a failed batch found already stored, looked up after the rollback to name the
/// culprit: a multi-row statement's error does not say which row broke the rule.
#[derive(Debug, Default)]
pub struct Existing {
    pub erns: HashSet<String>,
    pub evidence: HashSet<Uuid>,
    pub events: HashSet<Uuid>,
    pub agencies: HashSet<Uuid>,
}

/// Turns a constraint violation of a batch into the error a user can act on; `fallback` when
/// nothing stored explains it.
pub fn explain_failure(
    batch: &PreparedBatch<'_>,
    found: &Existing,
    fallback: StoreError,
) -> StoreError {
    for c in batch.changes.iter().filter(|c| c.insert) {
        let ern = c.evidence.ern.to_string();
        if found.erns.contains(&ern) {
            return ern_taken(&ern);
        }
        if found.evidence.contains(&c.evidence.id.as_uuid()) {
            return conflict(format!(
                "evidence item {} is already registered",
                c.evidence.id
            ));
        }
    }
    if let Some(e) = batch
        .events
        .iter()
        .find(|e| found.events.contains(&e.event.id.as_uuid()))
    {
        return conflict(format!("custody event {} is already recorded", e.event.id));
    }
    let inserted: HashSet<Uuid> = batch
        .changes
        .iter()
        .filter(|c| c.insert)
        .map(|c| c.evidence.id.as_uuid())
        .collect();
    let missing = batch.events.iter().find(|e| {
        let id = e.event.evidence.as_uuid();
        !found.evidence.contains(&id) && !inserted.contains(&id)
    });
    if let Some(e) = missing {
        return StoreError::not_found("evidence", e.event.evidence);
    }
    match batch
        .changes
        .iter()
        .find(|c| c.insert && !found.agencies.contains(&c.evidence.agency.as_uuid()))
    {
        Some(c) => StoreError::not_found("agency", c.evidence.agency),
        None => fallback,
    }
}

/// The agencies of the items the batch registers, for [`Existing`] look-ups.
pub fn inserting_agencies(batch: &PreparedBatch<'_>) -> Vec<Uuid> {
    let set: HashSet<Uuid> = batch
        .changes
        .iter()
        .filter(|c| c.insert)
        .map(|c| c.evidence.agency.as_uuid())
        .collect();
    set.into_iter().collect()
}

/// Every evidence id the batch's events refer to, for [`Existing`] look-ups.
pub fn referenced_evidence(batch: &PreparedBatch<'_>) -> Vec<Uuid> {
    let set: HashSet<Uuid> = batch
        .events
        .iter()
        .map(|e| e.event.evidence.as_uuid())
        .collect();
    set.into_iter().collect()
}

pub fn ern_taken(ern: &str) -> StoreError {
    conflict(format!("evidence with ERN {ern} is already registered"))
}

fn conflict(what: String) -> StoreError {
    StoreError::Conflict { what }
}

/// A case segment as [`dokaz_model::Ern::case_segment`] would produce it; anything else would
/// reserve numbers for ERNs that cannot exist.
pub fn check_case_segment(segment: &str) -> StoreResult<()> {
    match dokaz_model::Ern::case_segment(segment) {
        Ok(s) if s == segment => Ok(()),
        Ok(s) => Err(invalid(
            "case_segment",
            format!("{segment:?} is not canonical; use {s:?}"),
        )),
        Err(e) => Err(invalid("case_segment", e)),
    }
}

/// The error for a case segment whose six-digit ERN numbers are all used.
pub fn sequence_exhausted(case_segment: &str) -> StoreError {
    conflict(format!(
        "ERN case segment {case_segment} has used all {} sequence numbers; register further \
         items under another case segment",
        dokaz_model::evidence::MAX_ERN_SEQUENCE
    ))
}

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    let mut p = Problems::new();
    p.push(field, message);
    StoreError::Invalid(p)
}

/// A ledger index or size as the `BIGINT` both engines store; no log reaches 2^63 entries.
pub fn db_index(i: u64) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// A stored index back; a negative one can only be a damaged database.
pub fn from_db_index(i: i64) -> StoreResult<u64> {
    u64::try_from(i).map_err(|_| StoreError::Backend(format!("negative ledger index {i} stored")))
}

/// A custody event read back from its stored ledger entry; an entry that does not decode is
/// a damaged database (`fsck` says which).
pub fn custody_record(idx: i64, entry: &[u8]) -> StoreResult<crate::CustodyRecord> {
    let ledger_index = from_db_index(idx)?;
    let event = CustodyEvent::from_ledger_entry(entry).map_err(|e| {
        StoreError::Backend(format!(
            "ledger entry {ledger_index} is not a custody event: {e}"
        ))
    })?;
    Ok(crate::CustodyRecord {
        ledger_index,
        event,
    })
}

/// Custody events decoded from their ledger entries (rows of a custody row's index joined
/// to its entry). A row whose entry is gone is an error, not an event left out: the log is
/// damaged, and `fsck` says where.
pub fn custody_records(
    rows: Vec<(i64, Option<Vec<u8>>)>,
) -> StoreResult<Vec<crate::CustodyRecord>> {
    rows.into_iter()
        .map(|(idx, entry)| match entry {
            Some(entry) => custody_record(idx, &entry),
            None => Err(StoreError::Backend(format!(
                "ledger entry {idx} of a custody event is missing; run fsck"
            ))),
        })
        .collect()
}

/// A stored ledger entry back: index, kind, entry bytes and leaf hash.
pub fn ledger_entry(
    (idx, kind, entry, hash): (i64, String, Vec<u8>, Vec<u8>),
) -> StoreResult<crate::LedgerEntry> {
    Ok(crate::LedgerEntry {
        index: from_db_index(idx)?,
        kind,
        entry,
        leaf_hash: leaf_hash_bytes(&hash)?,
    })
}

/// A stored custody row back: its ledger index and the event and item ids it names.
pub fn custody_row((idx, id, evidence): (i64, Uuid, Uuid)) -> StoreResult<crate::CustodyRow> {
    Ok(crate::CustodyRow {
        ledger_index: from_db_index(idx)?,
        id: id.into(),
        evidence: evidence.into(),
    })
}

/// An archived custody document back: its ledger index and the JSON as stored.
pub fn archived_document((idx, doc): (i64, String)) -> StoreResult<crate::ArchivedCustodyDocument> {
    Ok(crate::ArchivedCustodyDocument {
        ledger_index: from_db_index(idx)?,
        doc,
    })
}

/// The `LIMIT` of a page of archived custody documents: `limit` clamped to
/// `1..=MAX_PAGE_SIZE`.
pub fn archive_page_limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, crate::MAX_PAGE_SIZE))
}

/// A stored leaf hash back; anything but 32 bytes is a damaged database.
pub fn leaf_hash_bytes(b: &[u8]) -> StoreResult<[u8; 32]> {
    b.try_into()
        .map_err(|_| StoreError::Backend(format!("stored leaf hash has {} bytes, not 32", b.len())))
}

/// A stored digest back.
pub fn sha256_bytes(b: &[u8]) -> StoreResult<dokaz_model::Sha256> {
    leaf_hash_bytes(b).map(dokaz_model::Sha256)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use dokaz_model::{AgencyId, CustodyAction, EvidenceId, Sha256};
    use sha2::Digest;

    use super::*;

    fn intake() -> CustodyWrite {
        let e = Evidence {
            id: EvidenceId::new(),
            agency: AgencyId::new(),
            ern: "UAPGO-GEN-000001".parse().unwrap(),
            sha256: Sha256([9; 32]),
            size: 3,
            media_type: "text/plain".into(),
            original_name: "свідчення.txt".into(),
            captured_at: None,
            captured_location: None,
            collector: String::new(),
            method: Default::default(),
            source_url: None,
            incidents: vec![],
            case: None,
            classification: Default::default(),
            state: Default::default(),
            collection: None,
            derived_from: None,
            created_by: None,
            created_at: Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap(),
        };
        let event = CustodyEvent::new(
            e.id,
            e.ern.clone(),
            e.sha256,
            CustodyAction::Intake,
            None,
            e.agency,
        );
        CustodyWrite {
            event,
            change: EvidenceChange::Insert(e),
        }
    }

    #[test]
    fn prepares_entry_and_rfc6962_leaf_hash() {
        let w = intake();
        let batch = prepare_writes(std::slice::from_ref(&w)).unwrap();
        let p = prepare_batch(&batch).unwrap();
        assert_eq!(p.events[0].entry, w.event.ledger_entry());
        // Independently of dokaz-ledger: SHA-256 over 0x00 followed by the entry.
        let mut prefixed = vec![0u8];
        prefixed.extend(p.events[0].entry);
        let expected: [u8; 32] = sha2::Sha256::digest(&prefixed).into();
        assert_eq!(p.events[0].leaf_hash, &expected);
        assert_eq!(batch[0].leaf_hash(), &expected);
        assert_eq!(p.changes.len(), 1);
        assert!(p.changes[0].insert);
    }

    #[test]
    fn refuses_duplicates_and_mismatched_events() {
        let w = intake();
        let twice = prepare_writes(&[w.clone(), w.clone()]).unwrap();
        assert!(matches!(
            prepare_batch(&twice),
            Err(StoreError::Conflict { .. })
        ));
        let mut other = w.clone();
        other.event.sha256 = Sha256([1; 32]);
        let other = prepare_writes(&[other]).unwrap();
        let err = prepare_batch(&other).unwrap_err();
        assert!(err.to_string().contains("batch[0].event.sha256"), "{err}");
        let mut same_ern = intake();
        same_ern.event.ern = w.event.ern.clone();
        if let EvidenceChange::Insert(e) = &mut same_ern.change {
            e.ern = w.event.ern.clone();
        }
        let err = prepare_batch(&prepare_writes(&[w, same_ern]).unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .contains("UAPGO-GEN-000001 is already registered"),
            "{err}"
        );
    }

    #[test]
    fn updates_may_change_only_mutable_fields() {
        let EvidenceChange::Insert(stored) = intake().change else {
            unreachable!()
        };
        let mut sealed = stored.clone();
        sealed.classification = dokaz_model::Classification::Sealed;
        sealed.incidents.push(dokaz_model::IncidentId::new());
        check_update(&stored, &sealed).unwrap();
        let mut forged = sealed.clone();
        forged.sha256 = Sha256([2; 32]);
        assert!(matches!(
            check_update(&stored, &forged),
            Err(StoreError::Invalid(_))
        ));
    }

    #[test]
    fn case_segments_must_be_canonical() {
        check_case_segment("12022.100").unwrap();
        assert!(check_case_segment("12022/100").is_err());
        assert!(check_case_segment("справа").is_err());
        assert!(check_case_segment("").is_err());
    }
}
