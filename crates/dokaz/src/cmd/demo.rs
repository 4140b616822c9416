//! `dokaz demo`: a new node filled with a generated, realistic dataset — several agencies
//! investigating the same war, with overlapping reports — to explore dokaz without real
//! (and protected) case data.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_demo::{DemoData, DemoSpec, LinkedPair};
use dokaz_model::AgencyId;
use serde::Serialize;

use crate::cmd::init::{create_with_password, Layout};
use crate::node::{open_store, Node};
use crate::{output, Global};

/// Create a node with generated demo data: agencies, users, incidents at real Ukrainian
/// places, cases, persons named in Cyrillic and Latin, military units, and incidents and
/// persons reported by two agencies with differing details.
///
/// The data is fiction at real places; the same seed always gives the same data. Refuses a
/// directory that already holds a node.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The generator's seed.
    #[arg(long, default_value_t = DemoSpec::default().seed)]
    seed: u64,
    /// Number of agencies (2-8).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(2..=8))]
    agencies: u8,
    /// Number of incident records, second reports included.
    #[arg(long, default_value_t = DemoSpec::default().incidents)]
    incidents: usize,
    /// Number of person records.
    #[arg(long, default_value_t = DemoSpec::default().persons)]
    persons: usize,
    /// Number of unit records.
    #[arg(long, default_value_t = DemoSpec::default().units)]
    units: usize,
    /// Share of incidents that a second agency also reports (0.0-1.0).
    #[arg(long, default_value_t = DemoSpec::default().overlap)]
    overlap: f64,
}

/// Who can log in to the demo node, printed once.
#[derive(Debug, Serialize)]
struct Login {
    agency: String,
    login: String,
    roles: String,
    one_time_password: String,
}

#[derive(Debug, Serialize)]
struct Report {
    data_dir: String,
    seed: u64,
    agencies: Vec<AgencyCount>,
    cases: usize,
    persons: usize,
    units: usize,
    /// Statements taken into the evidence vault.
    evidence: usize,
    /// One of their ERNs, for the commands to try.
    example_ern: String,
    /// Ground-truth pairs of records of two agencies about the same thing, by kind.
    overlaps: BTreeMap<&'static str, usize>,
    logins: Vec<Login>,
}

#[derive(Debug, Serialize)]
struct AgencyCount {
    code: String,
    name: String,
    incidents: usize,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let spec = DemoSpec {
        seed: args.seed,
        agencies: usize::from(args.agencies),
        incidents: args.incidents,
        persons: args.persons,
        units: args.units,
        overlap: args.overlap,
    };
    anyhow::ensure!(
        (0.0..=1.0).contains(&spec.overlap),
        "--overlap must be within 0.0..1.0"
    );
    let data = tokio::task::spawn_blocking(move || dokaz_demo::generate(&spec)).await?;
    let first = data.agencies.first().context("the demo has no agency")?;
    let layout = Layout::create(global, &first.code, None)?;
    let (logins, evidence) = layout
        .complete(global, fill(global, &layout, &data))
        .await?;

    let mut report = summarise(global, args.seed, &data, logins);
    report.evidence = evidence.len();
    report.example_ern = evidence
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    if global.json {
        output::json(&report)?;
    } else {
        print(&report, &layout.config.agency);
    }
    Ok(ExitCode::SUCCESS)
}

async fn fill(
    global: &Global,
    layout: &Layout,
    data: &DemoData,
) -> anyhow::Result<(Vec<Login>, Vec<dokaz_model::Ern>)> {
    let store = open_store(&layout.config.database_url(&global.data_dir)).await?;
    let result = async {
        let logins = load(global, store.as_ref(), data).await?;
        let node = Node {
            data_dir: global.data_dir.clone(),
            config: layout.config.clone(),
            store: store.clone(),
        };
        let vault = crate::vault::open(&node).await?;
        let spinner = output::spinner(global.json);
        spinner.set_message("taking demo statements into the evidence vault");
        let evidence = super::demo_evidence::ingest(&vault, data).await?;
        spinner.finish_and_clear();
        Ok((logins, evidence))
    }
    .await;
    store.close().await;
    result
}

/// Stores every record, agencies first, with a progress bar over the records.
async fn load(
    global: &Global,
    store: &dyn dokaz_store::Store,
    data: &DemoData,
) -> anyhow::Result<Vec<Login>> {
    let total = data.agencies.len()
        + data.users.len()
        + data.units.len()
        + data.incidents.len()
        + data.persons.len()
        + data.cases.len();
    let bar = output::progress_items(global.json, "loading demo records", total as u64);
    for a in &data.agencies {
        store.create_agency(a).await.context("storing an agency")?;
        bar.inc(1);
    }
    let code_of = |id: AgencyId| {
        data.agencies
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.code.to_string())
            .unwrap_or_default()
    };
    let mut logins = Vec::new();
    for u in &data.users {
        let password = create_with_password(store, u).await?;
        logins.push(Login {
            agency: code_of(u.agency),
            login: u.login.to_string(),
            roles: u
                .roles
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(","),
            one_time_password: password,
        });
        bar.inc(1);
    }
    for u in &data.units {
        store.create_unit(u).await.context("storing a unit")?;
        bar.inc(1);
    }
    for chunk in data.incidents.chunks(1_000) {
        store
            .create_incidents(chunk)
            .await
            .context("storing incidents")?;
        bar.inc(chunk.len() as u64);
    }
    for p in &data.persons {
        store.create_person(p).await.context("storing a person")?;
        bar.inc(1);
    }
    for c in &data.cases {
        store.create_case(c).await.context("storing a case")?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(logins)
}

fn summarise(global: &Global, seed: u64, data: &DemoData, logins: Vec<Login>) -> Report {
    let agencies = data
        .agencies
        .iter()
        .map(|a| AgencyCount {
            code: a.code.to_string(),
            name: a.name.clone(),
            incidents: data.incidents.iter().filter(|i| i.agency == a.id).count(),
        })
        .collect();
    let mut overlaps = BTreeMap::new();
    for l in &data.links {
        let kind = match l.pair {
            LinkedPair::Incident { .. } => "incidents",
            LinkedPair::Person { .. } => "persons",
            LinkedPair::Unit { .. } => "units",
        };
        *overlaps.entry(kind).or_insert(0) += 1;
    }
    Report {
        data_dir: global.data_dir.display().to_string(),
        seed,
        agencies,
        cases: data.cases.len(),
        persons: data.persons.len(),
        units: data.units.len(),
        evidence: 0,
        example_ern: String::new(),
        overlaps,
        logins,
    }
}

fn print(r: &Report, home: &str) {
    println!("Demo node ready in {} (seed {})\n", r.data_dir, r.seed);
    let rows: Vec<Vec<String>> = r
        .agencies
        .iter()
        .map(|a| vec![a.code.clone(), a.incidents.to_string(), a.name.clone()])
        .collect();
    output::table(&["AGENCY", "INCIDENTS", "NAME"], &rows);
    println!(
        "\n{} cases, {} persons, {} units, {} evidence items. Reported by two agencies: {}.",
        r.cases,
        r.persons,
        r.units,
        r.evidence,
        r.overlaps
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("\nLogins (one-time passwords, shown only now):");
    let rows: Vec<Vec<String>> = r
        .logins
        .iter()
        .map(|l| {
            vec![
                l.agency.clone(),
                l.login.clone(),
                l.one_time_password.clone(),
                l.roles.clone(),
            ]
        })
        .collect();
    output::table(&["AGENCY", "LOGIN", "PASSWORD", "ROLES"], &rows);
    let dir = &r.data_dir;
    println!("\nTry:");
    println!("  dokaz --data-dir {dir} incident list --limit 20");
    println!(
        "  dokaz --data-dir {dir} incident list --agency {home} --from 2022-03-01 --to 2022-04-01"
    );
    println!("  dokaz --data-dir {dir} --json incident show <ID>");
    println!("  dokaz --data-dir {dir} ledger checkpoint");
    println!("  dokaz --data-dir {dir} ledger prove {}", r.example_ern);
    println!("  dokaz --data-dir {dir} fsck");
    println!("  dokaz --data-dir {dir} serve     # then log in with one of the logins above");
}
