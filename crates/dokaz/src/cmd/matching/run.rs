//! `dokaz match run`: match every stored record again, after a bulk import or a change of
//! weights; `dokaz match rotate-key`: a new matching key, and every record filed under it.

use std::process::ExitCode;

use dokaz_deconflict::{BatchOptions, Progress};
use dokaz_model::MatchKind;

use crate::node::Node;
use crate::{matcher, output, Global};

/// Match every stored record against every other agency's records, and record the matches.
///
/// What a write does for one record, done for all: every incident, person and unit is
/// filed under its blocking keys and compared with its candidates on every core (sealed
/// records through their blind encodings only). Pairs already known keep their id and both
/// agencies' decisions; new pairs appear as `new` to both sides. Run it after a bulk import
/// or after changing the weights (`matching.weights_file`).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  dokaz match run\n  dokaz match run --kind person --json")]
pub struct RunArgs {
    /// Only this kind of record (incident, person, unit); repeat for several. Default: all.
    #[arg(long = "kind")]
    kinds: Vec<MatchKind>,
    /// Keep every pair above the threshold, not only each record's best match per other
    /// agency (for agencies whose own records hold duplicates).
    #[arg(long)]
    all_pairs: bool,
}

/// Replace the deployment's matching key and file every record under the new one.
///
/// Stored blocking keys and blind encodings are keyed with the matching key; rotating it
/// (after a suspected leak, or on schedule) makes the old ones worthless. All agencies of the
/// deployment must receive the new key file.
#[derive(Debug, clap::Args)]
pub struct RotateKeyArgs {}

pub async fn run(global: &Global, a: RunArgs) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let d = matcher::deconflictor(&node)?;
    batch(
        global,
        &d,
        a.kinds,
        !a.all_pairs && node.config.matching.one_to_one,
    )
    .await
}

pub async fn rotate_key(global: &Global, _: RotateKeyArgs) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let path = node.data_dir.join(&node.config.matching.key_file);
    let key = dokaz_deconflict::key::create(&path)?;
    let d = dokaz_deconflict::Deconflictor::new(
        node.store.as_ref(),
        matcher::node_weights(&node)?,
        &key,
    );
    if !global.json {
        eprintln!(
            "new matching key written to {}; re-filing every record under it",
            path.display()
        );
    }
    batch(global, &d, Vec::new(), node.config.matching.one_to_one).await
}

async fn batch(
    global: &Global,
    d: &dokaz_deconflict::Deconflictor<'_>,
    kinds: Vec<MatchKind>,
    one_to_one: bool,
) -> anyhow::Result<ExitCode> {
    let mut opt = BatchOptions {
        one_to_one,
        ..BatchOptions::default()
    };
    if !kinds.is_empty() {
        opt.kinds = kinds;
    }
    let bar = output::progress_items(global.json, "matching", 0);
    let on_progress = |p: Progress| match p {
        Progress::Loading { kind, loaded } => {
            bar.set_message(format!("loading {kind}s"));
            bar.set_length(loaded);
            bar.set_position(loaded);
        }
        Progress::Comparing { kind, done, of } => {
            bar.set_message(format!("comparing {kind}s"));
            bar.set_length(of);
            bar.set_position(done);
        }
        Progress::Recording { kind, done, of } => {
            bar.set_message(format!("recording {kind} matches and keys"));
            bar.set_length(of);
            bar.set_position(done);
        }
    };
    let summary = d.run_all(&opt, &on_progress).await?;
    bar.finish_and_clear();
    if global.json {
        output::json(&summary)?;
    } else {
        let rows: Vec<Vec<String>> = summary
            .kinds
            .iter()
            .map(|k| {
                vec![
                    k.kind.to_string(),
                    k.records.to_string(),
                    k.comparisons.to_string(),
                    k.matches.to_string(),
                    k.new_matches.to_string(),
                    format!("{:.1}", k.seconds),
                ]
            })
            .collect();
        output::table(
            &["KIND", "RECORDS", "COMPARED", "MATCHES", "NEW", "SECONDS"],
            &rows,
        );
    }
    Ok(ExitCode::SUCCESS)
}
