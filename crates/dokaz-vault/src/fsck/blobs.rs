//! fsck's blob checks: every blob the registry refers to still hashes to its address, and
//! nothing is left of interrupted intakes (staging objects, blobs no row refers to).

use std::collections::HashSet;

use chrono::Utc;
use dokaz_model::{Ern, Sha256};
use dokaz_store::blob::BlobError;
use dokaz_store::{EvidenceFilter, PageRequest};
use futures::TryStreamExt;
use rand::seq::SliceRandom;

use super::{Finding, FindingKind, FsckOptions, FsckPhase, FsckProgress, FsckReport, Progress};
use crate::error::VaultResult;
use crate::Vault;

/// The ERNs of every item whose bytes are `digest`, so a finding can name them all.
pub(super) async fn items_with(vault: &Vault, digest: &Sha256) -> VaultResult<Vec<Ern>> {
    let filter = EvidenceFilter {
        sha256: Some(*digest),
        ..EvidenceFilter::default()
    };
    let mut page = PageRequest::first(dokaz_store::MAX_PAGE_SIZE);
    let mut out = Vec::new();
    loop {
        let p = vault.inner.evidence.list_evidence(&filter, page).await?;
        out.extend(p.items.into_iter().map(|e| e.ern));
        match p.next {
            Some(c) => page.after = Some(dokaz_store::Cursor::decode(&c)?),
            None => return Ok(out),
        }
    }
}

pub(super) async fn check_blobs(
    vault: &Vault,
    options: &FsckOptions,
    progress: Progress<'_>,
    report: &mut FsckReport,
) -> VaultResult<()> {
    let mut digests = vault.inner.evidence.all_blob_digests().await?;
    if let Some(n) = options.sample {
        digests.shuffle(&mut rand::thread_rng());
        digests.truncate(n);
    }
    let total = digests.len() as u64;
    let blobs = &vault.inner.blobs;
    for (done, digest) in digests.iter().enumerate() {
        let mut bytes = report.bytes_checked;
        let result = blobs
            .rehash(digest, |n| {
                bytes += n;
                progress(&FsckProgress {
                    phase: FsckPhase::Blobs,
                    done: done as u64,
                    total,
                    bytes,
                });
            })
            .await;
        report.bytes_checked = bytes;
        report.blobs_checked += 1;
        let (kind, detail) = match result {
            Ok((got, _)) if got == *digest => continue,
            Ok((got, size)) => (
                FindingKind::BlobCorrupt,
                format!("blob {digest} ({size} bytes) now hashes to {got}"),
            ),
            Err(BlobError::NotFound { .. }) => (
                FindingKind::BlobMissing,
                format!("blob {digest} is missing"),
            ),
            Err(e) => return Err(e.into()),
        };
        for ern in items_with(vault, digest).await? {
            report.findings.push(Finding {
                ern: Some(ern),
                sha256: Some(*digest),
                ..Finding::new(kind, detail.clone())
            });
        }
    }
    progress(&FsckProgress {
        phase: FsckPhase::Blobs,
        done: total,
        total,
        bytes: report.bytes_checked,
    });
    Ok(())
}

pub(super) async fn check_leftovers(
    vault: &Vault,
    options: &FsckOptions,
    progress: Progress<'_>,
    report: &mut FsckReport,
) -> VaultResult<()> {
    let blobs = &vault.inner.blobs;
    let cutoff =
        Utc::now() - chrono::Duration::from_std(options.grace).unwrap_or(chrono::Duration::zero());
    for s in blobs.list_staging().await? {
        if s.last_modified > cutoff {
            continue; // may be an intake still running
        }
        let mut f = Finding::new(
            FindingKind::StagingLeftover,
            format!(
                "staging/{} ({} bytes): an interrupted intake",
                s.name, s.size
            ),
        );
        if options.repair {
            blobs.delete_staging(&s.name).await?;
            f.repaired = true;
        }
        report.findings.push(f);
    }
    let referenced: HashSet<Sha256> = vault
        .inner
        .evidence
        .all_blob_digests()
        .await?
        .into_iter()
        .collect();
    let mut listing = blobs.list_digests();
    let mut seen = 0u64;
    while let Some((digest, meta)) = listing.try_next().await? {
        seen += 1;
        progress(&FsckProgress {
            phase: FsckPhase::Leftovers,
            done: seen,
            total: 0,
            bytes: report.bytes_checked,
        });
        if referenced.contains(&digest) || meta.last_modified > cutoff {
            continue;
        }
        let mut f = Finding {
            sha256: Some(digest),
            ..Finding::new(
                FindingKind::OrphanBlob,
                format!(
                    "blob {digest} ({} bytes) belongs to no item: an intake stopped before its record was written",
                    meta.size
                ),
            )
        };
        // Asked again right before deleting: an item registered since the listing keeps it.
        if options.repair && items_with(vault, &digest).await?.is_empty() {
            blobs.delete_unreferenced(&digest).await?;
            f.repaired = true;
        }
        report.findings.push(f);
    }
    Ok(())
}
