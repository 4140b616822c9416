//! Calibrates on one labelled corpus and evaluates on another, both written by dokaz-demo:
//! the development loop behind the default weights.
//!
//! `cargo run --release -p dokaz-match --example corpus_eval -- CAL_DIR TEST_DIR [N]`
//! (directories are generated with N incidents and persons if missing).

use std::path::Path;

use dokaz_demo::{LabelledSpec, LinkedPair};
use dokaz_match::evaluate::{calibrate_all, evaluate, Labelled, Options};
use dokaz_match::person::PersonFeatures;
use dokaz_match::weights::Weights;

fn load(dir: &Path, seed: u64, n: usize) -> dokaz_demo::LabelledCorpus {
    if !dir.join("manifest.json").exists() {
        let spec = LabelledSpec {
            seed,
            incidents: n,
            persons: n,
            ..LabelledSpec::default()
        };
        dokaz_demo::write_labelled(&spec, dir, |_| {}).expect("write corpus");
    }
    dokaz_demo::read_labelled(dir).expect("read corpus")
}

fn labelled(c: &dokaz_demo::LabelledCorpus) -> Labelled<'_> {
    let threads = dokaz_match::batch::default_threads();
    let mut l = Labelled {
        incidents: &c.incidents,
        persons: dokaz_match::batch::map(&c.persons, threads, PersonFeatures::new),
        units: &c.units,
        ..Labelled::default()
    };
    for link in &c.links {
        match link.pair {
            LinkedPair::Incident { a, b } => l.incident_links.push((a, b)),
            LinkedPair::Person { a, b } => l.person_links.push((a, b)),
            LinkedPair::Unit { a, b } => l.unit_links.push((a, b)),
        }
    }
    l
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let cal = load(Path::new(&args[0]), 11, n);
    let test = load(Path::new(&args[1]), 12, n);
    let threads = dokaz_match::batch::default_threads();
    let one_to_one = std::env::var("ONE_TO_ONE").is_ok();
    let (w, cals) = calibrate_all(labelled(&cal), &Weights::default(), threads, one_to_one);
    for c in &cals {
        println!(
            "calibration: completeness {:.4} candidates {} true {} f1 {:.4} threshold {:.2}",
            c.pairs_completeness, c.candidates, c.true_candidates, c.f1, c.threshold
        );
        for (l, m, u) in c.counts.iter().filter(|x| x.1 + x.2 > 0) {
            println!(
                "  {:32} m {:8} u {:8} w {:+.2}",
                l.code(),
                m,
                u,
                c.weights.get(*l)
            );
        }
    }
    let report = evaluate(
        labelled(&test),
        &Options {
            weights: &w,
            blind_key: Some(b"evaluation key"),
            threads,
            one_to_one,
            progress: &|_, _, _| {},
        },
    );
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    println!("{}", toml::to_string(&w.to_file()).unwrap());
}
