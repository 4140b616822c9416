//! `dokaz evidence derive|family`: derivatives of evidence items (a redaction, a
//! translation, a transcript, an excerpt, a working copy, a format conversion) and the
//! family an item belongs to.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use dokaz_model::{Classification, DerivativeKind, Ern, Family, Sha256};
use dokaz_vault::DeriveRequest;
use serde::Serialize;

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Derive(Box<DeriveArgs>),
    Family(FamilyArgs),
}

/// The kinds of derivative, as `--kind` takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    /// Identities or other protected content removed (ERN suffix R).
    Redacted,
    /// A translation, into --lang (T).
    Translation,
    /// A transcript of audio or video, in --lang if given (S).
    Transcript,
    /// A part: --range (a time range or pages) cut by --cut-by (X).
    Excerpt,
    /// A copy to work on, so the original is never opened for analysis (W).
    WorkingCopy,
    /// The same content in another format: --tool and --parameters (C).
    FormatConversion,
}

/// Record FILE as a derivative of the item ERN.
///
/// The original is never changed: the derivative is an item of its own, with its own hash
/// and an ERN that shows its kind — the family root's number, `-`, a letter and the number
/// of that kind in the family (R redacted, T translation, S transcript, X excerpt, W
/// working copy, C format conversion; `UAPGO-12022.100-000123-T1` is the first
/// translation). The link is the derivative's first custody event (`derive`), which names
/// the original and its hash. A derivative of a derivative joins the same family.
///
/// Examples:
///
///   dokaz evidence derive UAPGO-GEN-000001 statement.en.pdf --kind translation --lang en
///
///   dokaz evidence derive UAPGO-GEN-000001 statement.redacted.pdf --kind redacted \
///     --what "the witness's name and address"
///
///   dokaz evidence derive UAPGO-GEN-000007 clip.mp4 --kind excerpt \
///     --range 00:01:10-00:02:05 --cut-by "Analyst M. Bondar"
#[derive(Debug, clap::Args)]
pub struct DeriveArgs {
    /// The item the derivative was made from.
    ern: Ern,
    /// The derivative's file.
    file: PathBuf,
    #[arg(long, value_enum)]
    kind: Kind,
    /// The language of a translation (required) or transcript (BCP 47: en, uk, ru).
    #[arg(long = "lang")]
    language: Option<String>,
    /// What a redaction removed.
    #[arg(long, default_value = "")]
    what: String,
    /// The part an excerpt holds: a time range (00:01:10-00:02:05) or pages (3-7).
    #[arg(long)]
    range: Option<String>,
    /// Who cut an excerpt.
    #[arg(long)]
    cut_by: Option<String>,
    /// The tool of a format conversion (e.g. "ffmpeg 6.1").
    #[arg(long)]
    tool: Option<String>,
    /// The parameters of a format conversion (e.g. "-c:v libx264 -crf 18").
    #[arg(long, default_value = "")]
    parameters: String,
    /// Who made the derivative (a translator, an editor).
    #[arg(long, default_value = "")]
    collector: String,
    /// open, restricted or sealed (default: the original's).
    #[arg(long)]
    classification: Option<Classification>,
    /// The derivative's SHA-256 as recorded by whoever made it; a mismatch stores nothing.
    #[arg(long)]
    sha256: Option<Sha256>,
    /// Why it was made, for the custody event.
    #[arg(long, default_value = "")]
    reason: String,
}

/// Show an item's family: its original and every derivative, with their kinds, what each
/// was made from, and which still lack a translation into a working language of the case.
#[derive(Debug, clap::Args)]
pub struct FamilyArgs {
    /// Any member of the family.
    ern: Ern,
}

pub async fn run(global: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = match c {
        Command::Derive(a) => derive(global, &node, *a).await,
        Command::Family(a) => family(global, &node, a).await,
    };
    node.store.close().await;
    result
}

fn kind_of(a: &DeriveArgs) -> anyhow::Result<DerivativeKind> {
    Ok(match a.kind {
        Kind::Redacted => DerivativeKind::Redacted {
            what: a.what.clone(),
        },
        Kind::Translation => DerivativeKind::Translation {
            language: a
                .language
                .clone()
                .context("a translation needs --lang, the language it is in")?,
        },
        Kind::Transcript => DerivativeKind::Transcript {
            language: a.language.clone(),
        },
        Kind::Excerpt => DerivativeKind::Excerpt {
            range: a
                .range
                .clone()
                .context("an excerpt needs --range (a time range or pages)")?,
            cut_by: a.cut_by.clone().context("an excerpt needs --cut-by")?,
        },
        Kind::WorkingCopy => DerivativeKind::WorkingCopy,
        Kind::FormatConversion => DerivativeKind::FormatConversion {
            tool: a.tool.clone().context("a format conversion needs --tool")?,
            parameters: a.parameters.clone(),
        },
    })
}

async fn derive(global: &Global, node: &Node, a: DeriveArgs) -> anyhow::Result<ExitCode> {
    let kind = kind_of(&a)?;
    let vault = crate::vault::open(node).await?;
    let file = tokio::fs::File::open(&a.file)
        .await
        .with_context(|| format!("opening {}", a.file.display()))?;
    let req = DeriveRequest {
        kind,
        original_name: a
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        collector: a.collector.clone(),
        classification: a.classification,
        actor: None,
        declared_sha256: a.sha256,
        collection: None,
        reason: a.reason.clone(),
    };
    let r = vault.derive(&a.ern, file, req).await?;
    vault.sync().await.context("publishing the checkpoint")?;
    if global.json {
        output::json(&r)?;
    } else {
        println!(
            "{} — {} of {}\nsha256 {}\nledger entry {}",
            r.ern,
            r.evidence
                .derived_from
                .as_ref()
                .map(|d| d.kind.code())
                .unwrap_or_default(),
            a.ern,
            r.sha256,
            r.ledger_index
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Serialize)]
struct FamilyOut {
    #[serde(flatten)]
    family: Family,
    working_languages: Vec<String>,
}

async fn family(global: &Global, node: &Node, a: FamilyArgs) -> anyhow::Result<ExitCode> {
    let vault = crate::vault::open(node).await?;
    let items = vault.family(&a.ern).await?;
    let Some(root) = items.iter().find(|e| e.ern.suffix().is_none()) else {
        bail!(
            "{} has derivatives but its original is not on this node",
            a.ern
        );
    };
    let working = match root.case {
        Some(c) => node.store.case(c).await?.working_languages,
        None => vec![],
    };
    let family = Family::new(root.ern.clone(), items, &working);
    if global.json {
        return output::json(&FamilyOut {
            family,
            working_languages: working,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = family
        .members
        .iter()
        .map(|m| {
            let e = &m.evidence;
            let (kind, from) = match &e.derived_from {
                Some(d) => (d.kind.code().to_owned(), d.original_ern.to_string()),
                None => ("original".to_owned(), "-".to_owned()),
            };
            vec![
                e.ern.to_string(),
                kind,
                from,
                dokaz_model::derivative::content_language(e)
                    .unwrap_or("-")
                    .to_owned(),
                e.sha256.to_hex()[..16].to_owned(),
                if m.translation_missing {
                    "translation missing".into()
                } else {
                    String::new()
                },
                output::clip(&e.original_name, 40),
            ]
        })
        .collect();
    output::table(
        &["ERN", "KIND", "FROM", "LANG", "SHA256", "NOTE", "NAME"],
        &rows,
    );
    if !working.is_empty() {
        println!("\nworking languages of the case: {}", working.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
