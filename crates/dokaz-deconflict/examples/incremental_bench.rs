//! How long matching one new incident takes against N stored ones, through the real store
//! (SQLite in a temporary directory): the incidents of a labelled corpus are stored and filed
//! under their keys by a batch run, then held-back incidents are written one at a time and
//! each `written()` call is timed — the candidate query, loading and comparing candidates,
//! recording matches and filing the new record's keys. It also prints how many of the
//! probes' true links (to records already written) were found, and how many matches were
//! true, so that a faster lookup is seen not to cost recall.
//!
//! `cargo run --release -p dokaz-deconflict --example incremental_bench -- [STORED] [PROBES]`
//! (`bash bench/match_incremental.sh` runs it; target: under 50 ms per incident at 1,000,000).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use dokaz_deconflict::{BatchOptions, Deconflictor, Written};
use dokaz_demo::{LabelledSpec, LinkedPair};
use dokaz_match::weights::Weights;
use dokaz_model::MatchKind;
use dokaz_store::{AgencyStore, IncidentStore};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let stored = args.first().copied().unwrap_or(1_000_000);
    let probes = args.get(1).copied().unwrap_or(200);
    let dir = tempfile::tempdir()?;

    let t = Instant::now();
    let spec = LabelledSpec {
        incidents: stored + probes,
        persons: 0,
        units: 0,
        ..LabelledSpec::default()
    };
    dokaz_demo::write_labelled(&spec, &dir.path().join("corpus"), |_| {})?;
    let corpus = dokaz_demo::read_labelled(&dir.path().join("corpus"))?;
    eprintln!(
        "corpus of {} incidents in {:.1?}",
        corpus.incidents.len(),
        t.elapsed()
    );

    let store = dokaz_store_sqlite::SqliteStore::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    for a in &corpus.agencies {
        store.create_agency(a).await?;
    }
    // The probes are the last records: written after the others, as new records are.
    let (old, new) = corpus.incidents.split_at(stored);
    let t = Instant::now();
    for chunk in old.chunks(5_000) {
        store.create_incidents(chunk).await?;
    }
    eprintln!("stored {} incidents in {:.1?}", old.len(), t.elapsed());

    let key = [42u8; 32];
    let d = Deconflictor::new(&store, Weights::default(), &key);
    let t = Instant::now();
    let summary = d
        .run_all(
            &BatchOptions {
                kinds: vec![MatchKind::Incident],
                ..BatchOptions::default()
            },
            &|_| {},
        )
        .await?;
    eprintln!(
        "batch run (keys filed, {} matches) in {:.1?}",
        summary.kinds[0].matches,
        t.elapsed()
    );

    // Each incident's true links.
    let mut truth: HashMap<_, HashSet<_>> = HashMap::new();
    for l in &corpus.links {
        if let LinkedPair::Incident { a, b } = l.pair {
            let (a, b) = (a.as_uuid(), b.as_uuid());
            truth.entry(a).or_default().insert(b);
            truth.entry(b).or_default().insert(a);
        }
    }
    let mut written: HashSet<_> = old.iter().map(|i| i.id.as_uuid()).collect();
    let (mut links, mut linked, mut true_matches) = (0, 0, 0);
    let mut times = Vec::with_capacity(new.len());
    let mut found = 0;
    for i in new {
        store.create_incident(i).await?;
        let t = Instant::now();
        let matches = d.written(Written::Incident(i)).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        found += matches.len();
        let me = i.id.as_uuid();
        let mine = truth.get(&me);
        links += mine.map_or(0, |t| t.iter().filter(|o| written.contains(o)).count());
        for m in &matches {
            let other = if m.stored.a.record == me {
                m.stored.b.record
            } else {
                m.stored.a.record
            };
            if mine.is_some_and(|t| t.contains(&other)) {
                true_matches += 1;
                linked += 1;
            }
        }
        written.insert(me);
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "incremental match of one incident against {stored} stored (SQLite), {} probes: \
         median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({found} matches) — target < 50 ms",
        times.len(),
        pct(0.5),
        pct(0.95),
        pct(0.99),
        times[times.len() - 1]
    );
    println!(
        "true links of the probes found: {linked} of {links}; matches that are true: \
         {true_matches} of {found}"
    );
    Ok(())
}
