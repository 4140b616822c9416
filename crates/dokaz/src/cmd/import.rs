//! `dokaz import incidents|persons|units|cases|links FILE`: an agency's spreadsheet or export
//! into the node. Rows carry the source's ids, so importing the same file again changes
//! nothing and a changed row updates its record; all or nothing unless the user accepts
//! skipping the bad rows.

use std::cell::Cell;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;

use anyhow::{bail, Context as _};
use chrono::Utc;
use dokaz_import::sync::{self, Action, RowOutcome, SyncOptions};
use dokaz_import::{Context, Encoding, Format, Kind, Mapping, ReadOptions, RowReader};
use serde::Serialize;

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import incidents from CSV (a header row, then one incident per row) or JSON Lines.
    ///
    /// Every row is checked in full and every problem is reported with its line and column.
    /// Nothing is written unless every row is valid, or `--skip-invalid` is given.
    #[command(after_long_help = help(Kind::Incidents))]
    Incidents(Args),
    /// Import persons (victims, witnesses, suspects, missing persons).
    #[command(after_long_help = help(Kind::Persons))]
    Persons(Args),
    /// Import military and armed units.
    #[command(after_long_help = help(Kind::Units))]
    Units(Args),
    /// Import cases (investigations).
    #[command(after_long_help = help(Kind::Cases))]
    Cases(Args),
    /// Import links between records imported before from the same source: incident–person
    /// (with a role), incident–unit, case–incident.
    #[command(after_long_help = help(Kind::Links))]
    Links(Args),
}

static HELP: LazyLock<Vec<(Kind, String)>> = LazyLock::new(|| {
    Kind::ALL
        .into_iter()
        .map(|kind| {
            let mut s = format!("Columns of dokaz's own layout for {}:\n", kind.code());
            for (name, what) in kind.columns() {
                s.push_str(&format!("  {name:<17} {what}\n"));
            }
            if !kind.required().is_empty() {
                s.push_str(&format!("Required: {}.\n", kind.required().join(", ")));
            }
            s.push_str(
                "\nA file in another layout is read through a mapping (--mapping): uwazi, atlos, \
                 auto-archiver, generic, or a TOML file of your own (see the README).\n\
                 JSON Lines: one object per line with the same fields.",
            );
            (kind, s)
        })
        .collect()
});

/// The columns table for `--help`, built from the importer's own lists so it cannot drift.
fn help(kind: Kind) -> &'static str {
    HELP.iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, s)| s.as_str())
        .unwrap_or_default()
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import.
    file: PathBuf,
    /// csv or jsonl; guessed from the file name (.jsonl/.ndjson are JSON Lines).
    #[arg(long, value_parser = ["csv", "jsonl"])]
    format: Option<String>,
    /// Import the valid rows and report the invalid ones, instead of importing nothing.
    #[arg(long)]
    skip_invalid: bool,
    /// The agency the records are recorded for (default: the node's agency).
    #[arg(long)]
    agency: Option<String>,
    /// The name of the source the rows' ids belong to (default: the mapping's, else
    /// `import`). Give each spreadsheet its own, and keep it from one sync to the next.
    #[arg(long)]
    source: Option<String>,
    /// A column mapping: a shipped one by name (uwazi, atlos, auto-archiver, generic) or a
    /// TOML file.
    #[arg(long, value_name = "NAME|PATH")]
    mapping: Option<String>,
    /// The file's text encoding, utf-8 or windows-1251 (default: detected).
    #[arg(long)]
    encoding: Option<String>,
    /// The CSV delimiter: one character, or `tab` (default: detected from the header).
    #[arg(long)]
    delimiter: Option<String>,
    /// Print what would be created, updated and refused, per row, and write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// The outcome, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Summary {
    kind: &'static str,
    source: String,
    #[serde(flatten)]
    counts: sync::Summary,
    /// Created and updated rows (the count before issue 13 called "imported").
    imported: u64,
    invalid: u64,
    errors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    plan: Vec<RowOutcome>,
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    let (kind, args) = match command {
        Command::Incidents(a) => (Kind::Incidents, a),
        Command::Persons(a) => (Kind::Persons, a),
        Command::Units(a) => (Kind::Units, a),
        Command::Cases(a) => (Kind::Cases, a),
        Command::Links(a) => (Kind::Links, a),
    };
    let node = Node::open(global).await?;
    let result = import(global, &node, kind, args).await;
    node.store.close().await;
    result
}

/// A shipped mapping by name, or a mapping file.
pub fn load_mapping(spec: &str) -> anyhow::Result<Mapping> {
    if let Some(m) = Mapping::builtin(spec) {
        return m.with_context(|| format!("the shipped mapping {spec} is broken"));
    }
    let path = Path::new(spec);
    if !path.exists() {
        bail!(
            "--mapping {spec}: no such file, and not a shipped mapping ({})",
            Mapping::builtin_names()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Mapping::parse(&text).with_context(|| format!("the mapping {} is not usable", path.display()))
}

async fn import(global: &Global, node: &Node, kind: Kind, args: Args) -> anyhow::Result<ExitCode> {
    let agency = node.agency(args.agency.as_deref()).await?;
    let mapping = args.mapping.as_deref().map(load_mapping).transpose()?;
    if let Some(m) = &mapping {
        if m.kind != kind {
            bail!(
                "the mapping is for {}, not {}: use `dokaz import {} …`",
                m.kind.code(),
                kind.code(),
                m.kind.code()
            );
        }
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(|e| {
            Encoding::from_label(e)
                .ok_or_else(|| anyhow::anyhow!("--encoding {e}: use utf-8 or windows-1251"))
        })
        .transpose()?;
    let delimiter = args
        .delimiter
        .as_deref()
        .map(|d| {
            dokaz_import::parse_delimiter(d)
                .ok_or_else(|| anyhow::anyhow!("--delimiter {d:?}: give one character, or `tab`"))
        })
        .transpose()?;
    let format = match args.format.as_deref() {
        Some("jsonl") => Format::JsonLines,
        Some(_) => Format::Csv,
        None => Format::from_path(&args.file),
    };
    let source = Mapping::source_name(args.source.as_deref(), mapping.as_ref());
    let now = Utc::now();
    let opts = ReadOptions {
        kind,
        format,
        encoding,
        delimiter,
        mapping,
        ctx: Context {
            agency: agency.id,
            user: None,
            now,
        },
    };
    let len = std::fs::metadata(&args.file)
        .with_context(|| format!("opening {}", args.file.display()))?
        .len();
    let pass = Cell::new(0u8);
    let open = || {
        let file = File::open(&args.file)?;
        pass.set(pass.get() + 1);
        let label = if pass.get() == 1 {
            "checking "
        } else {
            "importing"
        };
        let bar = output::progress_bytes(global.json, label, len);
        RowReader::open(
            BufReader::with_capacity(1 << 20, bar.wrap_read(file)),
            opts.clone(),
        )
    };
    let sync_opts = SyncOptions {
        agency: agency.id,
        source: source.clone(),
        actor: None,
        now,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
    };
    let mut plan = Vec::new();
    let mut written = Vec::new();
    let report = sync::run(
        open,
        node.store.as_ref(),
        &sync_opts,
        |o| {
            if !args.dry_run && matches!(o.action, Action::Create | Action::Update) {
                written.extend(o.record);
            }
            if args.dry_run {
                if global.json {
                    plan.push(o.clone());
                } else {
                    println!("{}", describe(o));
                }
            }
        },
        |_| {},
    )
    .await
    .with_context(|| format!("{} cannot be imported", args.file.display()))?;

    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    if !global.json {
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
        if !args.dry_run {
            for e in &errors {
                eprintln!("error: {e}");
            }
        }
    }
    let s = &report.summary;
    if s.written {
        let found = super::import_match::match_written(node, kind, &written, global.json).await?;
        if found > 0 && !global.json {
            eprintln!("deconfliction: {found} match(es) with other agencies' records; see `dokaz match list`");
        }
    }
    let summary = Summary {
        kind: kind.code(),
        source: source.clone(),
        counts: s.clone(),
        imported: if s.written { s.created + s.updated } else { 0 },
        invalid: report.errors.len() as u64,
        errors,
        plan,
    };
    let refused_file = !report.errors.is_empty() && !args.skip_invalid;
    if global.json {
        output::json(&summary)?;
    } else {
        println!(
            "{} {}: created {}, updated {}, unchanged {}, refused {} ({} rows, source {source:?}, agency {}).",
            if args.dry_run { "Dry run" } else { "Imported" },
            kind.code(),
            s.created,
            s.updated,
            s.unchanged,
            s.refused,
            s.rows,
            agency.code
        );
        if refused_file && !args.dry_run {
            eprintln!(
                "\nNothing imported: {} of {} rows are invalid. Fix them, or pass --skip-invalid \
                 to import the valid rows.",
                report.errors.len(),
                s.rows
            );
        }
    }
    Ok(if refused_file {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One line of a dry run: `line 4: update 17 (place_of_origin, roles)`.
fn describe(o: &RowOutcome) -> String {
    let id = o.external_id.as_deref().unwrap_or("-");
    match o.action {
        Action::Create => format!("line {}: create    {id}", o.line),
        Action::Unchanged => format!("line {}: unchanged {id}", o.line),
        Action::Update => {
            let fields: Vec<&str> = o
                .changes
                .as_ref()
                .and_then(|c| c.as_object())
                .map(|c| c.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if fields.is_empty() {
                format!("line {}: update    {id}", o.line)
            } else {
                format!("line {}: update    {id} ({})", o.line, fields.join(", "))
            }
        }
        Action::Refuse => {
            let why: Vec<String> = o.problems.iter().map(ToString::to_string).collect();
            format!("line {}: refuse    {}", o.line, why.join("; "))
        }
    }
}
