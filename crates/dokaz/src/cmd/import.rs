//! `dokaz import incidents FILE`: a registry export into the node, all or nothing unless the
//! user accepts skipping the bad rows.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

use anyhow::Context as _;
use chrono::Utc;
use dokaz_import::{Context, Format, Parsed};
use serde::Serialize;

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import incidents from CSV (a header row, then one incident per row) or JSON Lines.
    ///
    /// Every row is checked in full and every problem is reported with its line and column.
    /// Nothing is written unless every row is valid, or `--skip-invalid` is given.
    #[command(after_long_help = COLUMNS_HELP.as_str())]
    Incidents(IncidentsArgs),
}

/// The columns table for `--help`, built from the importer's own list so it cannot drift.
static COLUMNS_HELP: LazyLock<String> = LazyLock::new(|| {
    let mut s = String::from("CSV columns (required: title, occurred_at, lat, lon, crime):\n");
    for (name, what) in dokaz_import::COLUMNS {
        s.push_str(&format!("  {name:<17} {what}\n"));
    }
    s.push_str(
        "\nJSON Lines: one incident document per line, with the fields of `dokaz incident add --file`.",
    );
    s
});

#[derive(Debug, clap::Args)]
pub struct IncidentsArgs {
    /// The file to import.
    file: PathBuf,
    /// csv or jsonl; guessed from the file name (.jsonl/.ndjson are JSON Lines).
    #[arg(long, value_parser = ["csv", "jsonl"])]
    format: Option<String>,
    /// Import the valid rows and report the invalid ones, instead of importing nothing.
    #[arg(long)]
    skip_invalid: bool,
    /// The agency the incidents are recorded for (default: the node's agency).
    #[arg(long)]
    agency: Option<String>,
}

/// The outcome, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Summary {
    rows: u64,
    imported: usize,
    invalid: usize,
    warnings: usize,
    errors: Vec<String>,
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    let Command::Incidents(args) = command;
    let node = Node::open(global).await?;
    let result = incidents(global, &node, args).await;
    node.store.close().await;
    result
}

async fn incidents(global: &Global, node: &Node, args: IncidentsArgs) -> anyhow::Result<ExitCode> {
    let agency = node.agency(args.agency.as_deref()).await?;
    let format = match args.format.as_deref() {
        Some("jsonl") => Format::JsonLines,
        Some(_) => Format::Csv,
        None => Format::from_path(&args.file),
    };
    let file =
        File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = output::progress_bytes(global.json, "reading", len);
    let ctx = Context {
        agency: agency.id,
        user: None,
        now: Utc::now(),
    };
    let reader = BufReader::with_capacity(1 << 20, bar.wrap_read(file));
    let path = args.file.clone();
    // Parsing is CPU work on a blocking thread, so the runtime stays responsive.
    let parsed =
        tokio::task::spawn_blocking(move || dokaz_import::read_incidents(reader, format, &ctx))
            .await?
            .with_context(|| format!("{} cannot be imported", path.display()))?;
    bar.finish_and_clear();

    let summary = report(global, &parsed);
    let refuse = !parsed.errors.is_empty() && !args.skip_invalid;
    if refuse {
        if !global.json {
            eprintln!(
                "\nNothing imported: {} of {} rows are invalid. Fix them, or pass --skip-invalid \
                 to import the {} valid rows.",
                parsed.errors.len(),
                parsed.rows,
                parsed.incidents.len()
            );
        } else {
            output::json(&Summary {
                imported: 0,
                ..summary
            })?;
        }
        return Ok(ExitCode::FAILURE);
    }

    let spinner = output::spinner(global.json);
    spinner.set_message(format!("storing {} incidents", parsed.incidents.len()));
    node.store
        .create_incidents(&parsed.incidents)
        .await
        .context("storing the incidents (nothing was imported)")?;
    spinner.finish_and_clear();
    if global.json {
        output::json(&summary)?;
    } else {
        println!(
            "Imported {} incidents for {} from {} ({} rows, {} invalid{}).",
            summary.imported,
            agency.code,
            args.file.display(),
            summary.rows,
            summary.invalid,
            if summary.invalid > 0 { ", skipped" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints every error and warning (to stderr, so `--json` output stays parseable) and
/// returns the summary.
fn report(global: &Global, parsed: &Parsed) -> Summary {
    let errors: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
    if !global.json {
        for w in &parsed.warnings {
            eprintln!("warning: {w}");
        }
        for e in &errors {
            eprintln!("error: {e}");
        }
    }
    Summary {
        rows: parsed.rows,
        imported: parsed.incidents.len(),
        invalid: parsed.errors.len(),
        warnings: parsed.warnings.len(),
        errors,
    }
}
