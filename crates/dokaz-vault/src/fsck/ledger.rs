//! fsck's ledger checks: the stored log against itself (leaf hashes from entry bytes, no
//! gaps), against the custody rows (each entry decodes to the event and item its row names)
//! and audit records (each re-encodes to its entry), against the signed checkpoint (root,
//! size, signature), and the published tiles against all of that; and the custody documents
//! archived by migration 0008 against the entries at their indexes.

use std::collections::{HashMap, VecDeque};

use dokaz_ledger::{leaf_hash, Checkpoint, Hash};
use dokaz_model::{CustodyEvent, Ern};
use dokaz_store::{ArchivedCustodyDocument, CustodyRow, LedgerEntry, MAX_PAGE_SIZE};

use super::{Finding, FindingKind, FsckOptions, FsckPhase, FsckProgress, FsckReport, Progress};
use crate::error::{VaultError, VaultResult};
use crate::frontier::Frontier;
use crate::{tiles_io, Vault};

/// Entries read per query.
const CHUNK: u64 = 4_096;

fn ern_of(entry: &LedgerEntry) -> Option<Ern> {
    CustodyEvent::from_ledger_entry(&entry.entry)
        .ok()
        .map(|e| e.ern)
}

/// The ERN of the item a custody row is filed under, when the entry cannot say.
async fn row_ern(vault: &Vault, row: Option<&CustodyRow>) -> Option<Ern> {
    let row = row?;
    vault
        .inner
        .evidence
        .evidence(row.evidence)
        .await
        .ok()
        .map(|e| e.ern)
}

/// The archived custody documents, read a page at a time as the ledger chunks go by.
struct Archive<'a> {
    vault: &'a Vault,
    page: VecDeque<ArchivedCustodyDocument>,
    next: u64,
    done: bool,
}

impl<'a> Archive<'a> {
    fn new(vault: &'a Vault) -> Self {
        Self {
            vault,
            page: VecDeque::new(),
            next: 0,
            done: false,
        }
    }

    /// The documents not yet taken with `ledger_index < to`, in index order.
    async fn below(&mut self, to: u64) -> VaultResult<Vec<ArchivedCustodyDocument>> {
        let mut out = Vec::new();
        loop {
            while self.page.front().is_some_and(|d| d.ledger_index < to) {
                out.extend(self.page.pop_front());
            }
            if !self.page.is_empty() || self.done {
                return Ok(out);
            }
            let page = self
                .vault
                .inner
                .ledger
                .archived_custody_documents(self.next, MAX_PAGE_SIZE)
                .await?;
            match page.last() {
                Some(last) => self.next = last.ledger_index.saturating_add(1),
                None => self.done = true,
            }
            self.page.extend(page);
        }
    }
}

/// An archived custody document (the JSON copy a custody row kept before migration 0008)
/// against the signed entry at its index: it must decode to a custody event, and to the one
/// the entry holds, as `fsck` held each row's document against its entry before the copies
/// were archived.
fn check_archived(doc: &ArchivedCustodyDocument, entry: Option<&LedgerEntry>) -> Option<Finding> {
    let i = doc.ledger_index;
    let archived = serde_json::from_str::<CustodyEvent>(&doc.doc);
    let Some(e) = entry else {
        return Some(at(
            FindingKind::EventMismatch,
            i,
            archived.ok().map(|ev| ev.ern),
            format!("the archived JSON copy of the custody event at {i} has no ledger entry"),
        ));
    };
    let signed = if e.kind == "audit" {
        Err("it is an audit record".to_owned())
    } else {
        CustodyEvent::from_ledger_entry(&e.entry)
    };
    match (archived, signed) {
        (Ok(copy), Ok(ev)) if copy == ev => None,
        (Ok(copy), Ok(ev)) => Some(at(
            FindingKind::EventMismatch,
            i,
            Some(ev.ern),
            format!(
                "the archived JSON copy of custody event {} does not describe ledger entry {i} \
                 (event {} of item {}, {}): the copy or the entry was edited",
                copy.id, ev.id, ev.evidence, ev.action
            ),
        )),
        (Err(why), signed) => Some(at(
            FindingKind::EventMismatch,
            i,
            signed.ok().map(|ev| ev.ern),
            format!("the archived JSON copy of the custody event at {i} does not decode: {why}"),
        )),
        (Ok(copy), Err(why)) => Some(at(
            FindingKind::EventMismatch,
            i,
            Some(copy.ern),
            format!(
                "the archived JSON copy of custody event {} is kept under ledger entry {i}, \
                 which is not a custody event: {why}",
                copy.id
            ),
        )),
    }
}

fn at(kind: FindingKind, index: u64, ern: Option<Ern>, detail: String) -> Finding {
    Finding {
        index: Some(index),
        ern,
        ..Finding::new(kind, detail)
    }
}

pub(super) async fn check_ledger(
    vault: &Vault,
    options: &FsckOptions,
    progress: Progress<'_>,
    report: &mut FsckReport,
) -> VaultResult<()> {
    let ledger = &vault.inner.ledger;
    let size = ledger.ledger_size().await?;
    report.ledger_size = size;
    let stored = ledger.latest_checkpoint().await?;
    let cp = match &stored {
        None => None,
        Some(s) => match Checkpoint::open(
            s.note.as_bytes(),
            &vault.inner.origin,
            &vault.inner.verifier,
        ) {
            Ok((cp, _)) => Some(cp),
            Err(e) => {
                report.findings.push(Finding::new(
                    FindingKind::CheckpointInvalid,
                    format!("latest checkpoint (size {}) does not verify: {e}", s.size),
                ));
                None
            }
        },
    };
    report.checkpoint_size = cp.as_ref().map(Checkpoint::size);
    let cp_size = cp.as_ref().map_or(0, Checkpoint::size);
    let limit = size.max(cp_size);
    let findings_before = report.findings.len();
    // Kept apart until the end: an archived copy that differs from its entry is a finding
    // about the copy (or an entry whose edit the leaf hash and root show), not a reason to
    // hold back rebuilding the tiles from a log that passed every check.
    let mut archive = Archive::new(vault);
    let mut archive_findings = Vec::new();

    let mut frontier = Frontier::new();
    let mut sink = Vec::new();
    let mut root_checked = cp.is_none();
    let mut from = 0;
    while from < limit {
        let to = (from + CHUNK).min(limit);
        let entries: HashMap<u64, LedgerEntry> = ledger
            .ledger_entries(from, to)
            .await?
            .into_iter()
            .map(|e| (e.index, e))
            .collect();
        let rows: HashMap<u64, CustodyRow> = ledger
            .custody_rows(from, to)
            .await?
            .into_iter()
            .map(|r| (r.ledger_index, r))
            .collect();
        let audits: HashMap<u64, _> = vault
            .inner
            .audit
            .audit_range(from, to)
            .await?
            .into_iter()
            .collect();
        report.events_checked += (rows.len() + audits.len()) as u64;
        for doc in archive.below(to).await? {
            report.archived_documents_checked += 1;
            archive_findings.extend(check_archived(&doc, entries.get(&doc.ledger_index)));
        }
        for i in from..to {
            let row = rows.get(&i);
            let Some(e) = entries.get(&i) else {
                let (kind, detail) = if i >= size {
                    (
                        FindingKind::LogTruncated,
                        format!("entry {i} is gone: the log has {size} entries, its checkpoint {cp_size}"),
                    )
                } else {
                    (
                        FindingKind::LedgerGap,
                        format!("ledger entry {i} is missing"),
                    )
                };
                // The entry is gone: name the item its custody row is filed under.
                let ern = row_ern(vault, row).await;
                report.findings.push(at(kind, i, ern, detail));
                continue;
            };
            report.entries_checked += 1;
            if leaf_hash(&e.entry) != Hash(e.leaf_hash) {
                let ern = match ern_of(e) {
                    Some(ern) => Some(ern),
                    None => row_ern(vault, row).await,
                };
                report.findings.push(at(
                    FindingKind::LeafHashMismatch,
                    i,
                    ern,
                    format!("entry {i}: stored leaf hash is not the hash of the entry bytes"),
                ));
            }
            if e.kind == "audit" {
                match audits.get(&i) {
                    Some(r) if r.ledger_entry() != e.entry => report.findings.push(at(
                        FindingKind::AuditMismatch,
                        i,
                        None,
                        format!(
                            "audit record {} no longer encodes to ledger entry {i}",
                            r.id
                        ),
                    )),
                    Some(_) => {}
                    None => report.findings.push(at(
                        FindingKind::AuditMissing,
                        i,
                        None,
                        format!("ledger entry {i} is an audit record whose row is gone"),
                    )),
                }
                if let Some(r) = row {
                    report.findings.push(at(
                        FindingKind::EventMismatch,
                        i,
                        row_ern(vault, Some(r)).await,
                        format!(
                            "custody event {} is filed under ledger entry {i}, an audit record",
                            r.id
                        ),
                    ));
                }
            } else {
                match (row, CustodyEvent::from_ledger_entry(&e.entry)) {
                    (Some(r), Ok(ev)) if ev.id != r.id || ev.evidence != r.evidence => {
                        report.findings.push(at(
                            FindingKind::EventMismatch,
                            i,
                            Some(ev.ern),
                            format!(
                                "custody row {i} names event {} of item {}; its ledger entry \
                                 is event {} of item {}",
                                r.id, r.evidence, ev.id, ev.evidence
                            ),
                        ));
                    }
                    (Some(_), Ok(_)) => {}
                    (Some(r), Err(why)) => report.findings.push(at(
                        FindingKind::EventMismatch,
                        i,
                        row_ern(vault, Some(r)).await,
                        format!(
                            "custody event {} is filed under ledger entry {i}, which is not \
                             a custody event: {why}",
                            r.id
                        ),
                    )),
                    (None, _) => report.findings.push(at(
                        FindingKind::EventMissing,
                        i,
                        ern_of(e),
                        format!("ledger entry {i} has no custody event row"),
                    )),
                }
            }
            frontier.push(Hash(e.leaf_hash), None, &mut sink);
            sink.clear();
            if let Some(cp) = &cp {
                if frontier.size() == cp.size() && i + 1 == cp.size() {
                    root_checked = true;
                    if frontier.root() != cp.root() {
                        report.findings.push(Finding::new(
                            FindingKind::RootMismatch,
                            format!(
                                "the tree of the stored leaves has root {} at size {}, the checkpoint {}",
                                frontier.root(),
                                cp.size(),
                                cp.root()
                            ),
                        ));
                    }
                }
            }
        }
        progress(&FsckProgress {
            phase: FsckPhase::Ledger,
            done: to,
            total: limit,
            bytes: report.bytes_checked,
        });
        from = to;
    }
    if !root_checked && report.findings.len() == findings_before {
        report.findings.push(Finding::new(
            FindingKind::RootMismatch,
            format!("the stored leaves do not form the checkpoint's tree of {cp_size}"),
        ));
    }
    // Documents kept under an index past the end of the log.
    for doc in archive.below(u64::MAX).await? {
        report.archived_documents_checked += 1;
        archive_findings.extend(check_archived(&doc, None));
    }
    let ledger_clean = report.findings.len() == findings_before;
    if let (Some(cp), Some(stored), true) = (&cp, &stored, ledger_clean) {
        check_tiles(vault, options, cp, &stored.note, progress, report).await?;
    }
    report.findings.extend(archive_findings);
    Ok(())
}

/// Tiles are rebuilt only from a ledger that passed every check: rebuilding from a tampered
/// one would overwrite the published copy that shows what the log was.
async fn check_tiles(
    vault: &Vault,
    options: &FsckOptions,
    cp: &Checkpoint,
    note: &str,
    progress: Progress<'_>,
    report: &mut FsckReport,
) -> VaultResult<()> {
    progress(&FsckProgress {
        phase: FsckPhase::Tiles,
        done: 0,
        total: 1,
        bytes: report.bytes_checked,
    });
    let blobs = &vault.inner.blobs;
    let reader = tiles_io::reader(blobs, cp.size());
    let root = cp.root();
    let verdict = tokio::task::spawn_blocking(move || reader.verify_all(&root).map(|_| ()))
        .await
        .map_err(|e| VaultError::Ledger(e.to_string()))?;
    if let Err(e) = verdict {
        let mut f = Finding::new(FindingKind::TilesStale, format!("published tiles: {e}"));
        if options.repair {
            let rewritten = tiles_io::rebuild(&vault.inner.ledger, blobs, cp.size()).await?;
            f.detail
                .push_str(&format!("; rebuilt {} objects", rewritten.len()));
            f.repaired = true;
        }
        report.findings.push(f);
    }
    let copy = blobs.get_bytes("checkpoint").await?;
    if copy.as_deref() != Some(note.as_bytes()) {
        let mut f = Finding::new(
            FindingKind::TilesStale,
            "log/checkpoint is missing or not the latest checkpoint",
        );
        if options.repair {
            blobs
                .put_bytes("checkpoint", note.to_owned().into())
                .await?;
            f.repaired = true;
        }
        report.findings.push(f);
    }
    Ok(())
}
