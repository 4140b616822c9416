//! fsck's ledger checks: the stored log against itself (leaf hashes from entry bytes, no
//! gaps), against the custody events and audit records (each re-encodes to its entry),
//! against the signed
//! checkpoint (root, size, signature), and the published tiles against all of that.

use std::collections::HashMap;

use dokaz_ledger::{leaf_hash, Checkpoint, Hash};
use dokaz_model::{CustodyEvent, Ern};
use dokaz_store::LedgerEntry;

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
        let events: HashMap<u64, _> = ledger
            .custody_range(from, to)
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
        report.events_checked += (events.len() + audits.len()) as u64;
        for i in from..to {
            let event = events.get(&i);
            let event_ern = event.map(|r| r.event.ern.clone());
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
                report.findings.push(at(kind, i, event_ern, detail));
                continue;
            };
            report.entries_checked += 1;
            if leaf_hash(&e.entry) != Hash(e.leaf_hash) {
                report.findings.push(at(
                    FindingKind::LeafHashMismatch,
                    i,
                    event_ern.clone().or_else(|| ern_of(e)),
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
            } else {
                match event {
                    Some(r) if r.event.ledger_entry() != e.entry => report.findings.push(at(
                        FindingKind::EventMismatch,
                        i,
                        event_ern,
                        format!(
                            "custody event {} no longer encodes to ledger entry {i}",
                            r.event.id
                        ),
                    )),
                    Some(_) => {}
                    None => report.findings.push(at(
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
    let ledger_clean = report.findings.len() == findings_before;
    if let (Some(cp), Some(stored), true) = (&cp, &stored, ledger_clean) {
        check_tiles(vault, options, cp, &stored.note, progress, report).await?;
    }
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
