//! What a bulk import does for deconfliction: the records it created or changed are matched
//! like any other write — one at a time for a few, by a batch run of their kind for many (a
//! batch is faster than thousands of separate lookups, and keeps decisions already taken).
//! The command line and the HTTP API both call this after an import.

use dokaz_model::{IncidentId, MatchKind, PersonId, UnitId};
use uuid::Uuid;

use crate::{BatchOptions, Deconflictor, Result, Written};

/// Up to this many written records are matched one by one; more, by a batch run.
pub const ONE_BY_ONE: usize = 2_000;

/// How the import's records were matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMatching {
    /// Each record looked up on its own; `done` is how many so far.
    OneByOne { done: u64, of: u64 },
    /// The whole kind matched again.
    Batch,
}

impl Deconflictor<'_> {
    /// Matches the records of `kind` an import wrote (`ids`); returns how many matches were
    /// found or refreshed. `on_progress` sees each step, for a progress display.
    pub async fn imported(
        &self,
        kind: MatchKind,
        ids: &[Uuid],
        one_to_one: bool,
        on_progress: &(dyn Fn(ImportMatching) + Sync),
    ) -> Result<u64> {
        if ids.is_empty() || kind == MatchKind::Evidence {
            return Ok(0);
        }
        if ids.len() > ONE_BY_ONE {
            on_progress(ImportMatching::Batch);
            let opt = BatchOptions {
                kinds: vec![kind],
                one_to_one,
                ..BatchOptions::default()
            };
            let summary = self.run_all(&opt, &|_| {}).await?;
            return Ok(summary.kinds.iter().map(|k| k.matches).sum());
        }
        let store = self.store;
        let mut found = 0u64;
        for (done, &id) in ids.iter().enumerate() {
            let recorded = match kind {
                MatchKind::Incident => {
                    let r = store.incident(IncidentId::from_uuid(id)).await?;
                    self.written(Written::Incident(&r)).await?
                }
                MatchKind::Person => {
                    let r = store.person(PersonId::from_uuid(id)).await?;
                    self.written(Written::Person(&r)).await?
                }
                MatchKind::Unit | MatchKind::Evidence => {
                    let r = store.unit(UnitId::from_uuid(id)).await?;
                    self.written(Written::Unit(&r)).await?
                }
            };
            found += recorded.len() as u64;
            on_progress(ImportMatching::OneByOne {
                done: done as u64 + 1,
                of: ids.len() as u64,
            });
        }
        Ok(found)
    }
}
