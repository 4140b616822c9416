//! What an import does for deconfliction: the records it created or changed are matched like
//! any other write (see `Deconflictor::imported`), with a progress display.

use dokaz_deconflict::ImportMatching;
use dokaz_import::Kind;
use uuid::Uuid;

use crate::node::Node;
use crate::{matcher, output};

/// Matches the records an import wrote; returns how many matches it found or refreshed.
pub async fn match_written(
    node: &Node,
    kind: Kind,
    written: &[Uuid],
    quiet: bool,
) -> anyhow::Result<u64> {
    let Some(match_kind) = kind.match_kind() else {
        return Ok(0);
    };
    if written.is_empty() {
        return Ok(0);
    }
    let d = matcher::deconflictor(node)?;
    let bar = output::progress_items(quiet, "matching", written.len() as u64);
    let found = d
        .imported(
            match_kind,
            written,
            node.config.matching.one_to_one,
            &|step| match step {
                ImportMatching::Batch => {
                    bar.set_message(format!("matching all {match_kind}s (batch)"))
                }
                ImportMatching::OneByOne { done, .. } => bar.set_position(done),
            },
        )
        .await?;
    bar.finish_and_clear();
    Ok(found)
}
