//! `dokaz fsck`: proves that the stored evidence and ledger are what was recorded, naming
//! the item behind every finding; `--repair` removes what interrupted intakes left.

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use dokaz_vault::{FsckOptions, FsckPhase, FsckProgress};

use crate::node::Node;
use crate::{output, Global};

/// Check every blob, ledger entry, custody event, checkpoint and tile.
///
/// Re-hashes the blobs the registry refers to; recomputes leaf hashes and the tree root and
/// compares them with the signed checkpoint; re-encodes every custody event against its
/// ledger entry; finds gaps and truncation, leftovers of interrupted intakes and stale tiles.
/// Exits non-zero when anything is found and not repaired.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Re-hash only this many blobs, chosen at random (the ledger is always checked in full).
    #[arg(long)]
    sample: Option<usize>,
    /// Remove staging leftovers and blobs no item refers to, and rebuild tiles. Never
    /// touches a registered item, a custody event or a ledger entry.
    #[arg(long)]
    repair: bool,
    /// Leave staging objects and unreferenced blobs younger than this many minutes alone (an
    /// intake may still be running).
    #[arg(long, default_value_t = 15)]
    grace_minutes: u64,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = fsck(global, &node, args).await;
    node.store.close().await;
    result
}

async fn fsck(global: &Global, node: &Node, args: Args) -> anyhow::Result<ExitCode> {
    let vault = crate::vault::open(node).await?;
    let options = FsckOptions {
        sample: args.sample,
        repair: args.repair,
        grace: Duration::from_secs(args.grace_minutes * 60),
    };
    let bar = output::progress_items(global.json, "checking", 0);
    let last = Mutex::new(None::<FsckPhase>);
    let progress = |p: &FsckProgress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if *last != Some(p.phase) {
            *last = Some(p.phase);
            bar.set_position(0);
            bar.set_length(p.total);
        }
        bar.set_length(p.total.max(p.done));
        bar.set_position(p.done);
        bar.set_message(format!("{:?}, {} MB re-hashed", p.phase, p.bytes >> 20));
    };
    let report = vault.fsck(options, &progress).await.context("fsck")?;
    bar.finish_and_clear();
    if global.json {
        output::json(&report)?;
    } else {
        let rows: Vec<Vec<String>> = report
            .findings
            .iter()
            .map(|f| {
                vec![
                    serde_json::to_value(f.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    f.ern
                        .as_ref()
                        .map_or_else(|| "-".into(), ToString::to_string),
                    if f.repaired { "repaired" } else { "" }.into(),
                    f.detail.clone(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            output::table(&["FINDING", "ERN", "", "DETAIL"], &rows);
            println!();
        }
        println!(
            "{} blobs ({} MB) re-hashed, {} ledger entries and {} custody events checked; log size {}, checkpoint {}.",
            report.blobs_checked,
            report.bytes_checked >> 20,
            report.entries_checked,
            report.events_checked,
            report.ledger_size,
            report
                .checkpoint_size
                .map_or_else(|| "none".into(), |s| s.to_string())
        );
        println!(
            "{}",
            if report.findings.is_empty() {
                "No problems found.".to_owned()
            } else {
                format!(
                    "{} findings, {} repaired.",
                    report.findings.len(),
                    report.findings.iter().filter(|f| f.repaired).count()
                )
            }
        );
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
