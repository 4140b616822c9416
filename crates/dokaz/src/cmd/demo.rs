//! `dokaz demo`: a new node filled with a generated, realistic dataset — several agencies
//! investigating the same war, with overlapping reports — to explore dokaz without real
//! (and protected) case data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_deconflict::{BatchOptions, BatchSummary};
use dokaz_demo::{ClusterSizes, DemoData, DemoSpec, LabelledSpec, LabelledSummary, LinkedPair};
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
///
/// With `--labelled DIR`, writes a labelled corpus for measuring deconfliction instead of
/// creating a node: K agencies report overlapping incidents and persons with realistic noise
/// (other scripts and romanisations, name order, diminutives, typos, partial birth dates,
/// shifted points and times, other casualty counts), and the true links. DIR must be new or
/// empty. It receives manifest.json, agencies.jsonl, incidents.jsonl, persons.jsonl,
/// units.jsonl (one dokaz record per line), links.jsonl (one true link per line: every further
/// report of a real incident or person is linked to its first report; close the links
/// transitively for the true clusters) and persons.csv
/// (id,agency,full_name,given,family,patronymic,birth_date,sex,origin) for tools such as
/// Splink. See crates/dokaz-demo/LABELLED.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The generator's seed.
    #[arg(long, default_value_t = DemoSpec::default().seed)]
    seed: u64,
    /// Number of agencies: 2-8 for a node [default: 4]; 2-10 with --labelled [default: 5].
    #[arg(long, value_parser = clap::value_parser!(u8).range(2..=10))]
    agencies: Option<u8>,
    /// Number of incident records, further reports included [default: 3000; 10000 with
    /// --labelled].
    #[arg(long)]
    incidents: Option<usize>,
    /// Number of person records [default: 800; 10000 with --labelled].
    #[arg(long)]
    persons: Option<usize>,
    /// Number of unit records [default: 60; 200 with --labelled].
    #[arg(long)]
    units: Option<usize>,
    /// Share of incidents that a second agency also reports (0.0-1.0) [default: 0.15]; with
    /// --labelled, share of real incidents and persons reported by more than one agency
    /// [default: 0.3].
    #[arg(long)]
    overlap: Option<f64>,
    /// Write a labelled corpus for deconfliction into this new or empty directory instead of
    /// creating a node.
    #[arg(long, value_name = "DIR")]
    labelled: Option<PathBuf>,
}

impl Args {
    fn labelled_spec(&self) -> LabelledSpec {
        let d = LabelledSpec::default();
        LabelledSpec {
            seed: self.seed,
            agencies: self.agencies.map_or(d.agencies, usize::from),
            incidents: self.incidents.unwrap_or(d.incidents),
            persons: self.persons.unwrap_or(d.persons),
            units: self.units.unwrap_or(d.units),
            overlap: self.overlap.unwrap_or(d.overlap),
        }
    }
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
    /// Matches deconfliction found between the agencies' records, by kind.
    matches: BTreeMap<String, u64>,
    logins: Vec<Login>,
}

#[derive(Debug, Serialize)]
struct AgencyCount {
    code: String,
    name: String,
    incidents: usize,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.labelled {
        return run_labelled(global, dir, args.labelled_spec()).await;
    }
    let defaults = DemoSpec::default();
    let agencies = args.agencies.unwrap_or(4);
    anyhow::ensure!(
        agencies <= 8,
        "--agencies must be within 2..=8 for a demo node (up to 10 with --labelled)"
    );
    let spec = DemoSpec {
        seed: args.seed,
        agencies: usize::from(agencies),
        incidents: args.incidents.unwrap_or(defaults.incidents),
        persons: args.persons.unwrap_or(defaults.persons),
        units: args.units.unwrap_or(defaults.units),
        overlap: args.overlap.unwrap_or(defaults.overlap),
    };
    anyhow::ensure!(
        (0.0..=1.0).contains(&spec.overlap),
        "--overlap must be within 0.0..1.0"
    );
    let data = tokio::task::spawn_blocking(move || dokaz_demo::generate(&spec)).await?;
    let first = data.agencies.first().context("the demo has no agency")?;
    let layout = Layout::create(global, &first.code, None)?;
    let (logins, evidence, matched) = layout
        .complete(global, fill(global, &layout, &data))
        .await?;

    let mut report = summarise(global, args.seed, &data, logins);
    report.matches = matched
        .kinds
        .iter()
        .map(|k| (k.kind.to_string(), k.matches))
        .collect();
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
) -> anyhow::Result<(Vec<Login>, Vec<dokaz_model::Ern>, BatchSummary)> {
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
        spinner.set_message("matching the agencies' records against each other");
        let matched = crate::matcher::deconflictor(&node)?
            .run_all(&BatchOptions::default(), &|_| {})
            .await?;
        spinner.finish_and_clear();
        Ok((logins, evidence, matched))
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
        matches: BTreeMap::new(),
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
    println!(
        "Deconfliction found: {}.",
        r.matches
            .iter()
            .map(|(k, n)| format!("{n} {k} matches"))
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
    if let Some(l) = r.logins.iter().find(|l| l.roles.contains("investigator")) {
        println!(
            "  dokaz --data-dir {dir} match list --as {} --status new",
            l.login
        );
    }
    println!("  dokaz --data-dir {dir} serve     # then log in with one of the logins above");
}

/// What `dokaz demo --labelled` prints.
#[derive(Debug, Serialize)]
struct LabelledReport {
    dir: String,
    seconds: f64,
    #[serde(flatten)]
    summary: LabelledSummary,
}

async fn run_labelled(global: &Global, dir: &Path, spec: LabelledSpec) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&spec.overlap),
        "--overlap must be within 0.0..1.0"
    );
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        anyhow::ensure!(
            entries.next().is_none(),
            "{} is not empty: a labelled corpus is written only into a new or empty directory",
            dir.display()
        );
    }
    let total = (spec.incidents + spec.persons + spec.units) as u64;
    let bar = output::progress_items(global.json, "writing labelled corpus", total);
    let started = std::time::Instant::now();
    let summary = {
        let (bar, out) = (bar.clone(), dir.to_owned());
        tokio::task::spawn_blocking(move || {
            dokaz_demo::write_labelled(&spec, &out, |p| bar.set_position(p.written))
        })
        .await?
        .with_context(|| format!("writing the labelled corpus into {}", dir.display()))?
    };
    bar.finish_and_clear();
    let report = LabelledReport {
        dir: dir.display().to_string(),
        seconds: started.elapsed().as_secs_f64(),
        summary,
    };
    if global.json {
        output::json(&report)?;
    } else {
        print_labelled(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_labelled(r: &LabelledReport) {
    let m = &r.summary.manifest;
    println!(
        "Labelled corpus written to {} in {:.1} s (seed {}, {} agencies: {})\n",
        r.dir,
        r.seconds,
        m.seed,
        m.agencies,
        r.summary.agencies.join(", ")
    );
    let sizes = |c: &ClusterSizes| {
        c.sizes
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{n}×{k}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rows = vec![
        vec![
            "incidents".to_owned(),
            m.counts.incidents.to_string(),
            r.summary.incidents.entities.to_string(),
            sizes(&r.summary.incidents),
            r.summary.incidents.hard_negatives.to_string(),
        ],
        vec![
            "persons".to_owned(),
            m.counts.persons.to_string(),
            r.summary.persons.entities.to_string(),
            sizes(&r.summary.persons),
            r.summary.persons.hard_negatives.to_string(),
        ],
    ];
    output::table(
        &[
            "KIND",
            "RECORDS",
            "REAL",
            "REPORTS×AGENCIES",
            "HARD NEGATIVES",
        ],
        &rows,
    );
    println!(
        "\n{} units; {} true links (links.jsonl). Score a matcher with: dokaz match eval {}",
        m.counts.units, m.counts.links, r.dir
    );
}
