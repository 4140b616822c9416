//! What an import does for deconfliction: the records it created or changed are matched like
//! any other write — one at a time for a few, by a batch run of their kind for many (a batch
//! is faster than thousands of separate lookups, and keeps decisions already taken).

use dokaz_deconflict::{BatchOptions, Written};
use dokaz_import::Kind;
use dokaz_model::{IncidentId, MatchKind, PersonId, UnitId};
use uuid::Uuid;

use crate::node::Node;
use crate::{matcher, output};

/// Up to this many written records are matched one by one; more, by a batch run.
const ONE_BY_ONE: usize = 2_000;

/// Matches the records an import wrote; returns how many matches it found or refreshed.
pub async fn match_written(
    node: &Node,
    kind: Kind,
    written: &[Uuid],
    quiet: bool,
) -> anyhow::Result<u64> {
    let match_kind = match kind {
        Kind::Incidents => MatchKind::Incident,
        Kind::Persons => MatchKind::Person,
        Kind::Units => MatchKind::Unit,
        Kind::Cases | Kind::Links => return Ok(0),
    };
    if written.is_empty() {
        return Ok(0);
    }
    let d = matcher::deconflictor(node)?;
    if written.len() > ONE_BY_ONE {
        let spinner = output::spinner(quiet);
        spinner.set_message(format!("matching all {match_kind}s (batch)"));
        let opt = BatchOptions {
            kinds: vec![match_kind],
            one_to_one: node.config.matching.one_to_one,
            ..BatchOptions::default()
        };
        let summary = d.run_all(&opt, &|_| {}).await?;
        spinner.finish_and_clear();
        return Ok(summary.kinds.iter().map(|k| k.matches).sum());
    }
    let bar = output::progress_items(quiet, "matching", written.len() as u64);
    let mut found = 0u64;
    for &id in written {
        let recorded = match match_kind {
            MatchKind::Incident => {
                let r = node.store.incident(IncidentId::from_uuid(id)).await?;
                d.written(Written::Incident(&r)).await?
            }
            MatchKind::Person => {
                let r = node.store.person(PersonId::from_uuid(id)).await?;
                d.written(Written::Person(&r)).await?
            }
            _ => {
                let r = node.store.unit(UnitId::from_uuid(id)).await?;
                d.written(Written::Unit(&r)).await?
            }
        };
        found += recorded.len() as u64;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(found)
}
