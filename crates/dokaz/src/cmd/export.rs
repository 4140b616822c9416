//! `dokaz export incidents|persons|units|cases`: records out as CSV, JSON Lines or GeoJSON,
//! with their external ids, as a named user may see them (`--as LOGIN`): records the user may
//! not view are left out, protected identities are pseudonyms unless the user is cleared,
//! narratives need content-level access. One audit record says who exported what.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use dokaz_access::Principal;
use dokaz_import::disclose::{self, Selection, Viewer};
use dokaz_import::export::{ExportFormat, Exporter};
use dokaz_import::Kind;
use dokaz_model::{AuditRecord, Decision, Login};
use serde::Serialize;

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// incidents, persons, units or cases.
    #[arg(value_parser = ["incidents", "persons", "units", "cases"])]
    kind: String,
    /// csv, jsonl, or geojson (incidents only).
    #[arg(long, value_parser = ["csv", "jsonl", "geojson"], default_value = "csv")]
    format: String,
    /// Only the records of this agency.
    #[arg(long)]
    agency: Option<String>,
    /// Incidents whose time range ends on or after this date (YYYY-MM-DD, …).
    #[arg(long)]
    from: Option<String>,
    /// Incidents whose time range starts before this date.
    #[arg(long)]
    to: Option<String>,
    /// Export as this user: only what they may see, identities as they may see them.
    /// Without it, every record, with every protected identity withheld.
    #[arg(long = "as", value_name = "LOGIN")]
    as_user: Option<String>,
    /// Write the external ids of this source (default: the first the record has).
    #[arg(long)]
    source: Option<String>,
    /// The file to write (`-` for standard output).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Serialize)]
struct Summary {
    kind: String,
    written: u64,
    withheld: u64,
    identities_withheld: u64,
    out: String,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = export(global, &node, args).await;
    node.store.close().await;
    result
}

async fn export(global: &Global, node: &Node, args: Args) -> anyhow::Result<ExitCode> {
    let kind = Kind::from_code(&args.kind).expect("clap checks the kind");
    let format = ExportFormat::from_code(&args.format).expect("clap checks the format");
    if format == ExportFormat::GeoJson && kind != Kind::Incidents {
        bail!("--format geojson is for incidents only");
    }
    if (args.from.is_some() || args.to.is_some()) && kind != Kind::Incidents {
        bail!("--from and --to filter incidents only");
    }
    let agency = match &args.agency {
        Some(code) => Some(node.agency(Some(code)).await?.id),
        None => None,
    };
    let principal = match &args.as_user {
        None => None,
        Some(login) => {
            let parsed: Login = login.parse().map_err(anyhow::Error::msg)?;
            let (u, _) = node
                .store
                .credentials(&parsed)
                .await
                .with_context(|| format!("--as {login}: no such user"))?;
            Some(Principal {
                user: u.id,
                agency: u.agency,
                roles: u.roles,
                identity_cleared: u.identity_cleared,
                disabled: u.disabled,
            })
        }
    };
    let key_path = node.data_path(std::path::Path::new(crate::cmd::serve::PSEUDONYM_KEY_FILE));
    let key = dokaz_server::PseudonymKey::load_or_create(&key_path)
        .with_context(|| format!("reading or making {}", key_path.display()))?;
    let out: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?,
        )
    };
    let mut exporter = Exporter::new(kind, format, BufWriter::new(out))?;
    let day = |flag: &str, s: &str| {
        dokaz_import::parse_when(s)
            .map(|r| r.start)
            .map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
    };
    let selection = Selection {
        kind,
        agency,
        occurred_from: args.from.as_deref().map(|s| day("from", s)).transpose()?,
        occurred_to: args.to.as_deref().map(|s| day("to", s)).transpose()?,
        source: args.source.clone(),
    };
    let viewer = Viewer {
        principal: principal.as_ref(),
        pseudonym_key: &key.0,
    };
    let spinner = output::spinner(global.json || args.out.as_os_str() == "-");
    let stats = disclose::export(
        node.store.as_ref(),
        &viewer,
        &selection,
        &mut exporter,
        |n| spinner.set_message(format!("{n} {} written", kind.code())),
    )
    .await?;
    let written = stats.written;
    exporter.finish()?.flush()?;
    spinner.finish_and_clear();

    // One audit record per export: who took which records out, how many were withheld.
    if let Some(p) = &principal {
        let mut record = AuditRecord::new(
            Some(p.user),
            Some(p.agency),
            format!("{}.export", kind.code().trim_end_matches('s')),
            Decision::Allow,
            stats.describe(kind, format),
        );
        record.target = Some(kind.code().to_owned());
        node.store
            .append_audit(&[record])
            .await
            .context("recording the export in the audit log")?;
    }
    let summary = Summary {
        kind: kind.code().to_owned(),
        written,
        withheld: stats.withheld,
        identities_withheld: stats.identities_withheld,
        out: args.out.display().to_string(),
    };
    if global.json {
        output::json(&summary)?;
    } else if args.out.as_os_str() != "-" {
        println!(
            "Exported {written} {} to {} ({} withheld by access rules, {} identities withheld).",
            kind.code(),
            args.out.display(),
            stats.withheld,
            stats.identities_withheld
        );
    }
    Ok(ExitCode::SUCCESS)
}
