//! `dokaz ingest FILE...`: evidence files into the vault, each hashed, stored once, given an
//! ERN and an intake event in the ledger; a summary of new, duplicate and failed items.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;
use std::task::{Context, Poll};

use anyhow::Context as _;
use dokaz_deconflict::{Deconflictor, Written};
use dokaz_model::{
    Classification, ClockSource, CollectionMethod, CollectionRecord, Evidence, PersonId, Sha256,
};
use dokaz_vault::{IntakeRequest, Vault};
use futures::StreamExt;
use indicatif::ProgressBar;
use serde::Serialize;
use tokio::io::{AsyncRead, ReadBuf};

use crate::node::Node;
use crate::{output, Global};

/// Ingest evidence files (directories are walked) into the vault.
///
/// Each file is hashed while it is stored, registered under a new ERN and recorded as an
/// intake in the custody ledger; it is reported only once bytes, record and ledger entry are
/// durable. Bytes the agency already holds are not stored again: the intake is recorded on
/// the existing item. Each item is then matched against the other agencies' items — the same
/// bytes, or for an image the same picture saved again (see `dokaz match list`).
///
/// The collection record — how the item was obtained — is kept with it and committed to the
/// ledger in its intake event: the tool that captured it (dokaz itself unless `--tool`
/// names a capture tool), the machine, the time of collection and whose clock said so, and
/// for online material the page's title, its HTML source and a full-page screenshot (each
/// ingested as an item of its own and linked). A hash recorded at collection (`--sha256`)
/// must be the file's: otherwise nothing at all is stored and both hashes are shown.
///
/// Example (a capture of a Telegram post):
///
///   dokaz ingest post.mp4 --method open-source --source-url https://t.me/... \
///     --tool auto-archiver --tool-version 0.11.2 --host 10.0.4.17 \
///     --collected-at 2022-03-09T10:40:00Z --clock-source network \
///     --page-title "..." --html post.html --screenshot post.png --sha256 <HEX>
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to ingest.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The agency the items are registered for (default: the node's agency).
    #[arg(long)]
    agency: Option<String>,
    /// The reference of the case the items belong to (its ERN segment).
    #[arg(long)]
    case: Option<String>,
    /// Who collected the items.
    #[arg(long, default_value = "")]
    collector: String,
    /// forensic, open-source, testimony, documentary, intercepted or satellite.
    #[arg(long, default_value = "documentary")]
    method: CollectionMethod,
    /// Where open-source material was found.
    #[arg(long)]
    source_url: Option<String>,
    /// open, restricted or sealed.
    #[arg(long, default_value = "restricted")]
    classification: Classification,
    /// The SHA-256 recorded at collection (single file only); a mismatch refuses the file.
    #[arg(long)]
    sha256: Option<Sha256>,
    /// Files ingested at once.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// The tool that collected the files, for captures made elsewhere (default: dokaz).
    #[arg(long)]
    tool: Option<String>,
    /// The collecting tool's version.
    #[arg(long, requires = "tool")]
    tool_version: Option<String>,
    /// The collecting machine's host name or address.
    #[arg(long)]
    host: Option<String>,
    /// When the files were collected: RFC 3339 (2022-03-09T10:40:00Z) or YYYY-MM-DD HH:MM
    /// (UTC).
    #[arg(long)]
    collected_at: Option<String>,
    /// device (the machine's own clock) or network (NTP- or GNSS-synchronised): whose clock
    /// gave --collected-at.
    #[arg(long, requires = "collected_at")]
    clock_source: Option<ClockSource>,
    /// For online material: the page's title as captured.
    #[arg(long)]
    page_title: Option<String>,
    /// For online material: the page's HTML source, ingested as its own item and linked
    /// (single file only).
    #[arg(long)]
    html: Option<PathBuf>,
    /// For online material: a full-page screenshot, ingested as its own item and linked
    /// (single file only).
    #[arg(long)]
    screenshot: Option<PathBuf>,
    /// The language of the content (BCP 47: uk, ru, en): an item in none of its case's
    /// working languages is marked "translation missing" until a translation exists.
    #[arg(long = "lang")]
    language: Option<String>,
    /// For a statement: the id of the person who gave it; their consent then governs who
    /// may receive it (`dokaz person consent`).
    #[arg(long)]
    statement_by: Option<PersonId>,
}

/// One file's outcome, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Outcome {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ledger_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Other agencies' items this one matches (identical or near-identical).
    #[serde(skip_serializing_if = "is_zero")]
    matches: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Serialize)]
struct Summary {
    new: usize,
    duplicate: usize,
    failed: usize,
    items: Vec<Outcome>,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = ingest(global, &node, args).await;
    node.store.close().await;
    result
}

async fn ingest(global: &Global, node: &Node, args: Args) -> anyhow::Result<ExitCode> {
    let agency = node.agency(args.agency.as_deref()).await?;
    let case = match &args.case {
        Some(reference) => {
            let c = node
                .store
                .case_by_reference(agency.id, reference)
                .await
                .with_context(|| format!("case {reference} of {}", agency.code))?;
            Some((c.id, c.reference))
        }
        None => None,
    };
    let mut files = Vec::new();
    for p in &args.paths {
        walk(p, &mut files).with_context(|| format!("reading {}", p.display()))?;
    }
    if args.sha256.is_some() && files.len() != 1 {
        anyhow::bail!("--sha256 applies to one file; {} were given", files.len());
    }
    let linked = args.html.is_some() || args.screenshot.is_some();
    if linked && files.len() != 1 {
        anyhow::bail!(
            "--html and --screenshot apply to one file; {} were given",
            files.len()
        );
    }
    let mut collection = CollectionRecord::dokaz();
    if let Some(tool) = &args.tool {
        collection.tool = tool.clone();
        collection.tool_version = args.tool_version.clone().unwrap_or_default();
    }
    collection.host = args.host.clone();
    collection.collected_at = args
        .collected_at
        .as_deref()
        .map(parse_time)
        .transpose()
        .context("--collected-at")?;
    collection.clock_source = args.clock_source;
    collection.page_title = args.page_title.clone();
    collection.language = args.language.clone();
    if let Some(p) = args.statement_by {
        let person = node.store.person(p).await.context("--statement-by")?;
        if person.agency != agency.id {
            anyhow::bail!("--statement-by: person {p} is not of {}", agency.code);
        }
        collection.statement_by = Some(p);
    }
    let vault = crate::vault::open(node).await?;
    let matcher = crate::matcher::deconflictor(node)?;
    if linked {
        // The declared hash is checked before the page's parts go in, so that a refused
        // file leaves nothing behind.
        if let Some(declared) = args.sha256 {
            let f = tokio::fs::File::open(&files[0].0)
                .await
                .context("opening")?;
            let staged = vault.blobs().stage(f).await?;
            let computed = staged.sha256;
            vault.blobs().discard(staged).await?;
            if computed != declared {
                anyhow::bail!(
                    "{}: declared SHA-256 {declared} does not match the file's {computed}; nothing was stored",
                    files[0].0.display()
                );
            }
        }
        let mut part_record = collection.clone();
        part_record.language = None;
        part_record.page_title = None;
        let part = |path: &PathBuf| IntakeRequest {
            agency: agency.id,
            agency_code: agency.code.clone(),
            case: case.clone(),
            original_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            collector: args.collector.clone(),
            method: args.method,
            source_url: args.source_url.clone(),
            incidents: Vec::new(),
            classification: args.classification,
            actor: None,
            declared_sha256: None,
            collection: Some(part_record.clone()),
        };
        for (flag, path) in [("--html", &args.html), ("--screenshot", &args.screenshot)] {
            let Some(path) = path else { continue };
            let f = tokio::fs::File::open(path)
                .await
                .with_context(|| format!("{flag} {}", path.display()))?;
            let r = vault
                .ingest(f, part(path))
                .await
                .with_context(|| format!("{flag} {}", path.display()))?;
            match_item(&matcher, &vault, &r.evidence).await;
            if flag == "--html" {
                collection.html = Some(r.ern);
            } else {
                collection.screenshot = Some(r.ern);
            }
        }
    }
    let total: u64 = files.iter().map(|(_, len)| len).sum();
    let bar = output::progress_bytes(global.json, "ingesting", total);
    let base = IntakeRequest {
        agency: agency.id,
        agency_code: agency.code.clone(),
        case,
        original_name: String::new(),
        collector: args.collector.clone(),
        method: args.method,
        source_url: args.source_url.clone(),
        incidents: Vec::new(),
        classification: args.classification,
        actor: None,
        declared_sha256: args.sha256,
        collection: Some(collection),
    };
    let count = files.len();
    let mut outcomes: Vec<Outcome> = futures::stream::iter(files)
        .map(|(path, _)| one(&vault, &matcher, &bar, path, base.clone()))
        .buffer_unordered(args.jobs.max(1))
        .inspect(|o| {
            bar.set_message(o.file.clone());
        })
        .collect()
        .await;
    vault.sync().await.context("publishing the checkpoint")?;
    bar.finish_and_clear();
    outcomes.sort_by(|a, b| a.file.cmp(&b.file));
    let summary = Summary {
        new: outcomes
            .iter()
            .filter(|o| o.ern.is_some() && o.duplicate_of.is_none())
            .count(),
        duplicate: outcomes.iter().filter(|o| o.duplicate_of.is_some()).count(),
        failed: outcomes.iter().filter(|o| o.error.is_some()).count(),
        items: outcomes,
    };
    if global.json {
        output::json(&summary)?;
    } else {
        let rows: Vec<Vec<String>> = summary
            .items
            .iter()
            .map(|o| {
                vec![
                    o.ern.clone().unwrap_or_else(|| "-".into()),
                    match (&o.duplicate_of, &o.error) {
                        (_, Some(e)) => format!("failed: {e}"),
                        (Some(_), _) => "duplicate (intake recorded on the existing item)".into(),
                        _ => "new".into(),
                    },
                    output::clip(&o.file, 60),
                ]
            })
            .collect();
        output::table(&["ERN", "RESULT", "FILE"], &rows);
        println!(
            "\n{count} files: {} new, {} duplicate, {} failed.",
            summary.new, summary.duplicate, summary.failed
        );
        let matching = summary.items.iter().filter(|o| o.matches > 0).count();
        if matching > 0 {
            eprintln!(
                "deconfliction: {matching} file(s) match other agencies' items; see `dokaz match list`"
            );
        }
    }
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Matches an item just taken in against the other agencies' items (by digest, and by
/// perceptual hash for an image); returns how many it matches. A failure is a warning: the
/// intake itself is done.
async fn match_item(matcher: &Deconflictor<'_>, vault: &Vault, item: &Evidence) -> usize {
    let phash = dokaz_deconflict::image_phash(vault.blobs(), item).await;
    match matcher.written(Written::Evidence(item, phash)).await {
        Ok(found) => found.len(),
        Err(e) => {
            tracing::warn!(ern = %item.ern, error = %e, "deconfliction failed");
            0
        }
    }
}

async fn one(
    vault: &Vault,
    matcher: &Deconflictor<'_>,
    bar: &ProgressBar,
    path: PathBuf,
    mut req: IntakeRequest,
) -> Outcome {
    let file = path.display().to_string();
    req.original_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = async {
        let f = tokio::fs::File::open(&path).await.context("opening")?;
        let reader = Counting {
            inner: f,
            bar: bar.clone(),
        };
        anyhow::Ok(vault.ingest(reader, req).await?)
    }
    .await;
    match result {
        Ok(r) => Outcome {
            matches: match_item(matcher, vault, &r.evidence).await,
            file,
            ern: Some(r.ern.to_string()),
            sha256: Some(r.sha256.to_hex()),
            duplicate_of: r.duplicate_of.map(|e| e.to_string()),
            ledger_index: Some(r.ledger_index),
            error: None,
        },
        Err(e) => Outcome {
            file,
            ern: None,
            sha256: None,
            duplicate_of: None,
            ledger_index: None,
            error: Some(format!("{e:#}")),
            matches: 0,
        },
    }
}

/// RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` read as UTC.
pub(crate) fn parse_time(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s.trim(), f) {
            return Ok(t.and_utc());
        }
    }
    anyhow::bail!(
        "{s:?} is not a time: use RFC 3339 (2022-03-09T10:40:00Z) or YYYY-MM-DD HH:MM (UTC)"
    )
}

/// Regular files under `path` with their sizes, in name order.
fn walk(path: &Path, out: &mut Vec<(PathBuf, u64)>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        out.push((path.to_path_buf(), meta.len()));
    } else if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            walk(&e.path(), out)?;
        }
    }
    Ok(())
}

/// Advances the progress bar as the vault reads the file.
struct Counting<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: AsyncRead + Unpin> AsyncRead for Counting<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.bar.inc((buf.filled().len() - before) as u64);
        poll
    }
}
