//! `dokaz incident add|list|show`: the registry of incidents from the command line.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::Utc;
use dokaz_import::Context;
use dokaz_model::{Incident, IncidentId, NewIncident};
use dokaz_store::{Cursor, IncidentFilter, PageRequest, StoreError};

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record one incident, from flags or from a JSON document (`--file`).
    ///
    /// The flags are the columns of `dokaz import incidents` and follow the same rules;
    /// every problem is reported at once, with the flag it concerns.
    Add(Box<AddArgs>),
    /// List incidents, oldest first, a page at a time.
    List(ListArgs),
    /// Show one incident in full.
    Show {
        /// The incident's id, or its agency reference.
        id: String,
        /// Whose reference `id` is (default: the node's agency).
        #[arg(long)]
        agency: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A JSON document with the incident (`-` for standard input); see the README for its
    /// fields. Excludes the other flags.
    #[arg(long, conflicts_with_all = ["title", "occurred_at"])]
    file: Option<PathBuf>,
    /// The agency the incident is recorded for (default: the node's agency).
    #[arg(long)]
    agency: Option<String>,
    /// Short description.
    #[arg(long, required_unless_present = "file")]
    title: Option<String>,
    /// When: YYYY-MM-DD, YYYY-MM-DD HH:MM (UTC), RFC 3339, YYYY-MM or YYYY.
    #[arg(long = "occurred", required_unless_present = "file")]
    occurred_at: Option<String>,
    /// End of the event, same formats.
    #[arg(long = "until")]
    occurred_end: Option<String>,
    /// second, minute, hour, day, month or year (default: as written).
    #[arg(long)]
    precision: Option<String>,
    /// Latitude, WGS84 decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    /// Longitude, WGS84 decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// Radius in metres within which the true location lies.
    #[arg(long)]
    uncertainty_m: Option<String>,
    /// The agency's own reference, unique within the agency.
    #[arg(long)]
    reference: Option<String>,
    /// Place name as the source writes it.
    #[arg(long)]
    place: Option<String>,
    #[arg(long)]
    oblast: Option<String>,
    #[arg(long)]
    hromada: Option<String>,
    /// KATOTTH code (UA followed by 17 digits).
    #[arg(long)]
    katotth: Option<String>,
    /// Crime codes, repeated or separated by ';' (e.g. rs-8-2-b-ix;ua-cc-438).
    #[arg(long)]
    crime: Vec<String>,
    /// Incident types (e.g. shelling).
    #[arg(long = "type")]
    incident_type: Vec<String>,
    /// Weapon codes (e.g. cluster-munition).
    #[arg(long)]
    weapon: Vec<String>,
    /// Protected object codes (e.g. hospital).
    #[arg(long)]
    object: Vec<String>,
    #[arg(long)]
    killed: Option<String>,
    #[arg(long)]
    injured: Option<String>,
    /// Children among the killed.
    #[arg(long)]
    children: Option<String>,
    /// Children among the injured.
    #[arg(long)]
    children_injured: Option<String>,
    /// Alleged perpetrators as the source names them.
    #[arg(long)]
    perpetrators: Option<String>,
    /// Free text in any language.
    #[arg(long)]
    narrative: Option<String>,
    /// Language of the narrative (uk, ru, en, ...).
    #[arg(long)]
    narrative_lang: Option<String>,
    /// reported, under-investigation, verified or closed.
    #[arg(long)]
    status: Option<String>,
    /// open, restricted (default) or sealed.
    #[arg(long)]
    classification: Option<String>,
}

impl AddArgs {
    /// The flags as named CSV columns, so the import's row rules apply unchanged.
    fn fields(&self) -> Vec<(&'static str, String)> {
        let one = |name, v: &Option<String>| v.clone().map(|v| (name, v));
        let many = |name, v: &Vec<String>| (!v.is_empty()).then(|| (name, v.join(";")));
        [
            one("title", &self.title),
            one("occurred_at", &self.occurred_at),
            one("occurred_end", &self.occurred_end),
            one("precision", &self.precision),
            one("lat", &self.lat),
            one("lon", &self.lon),
            one("uncertainty_m", &self.uncertainty_m),
            one("reference", &self.reference),
            one("place", &self.place),
            one("oblast", &self.oblast),
            one("hromada", &self.hromada),
            one("katotth", &self.katotth),
            many("crime", &self.crime),
            many("type", &self.incident_type),
            many("weapon", &self.weapon),
            many("object", &self.object),
            one("killed", &self.killed),
            one("injured", &self.injured),
            one("children", &self.children),
            one("children_injured", &self.children_injured),
            one("perpetrators", &self.perpetrators),
            one("narrative", &self.narrative),
            one("narrative_lang", &self.narrative_lang),
            one("status", &self.status),
            one("classification", &self.classification),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this agency's incidents (by code).
    #[arg(long)]
    agency: Option<String>,
    /// Only incidents that end on or after this date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Only incidents that start before this date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// How many to show (at most 1000).
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Continue after this cursor (printed at the end of the previous page).
    #[arg(long)]
    after: Option<String>,
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = match command {
        Command::Add(args) => add(global, &node, *args).await,
        Command::List(args) => list(global, &node, args).await,
        Command::Show { id, agency } => show(global, &node, &id, agency.as_deref()).await,
    };
    node.store.close().await;
    result
}

async fn add(global: &Global, node: &Node, args: AddArgs) -> anyhow::Result<ExitCode> {
    let agency = node.agency(args.agency.as_deref()).await?;
    let ctx = Context {
        agency: agency.id,
        user: None,
        now: Utc::now(),
    };
    let (incident, warnings) = match &args.file {
        Some(path) => {
            let text = read_input(path)?;
            let new: NewIncident = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid incident document", path.display()))?;
            let incident = new.into_incident(ctx.agency, ctx.user, ctx.now);
            let v = incident.validate(ctx.now).map_err(refused)?;
            (incident, v.warnings)
        }
        None => {
            let (incident, v) =
                dokaz_import::incident_from_fields(&args.fields(), &ctx).map_err(refused)?;
            (incident, v.warnings)
        }
    };
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    node.store.create_incident(&incident).await?;
    let found = crate::matcher::deconflictor(node)?
        .written(dokaz_deconflict::Written::Incident(&incident))
        .await?;
    if !global.json && !found.is_empty() {
        eprintln!(
            "deconfliction: {} matching record(s) of other agencies; see `dokaz match list`",
            found.len()
        );
    }
    if global.json {
        output::json(&incident)?;
    } else {
        println!("Recorded incident {} for {}", incident.id, agency.code);
    }
    Ok(ExitCode::SUCCESS)
}

fn refused(problems: dokaz_model::Problems) -> anyhow::Error {
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    anyhow::anyhow!("the incident was not recorded:\n{}", lines.join("\n"))
}

fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    }
}

async fn list(global: &Global, node: &Node, args: ListArgs) -> anyhow::Result<ExitCode> {
    let mut filter = IncidentFilter::default();
    if let Some(code) = &args.agency {
        filter.agency = Some(node.agency(Some(code)).await?.id);
    }
    let day = |flag: &str, s: &str| {
        dokaz_import::parse_when(s)
            .map(|r| r.start)
            .map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
    };
    filter.occurred_from = args.from.as_deref().map(|s| day("from", s)).transpose()?;
    filter.occurred_to = args.to.as_deref().map(|s| day("to", s)).transpose()?;
    let after = args
        .after
        .as_deref()
        .map(Cursor::decode)
        .transpose()
        .map_err(|_| anyhow::anyhow!("--after: not a cursor printed by `dokaz incident list`"))?;
    let page = node
        .store
        .list_incidents(
            &filter,
            PageRequest {
                after,
                limit: args.limit,
            },
        )
        .await?;
    if global.json {
        return output::json(&page).map(|()| ExitCode::SUCCESS);
    }
    let total = node.store.count_incidents(&filter).await?;
    let rows: Vec<Vec<String>> = page.items.iter().map(row).collect();
    output::table(
        &["ID", "REFERENCE", "WHEN", "PLACE", "CRIMES", "TITLE"],
        &rows,
    );
    println!("\n{} of {total} shown", rows.len());
    if let Some(next) = &page.next {
        println!("next page: dokaz incident list --after {next}");
    }
    Ok(ExitCode::SUCCESS)
}

fn row(i: &Incident) -> Vec<String> {
    vec![
        i.id.to_string(),
        i.reference.clone().unwrap_or_default(),
        i.occurred.start.format("%Y-%m-%d").to_string(),
        output::clip(&i.location.place_name, 24),
        output::clip(&dokaz_model::taxonomy::join_codes(&i.crimes), 30),
        output::clip(&i.title, 60),
    ]
}

async fn show(
    global: &Global,
    node: &Node,
    id: &str,
    agency: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let incident = match id.parse::<IncidentId>() {
        Ok(id) => node.store.incident(id).await,
        Err(_) => {
            let agency = node.agency(agency).await?;
            let filter = IncidentFilter {
                agency: Some(agency.id),
                ..Default::default()
            };
            find_by_reference(node, &filter, id).await
        }
    };
    let incident = match incident {
        Ok(i) => i,
        Err(StoreError::NotFound { .. }) => bail!("no incident {id:?} on this node"),
        Err(e) => return Err(e.into()),
    };
    if global.json {
        output::json(&incident)?;
    } else {
        println!("{}", serde_json::to_string_pretty(&incident)?);
    }
    Ok(ExitCode::SUCCESS)
}

/// References are unique per agency; the registry has no index by reference yet, so this
/// pages through the agency's incidents.
async fn find_by_reference(
    node: &Node,
    filter: &IncidentFilter,
    reference: &str,
) -> Result<Incident, StoreError> {
    let mut req = PageRequest::first(dokaz_store::MAX_PAGE_SIZE);
    loop {
        let page = node.store.list_incidents(filter, req).await?;
        if let Some(i) = page
            .items
            .into_iter()
            .find(|i| i.reference.as_deref() == Some(reference))
        {
            return Ok(i);
        }
        match page.next {
            Some(n) => req.after = Some(Cursor::decode(&n)?),
            None => return Err(StoreError::not_found("incident", reference)),
        }
    }
}
