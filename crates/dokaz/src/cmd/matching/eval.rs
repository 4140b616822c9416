//! `dokaz match eval DIR` and `dokaz match calibrate DIR`: the matcher measured, and its
//! weights estimated, on a labelled corpus (`dokaz demo --labelled DIR`, or an agency's own
//! confirmed matches in the same format).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_demo::{LabelledCorpus, LinkedPair};
use dokaz_match::evaluate::{calibrate_all, evaluate, KindReport, Labelled, Options};
use dokaz_match::person::PersonFeatures;
use dokaz_match::weights::Weights;

use crate::{matcher, output, Global};

/// Match a labelled corpus and print precision, recall and F1 per record type.
///
/// Runs the same comparisons as `dokaz match run`, in memory, over the corpus in DIR, first
/// openly and then blindly (keyed encodings only, as sealed records are matched), and scores
/// the pairs found against the corpus's true links. No node is needed.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    dokaz demo --labelled corpus --incidents 100000 --persons 100000\n  \
    dokaz match eval corpus\n  \
    dokaz match eval corpus --weights weights.toml --json")]
pub struct EvalArgs {
    /// The corpus directory (manifest.json, *.jsonl, links.jsonl).
    dir: PathBuf,
    /// Weights and thresholds to use (from `dokaz match calibrate`); default: built in.
    #[arg(long)]
    weights: Option<PathBuf>,
    /// Only this kind of record (incident, person, unit); repeat for several. Default: all.
    #[arg(long = "kind")]
    kinds: Vec<dokaz_model::MatchKind>,
    /// Skip blind mode.
    #[arg(long)]
    open_only: bool,
    /// Keep every pair above the threshold, not only each record's best match per other
    /// agency.
    #[arg(long)]
    all_pairs: bool,
}

/// Estimate weights and thresholds on a labelled corpus, and write them as TOML.
///
/// Fits each comparison level's weight (logistic regression over the candidate pairs the
/// blocking finds, shrunk towards the built-in weights) and picks the threshold with the best
/// F1. Calibrate on one corpus and evaluate on another (another seed) to see how the weights
/// carry over; point `matching.weights_file` at the result to use it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  \
    dokaz demo --labelled cal --seed 11 && dokaz demo --labelled test --seed 12\n  \
    dokaz match calibrate cal --out weights.toml && dokaz match eval test --weights weights.toml")]
pub struct CalibrateArgs {
    /// The corpus directory.
    dir: PathBuf,
    /// Where to write the weights (TOML). Refuses to overwrite an existing file.
    #[arg(long)]
    out: PathBuf,
    /// Calibrate for keeping every pair above the threshold (see `eval --all-pairs`).
    #[arg(long)]
    all_pairs: bool,
}

/// Reads the corpus in DIR, its persons as their features only (see
/// `dokaz_demo::read_labelled_as`), and those only if `kinds` asks for persons (all kinds when
/// empty).
fn load(
    dir: &std::path::Path,
    kinds: &[dokaz_model::MatchKind],
) -> anyhow::Result<LabelledCorpus<PersonFeatures>> {
    let persons = wanted(kinds, dokaz_model::MatchKind::Person);
    dokaz_demo::read_labelled_as(dir, dokaz_match::batch::default_threads(), |p| {
        persons.then(|| PersonFeatures::new(&p))
    })
    .with_context(|| format!("reading the corpus in {}", dir.display()))
}

fn wanted(kinds: &[dokaz_model::MatchKind], kind: dokaz_model::MatchKind) -> bool {
    kinds.is_empty() || kinds.contains(&kind)
}

/// The corpus as a labelled set, with only the kinds in `kinds` (all when empty).
fn labelled<'c>(
    c: &'c mut LabelledCorpus<PersonFeatures>,
    kinds: &[dokaz_model::MatchKind],
) -> Labelled<'c> {
    use dokaz_model::MatchKind as K;
    let mut l = Labelled {
        incidents: if wanted(kinds, K::Incident) {
            &c.incidents
        } else {
            &[]
        },
        persons: std::mem::take(&mut c.persons),
        units: if wanted(kinds, K::Unit) {
            &c.units
        } else {
            &[]
        },
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

pub async fn eval(global: &Global, a: EvalArgs) -> anyhow::Result<ExitCode> {
    let weights = match &a.weights {
        Some(p) => matcher::read_weights(p)?,
        None => Weights::default(),
    };
    let spinner = output::spinner(global.json);
    spinner.set_message("reading the corpus");
    let mut corpus = load(&a.dir, &a.kinds)?;
    spinner.finish_and_clear();
    let bar = output::progress_items(global.json, "matching", 0);
    let key = [7u8; 32];
    let report = {
        let on_progress = |stage: &str, done: usize, of: usize| {
            bar.set_message(stage.to_owned());
            bar.set_length(of as u64);
            bar.set_position(done as u64);
        };
        evaluate(
            labelled(&mut corpus, &a.kinds),
            &Options {
                weights: &weights,
                // An evaluation key: blind mode needs one; its value changes no score.
                blind_key: (!a.open_only).then_some(&key[..]),
                threads: dokaz_match::batch::default_threads(),
                one_to_one: !a.all_pairs,
                progress: &on_progress,
            },
        )
    };
    bar.finish_and_clear();
    if global.json {
        output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let row = |name: &str, k: &KindReport| {
        let blind = |f: fn(&dokaz_match::eval::Scores) -> f64| {
            k.blind
                .as_ref()
                .map_or("-".to_owned(), |s| format!("{:.4}", f(s)))
        };
        vec![
            name.to_owned(),
            k.records.to_string(),
            k.true_pairs.to_string(),
            format!("{:.4}", k.open.precision),
            format!("{:.4}", k.open.recall),
            format!("{:.4}", k.open.f1),
            blind(|s| s.f1),
            format!("{:.1}", k.seconds),
        ]
    };
    output::table(
        &[
            "TYPE",
            "RECORDS",
            "TRUE PAIRS",
            "PRECISION",
            "RECALL",
            "F1",
            "BLIND F1",
            "SECONDS",
        ],
        &[
            row("incidents", &report.incidents),
            row("persons", &report.persons),
            row("units", &report.units),
        ],
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn calibrate(global: &Global, a: CalibrateArgs) -> anyhow::Result<ExitCode> {
    if a.out.exists() {
        anyhow::bail!(
            "{} exists; choose another --out or remove it",
            a.out.display()
        );
    }
    let spinner = output::spinner(global.json);
    spinner.set_message("reading the corpus");
    let mut corpus = load(&a.dir, &[])?;
    let seed = corpus.manifest.seed;
    spinner.set_message("comparing candidate pairs and fitting weights");
    let (weights, cals) = calibrate_all(
        labelled(&mut corpus, &[]),
        &Weights::default(),
        dokaz_match::batch::default_threads(),
        !a.all_pairs,
    );
    spinner.finish_and_clear();
    let text = format!(
        "# dokaz matching weights, estimated by `dokaz match calibrate` on {} (seed {}).\n{}",
        a.dir.display(),
        seed,
        toml::to_string(&weights.to_file())?
    );
    std::fs::write(&a.out, text).with_context(|| format!("writing {}", a.out.display()))?;
    let names = ["incidents", "persons", "units"];
    if global.json {
        let summary: Vec<_> = names
            .iter()
            .zip(&cals)
            .map(|(n, c)| {
                serde_json::json!({
                    "type": n, "candidates": c.candidates, "pairs_completeness": c.pairs_completeness,
                    "threshold": c.threshold, "f1": c.f1,
                })
            })
            .collect();
        output::json(&summary)?;
    } else {
        let rows: Vec<Vec<String>> = names
            .iter()
            .zip(&cals)
            .map(|(n, c)| {
                vec![
                    (*n).to_owned(),
                    c.candidates.to_string(),
                    format!("{:.4}", c.pairs_completeness),
                    format!("{:.2}", c.threshold),
                    format!("{:.4}", c.f1),
                ]
            })
            .collect();
        output::table(
            &[
                "TYPE",
                "CANDIDATES",
                "BLOCKING RECALL",
                "THRESHOLD",
                "F1 (fit)",
            ],
            &rows,
        );
        println!("weights written to {}", a.out.display());
    }
    Ok(ExitCode::SUCCESS)
}
