//! `dokaz export incidents|persons|units|cases`: records out as CSV, JSON Lines or GeoJSON,
//! with their external ids, as a named user may see them (`--as LOGIN`): records the user may
//! not view are left out, protected identities are pseudonyms unless the user is cleared,
//! narratives need content-level access. One audit record says who exported what.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::Utc;
use dokaz_access::{
    decide, may_see_identity, pseudonym, Action, Principal, Resource, ResourceKind,
};
use dokaz_import::export::{ExportFormat, ExportRecord, Exporter};
use dokaz_import::Kind;
use dokaz_model::{AuditRecord, Classification, Decision, Grant, GrantLevel, GrantTarget, Login};
use dokaz_store::{ExternalId, IncidentFilter, PageRequest, Store, MAX_PAGE_SIZE};
use serde::Serialize;
use uuid::Uuid;

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

/// Who is exporting: a user's principal, or the node operator (no principal).
struct Viewer {
    principal: Option<Principal>,
    key: Vec<u8>,
}

impl Viewer {
    fn verdict(&self, r: &Resource, level: GrantLevel, grants: &[Grant]) -> bool {
        match &self.principal {
            None => true,
            Some(p) => decide(p, Action::View(level), r, grants, Utc::now()).allowed,
        }
    }
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
    let viewer = Viewer {
        principal,
        key: key.0.to_vec(),
    };
    let out: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?,
        )
    };
    let mut exporter = Exporter::new(kind, format, BufWriter::new(out))?;
    let mut filter = IncidentFilter {
        agency,
        ..Default::default()
    };
    let day = |flag: &str, s: &str| {
        dokaz_import::parse_when(s)
            .map(|r| r.start)
            .map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
    };
    filter.occurred_from = args.from.as_deref().map(|s| day("from", s)).transpose()?;
    filter.occurred_to = args.to.as_deref().map(|s| day("to", s)).transpose()?;
    let store = node.store.as_ref();
    let mut stats = Stats::default();
    let spinner = output::spinner(global.json || args.out.as_os_str() == "-");
    let mut page = PageRequest::first(MAX_PAGE_SIZE);
    loop {
        let next = match kind {
            Kind::Incidents => {
                let p = store.list_incidents(&filter, page).await?;
                let ids: Vec<Uuid> = p.items.iter().map(|i| i.id.as_uuid()).collect();
                let ext = externals(store, &ids, args.source.as_deref()).await?;
                let grants = grants(
                    store,
                    &viewer,
                    p.items
                        .iter()
                        .map(|i| GrantTarget::Incident(i.id))
                        .collect(),
                )
                .await?;
                for i in &p.items {
                    let r = resource(
                        ResourceKind::Incident,
                        i.agency,
                        i.classification,
                        vec![GrantTarget::Incident(i.id)],
                    );
                    if !viewer.verdict(&r, GrantLevel::Metadata, &grants) {
                        stats.withheld += 1;
                        continue;
                    }
                    let narrative = viewer.verdict(&r, GrantLevel::Content, &grants);
                    exporter.write(
                        &ExportRecord::Incident {
                            incident: i,
                            narrative,
                        },
                        ext.get(&i.id.as_uuid()),
                    )?;
                }
                p.next
            }
            Kind::Persons => {
                let p = store.list_persons(agency, page).await?;
                let ids: Vec<Uuid> = p.items.iter().map(|i| i.id.as_uuid()).collect();
                let ext = externals(store, &ids, args.source.as_deref()).await?;
                for person in &p.items {
                    let r = resource(
                        ResourceKind::Person,
                        person.agency,
                        person.classification,
                        vec![],
                    );
                    if !viewer.verdict(&r, GrantLevel::Metadata, &[]) {
                        stats.withheld += 1;
                        continue;
                    }
                    let cleared = viewer
                        .principal
                        .as_ref()
                        .is_some_and(|p| may_see_identity(p, person.agency));
                    let pseudo = (person.protected && !cleared).then(|| {
                        stats.identities += 1;
                        pseudonym(&viewer.key, person.id)
                    });
                    exporter.write(
                        &ExportRecord::Person {
                            person,
                            pseudonym: pseudo,
                        },
                        ext.get(&person.id.as_uuid()),
                    )?;
                }
                p.next
            }
            Kind::Units => {
                let p = store.list_units(agency, page).await?;
                let ids: Vec<Uuid> = p.items.iter().map(|i| i.id.as_uuid()).collect();
                let ext = externals(store, &ids, args.source.as_deref()).await?;
                for u in &p.items {
                    let r = resource(ResourceKind::Unit, u.agency, u.classification, vec![]);
                    if !viewer.verdict(&r, GrantLevel::Metadata, &[]) {
                        stats.withheld += 1;
                        continue;
                    }
                    exporter.write(&ExportRecord::Unit(u), ext.get(&u.id.as_uuid()))?;
                }
                p.next
            }
            Kind::Cases | Kind::Links => {
                let p = store.list_cases(agency, page).await?;
                let ids: Vec<Uuid> = p.items.iter().map(|i| i.id.as_uuid()).collect();
                let ext = externals(store, &ids, args.source.as_deref()).await?;
                let grants = grants(
                    store,
                    &viewer,
                    p.items.iter().map(|c| GrantTarget::Case(c.id)).collect(),
                )
                .await?;
                for c in &p.items {
                    let r = resource(
                        ResourceKind::Case,
                        c.agency,
                        c.classification,
                        vec![GrantTarget::Case(c.id)],
                    );
                    if !viewer.verdict(&r, GrantLevel::Metadata, &grants) {
                        stats.withheld += 1;
                        continue;
                    }
                    exporter.write(&ExportRecord::Case(c), ext.get(&c.id.as_uuid()))?;
                }
                p.next
            }
        };
        spinner.set_message(format!("{} {} written", exporter.written, kind.code()));
        match next {
            Some(cursor) => page.after = Some(dokaz_store::Cursor::decode(&cursor)?),
            None => break,
        }
    }
    let written = exporter.written;
    exporter.finish()?.flush()?;
    spinner.finish_and_clear();

    // One audit record per export: who took which records out, how many were withheld.
    if let Some(p) = &viewer.principal {
        let mut record = AuditRecord::new(
            Some(p.user),
            Some(p.agency),
            format!("{}.export", kind.code().trim_end_matches('s')),
            Decision::Allow,
            format!(
                "{written} written as {}, {} withheld, {} identities withheld",
                args.format, stats.withheld, stats.identities
            ),
        );
        record.target = Some(kind.code().to_owned());
        store
            .append_audit(&[record])
            .await
            .context("recording the export in the audit log")?;
    }
    let summary = Summary {
        kind: kind.code().to_owned(),
        written,
        withheld: stats.withheld,
        identities_withheld: stats.identities,
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
            stats.identities
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Default)]
struct Stats {
    withheld: u64,
    identities: u64,
}

fn resource(
    kind: ResourceKind,
    agency: dokaz_model::AgencyId,
    classification: Classification,
    covered_by: Vec<GrantTarget>,
) -> Resource {
    Resource {
        kind,
        agency,
        classification,
        covered_by,
        // Consent governs statements and their bytes leaving the agency; a registry export
        // withholds protected identities by clearance instead.
        consent: None,
    }
}

/// The grants to the viewer's agency on a page's records.
async fn grants(
    store: &dyn Store,
    viewer: &Viewer,
    targets: Vec<GrantTarget>,
) -> anyhow::Result<Vec<Grant>> {
    match &viewer.principal {
        Some(p) if !targets.is_empty() => Ok(store.grants_for(p.agency, &targets).await?),
        _ => Ok(vec![]),
    }
}

/// Each record's external id: of `source` when given, else the first.
async fn externals(
    store: &dyn Store,
    ids: &[Uuid],
    source: Option<&str>,
) -> anyhow::Result<HashMap<Uuid, ExternalId>> {
    let mut out = HashMap::new();
    for e in store.external_ids_of(ids).await? {
        if source.is_some_and(|s| s != e.source) {
            continue;
        }
        out.entry(e.record).or_insert(e);
    }
    Ok(out)
}
