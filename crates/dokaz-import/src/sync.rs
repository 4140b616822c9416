//! Bringing a file's rows into the store so that importing it again changes nothing: each row's
//! external id (per agency, source and kind) finds the record an earlier import made; a row
//! whose content hash is unchanged is left alone, a changed one updates the record with the
//! change in its history, a new one is created.
//!
//! [`run`] reads the file twice: once to check every row (nothing is written unless every row
//! is valid or invalid rows may be skipped), once to write in batches of [`BATCH_ROWS`], each
//! batch atomic. Memory is bounded by the batch, not the file; the first pass keeps one hash
//! per external id to refuse an id used twice in the file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Read;

use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Problem, Problems, UserId};
use dokaz_store::{
    AnyRecord, ExternalRecord, HistoryChange, ImportBatch, ImportWrite, RecordKind, Store,
    StoreError,
};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::merge::{add_link, content_hash, diff, full_view, merge, record_of, touch};
use crate::outcome::{FileError, RowError, RowWarning};

pub use crate::merge::view;
use crate::reader::{Record, Row, RowReader};
use crate::records::{Link, LinkKind};

/// Rows written per transaction.
pub const BATCH_ROWS: usize = 5_000;

/// Who imports what, and whether to write.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub agency: AgencyId,
    /// The source's name, part of every external id's key (e.g. `atlos`, `registry.xlsx`).
    pub source: String,
    pub actor: Option<UserId>,
    pub now: DateTime<Utc>,
    /// Plan every row against the store, write nothing.
    pub dry_run: bool,
    /// Write the valid rows even when others are refused.
    pub skip_invalid: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Refuse,
}

/// What happens (or, in a dry run, would happen) to one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowOutcome {
    pub line: u64,
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<Uuid>,
    /// For an update: `{"field": {"old": …, "new": …}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// The counts of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub refused: u64,
    pub warnings: u64,
    /// Whether anything was written (false for a dry run and a refused file).
    pub written: bool,
}

/// The outcome of [`run`].
#[derive(Debug, Default)]
pub struct Report {
    pub summary: Summary,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowWarning>,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("storing the rows: {0}")]
    Store(#[from] StoreError),
}

/// Imports a file: `open` opens it afresh for each pass; `on_row` sees every row's outcome in
/// file order (for a dry run's listing); `on_progress` the rows read so far.
pub async fn run<R: Read>(
    open: impl Fn() -> Result<RowReader<R>, FileError>,
    store: &dyn Store,
    opts: &SyncOptions,
    mut on_row: impl FnMut(&RowOutcome),
    mut on_progress: impl FnMut(u64),
) -> Result<Report, SyncError> {
    // Pass 1: check every row; refuse external ids used twice.
    let mut report = Report::default();
    let mut first_line: HashMap<u64, u64> = HashMap::new();
    let mut reader = open()?;
    report.warnings.append(&mut reader.warnings);
    while let Some(item) = reader.next() {
        match item {
            Ok(row) => {
                report.summary.warnings += row.warnings.len() as u64;
                report
                    .warnings
                    .extend(row.warnings.iter().map(|p| RowWarning {
                        line: row.line,
                        problem: p.clone(),
                    }));
                if let Some(id) = &row.external_id {
                    let key = id_key(id);
                    if let Some(first) = first_line.get(&key) {
                        let mut p = Problems::new();
                        p.push(
                            "external_id",
                            format!("{id:?} is already used on line {first}"),
                        );
                        report.errors.push(RowError {
                            line: row.line,
                            problems: p,
                        });
                    } else {
                        first_line.insert(key, row.line);
                    }
                }
            }
            Err(e) => report.errors.push(e),
        }
        if reader.rows % 10_000 == 0 {
            on_progress(reader.rows);
        }
    }
    drop(first_line);
    report.summary.rows = reader.rows;
    report.summary.refused = report.errors.len() as u64;
    report.errors.sort_by_key(|e| e.line);
    let refuse_all = !report.errors.is_empty() && !opts.skip_invalid;
    if refuse_all && !opts.dry_run {
        return Ok(report);
    }

    // Pass 2: plan (and write) in batches, in file order.
    let refused: BTreeMap<u64, &RowError> = report.errors.iter().map(|e| (e.line, e)).collect();
    let mut syncer = Syncer {
        store,
        opts: SyncOptions {
            dry_run: opts.dry_run || refuse_all,
            ..opts.clone()
        },
    };
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut pending_refusals: Vec<RowOutcome> = Vec::new();
    let mut counts = Summary::default();
    let reader = open()?;
    let mut done = 0u64;
    for item in reader {
        done += 1;
        let line = match &item {
            Ok(row) => row.line,
            Err(e) => e.line,
        };
        if let Some(e) = refused.get(&line) {
            pending_refusals.push(refusal(e));
            continue;
        }
        let Ok(row) = item else { continue };
        batch.push(row);
        if batch.len() >= BATCH_ROWS {
            let outcomes = syncer.process(std::mem::take(&mut batch)).await?;
            emit(&mut counts, &mut pending_refusals, outcomes, &mut on_row);
            on_progress(done);
        }
    }
    let outcomes = syncer.process(batch).await?;
    emit(&mut counts, &mut pending_refusals, outcomes, &mut on_row);
    for r in pending_refusals.drain(..) {
        on_row(&r);
    }
    on_progress(done);
    report.summary.created = counts.created;
    report.summary.updated = counts.updated;
    report.summary.unchanged = counts.unchanged;
    report.summary.refused += counts.refused;
    report.summary.written = !syncer.opts.dry_run;
    Ok(report)
}

/// Passes a batch's outcomes, with the refusals among them, to `on_row` in line order.
fn emit(
    counts: &mut Summary,
    refusals: &mut Vec<RowOutcome>,
    outcomes: Vec<RowOutcome>,
    on_row: &mut impl FnMut(&RowOutcome),
) {
    let mut all: Vec<RowOutcome> = std::mem::take(refusals);
    for o in outcomes {
        match o.action {
            Action::Create => counts.created += 1,
            Action::Update => counts.updated += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Refuse => counts.refused += 1,
        }
        all.push(o);
    }
    all.sort_by_key(|o| o.line);
    for o in &all {
        on_row(o);
    }
}

fn refusal(e: &RowError) -> RowOutcome {
    RowOutcome {
        line: e.line,
        action: Action::Refuse,
        external_id: None,
        record: None,
        changes: None,
        problems: e.problems.0.clone(),
    }
}

fn id_key(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Plans and writes batches.
struct Syncer<'a> {
    store: &'a dyn Store,
    opts: SyncOptions,
}

impl Syncer<'_> {
    async fn process(&mut self, rows: Vec<Row>) -> Result<Vec<RowOutcome>, StoreError> {
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let (links, records): (Vec<Row>, Vec<Row>) = rows
            .into_iter()
            .partition(|r| matches!(r.record, Record::Link(_)));
        let mut outcomes = Vec::new();
        let mut writes = Vec::new();
        self.plan_records(records, &mut outcomes, &mut writes)
            .await?;
        self.plan_links(links, &mut outcomes, &mut writes).await?;
        if !self.opts.dry_run && !writes.is_empty() {
            let batch = ImportBatch {
                agency: self.opts.agency,
                source: self.opts.source.clone(),
                actor: self.opts.actor,
                at: self.opts.now,
                writes,
            };
            self.store.apply_import(&batch).await?;
        }
        outcomes.sort_by_key(|o| o.line);
        Ok(outcomes)
    }

    async fn lookup(
        &self,
        kind: RecordKind,
        ids: Vec<String>,
    ) -> Result<HashMap<String, ExternalRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.store
            .find_external_ids(self.opts.agency, &self.opts.source, kind, &ids)
            .await
    }

    async fn plan_records(
        &self,
        rows: Vec<Row>,
        outcomes: &mut Vec<RowOutcome>,
        writes: &mut Vec<ImportWrite>,
    ) -> Result<(), StoreError> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let kind = record_of(&first.record).kind();
        let ids: Vec<String> = rows.iter().filter_map(|r| r.external_id.clone()).collect();
        let known = self.lookup(kind, ids).await?;
        for row in rows {
            let record = record_of(&row.record);
            let hash = content_hash(&record);
            let found = row.external_id.as_ref().and_then(|id| known.get(id));
            let mut outcome = RowOutcome {
                line: row.line,
                action: Action::Create,
                external_id: row.external_id.clone(),
                record: Some(record.id()),
                changes: None,
                problems: vec![],
            };
            match found {
                None => {
                    if self.opts.dry_run {
                        outcome.record = None;
                    }
                    writes.push(ImportWrite {
                        external_id: row.external_id,
                        record,
                        content_hash: hash,
                        update: None,
                    });
                }
                Some(ext) if ext.content_hash == hash => {
                    outcome.action = Action::Unchanged;
                    outcome.record = Some(ext.record);
                }
                Some(ext) => {
                    let stored = self.load(kind, ext.record).await?;
                    let merged = merge(&stored, record, self.opts.now);
                    let changes = diff(&view(&stored), &view(&merged));
                    outcome.record = Some(ext.record);
                    if changes.as_object().is_some_and(|c| c.is_empty()) {
                        outcome.action = Action::Unchanged;
                    } else {
                        outcome.action = Action::Update;
                        outcome.changes = Some(changes.clone());
                        writes.push(ImportWrite {
                            external_id: row.external_id,
                            record: merged,
                            content_hash: hash,
                            update: Some(HistoryChange {
                                changes,
                                old_hash: Some(ext.content_hash),
                            }),
                        });
                    }
                }
            }
            outcomes.push(outcome);
        }
        Ok(())
    }

    async fn load(&self, kind: RecordKind, id: Uuid) -> Result<AnyRecord, StoreError> {
        let s = self.store;
        Ok(match kind {
            RecordKind::Incident => AnyRecord::Incident(Box::new(s.incident(id.into()).await?)),
            RecordKind::Person => AnyRecord::Person(s.person(id.into()).await?),
            RecordKind::Unit => AnyRecord::Unit(s.unit(id.into()).await?),
            RecordKind::Case => AnyRecord::Case(s.case(id.into()).await?),
        })
    }

    /// Links change the records at their ends: an incident's persons or units, a case's
    /// incidents, and a person's roles. Every record is loaded once per batch and written
    /// once, with all of the batch's links applied.
    async fn plan_links(
        &self,
        rows: Vec<Row>,
        outcomes: &mut Vec<RowOutcome>,
        writes: &mut Vec<ImportWrite>,
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let ends = |l: &Link| match l.kind {
            LinkKind::IncidentPerson => (RecordKind::Incident, RecordKind::Person),
            LinkKind::IncidentUnit => (RecordKind::Incident, RecordKind::Unit),
            LinkKind::CaseIncident => (RecordKind::Case, RecordKind::Incident),
        };
        let mut wanted: HashMap<RecordKind, HashSet<String>> = HashMap::new();
        for row in &rows {
            let Record::Link(l) = &row.record else {
                continue;
            };
            let (a, b) = ends(l);
            wanted.entry(a).or_default().insert(l.from.clone());
            wanted.entry(b).or_default().insert(l.to.clone());
        }
        let mut known: HashMap<RecordKind, HashMap<String, ExternalRecord>> = HashMap::new();
        for (kind, ids) in wanted {
            known.insert(kind, self.lookup(kind, ids.into_iter().collect()).await?);
        }
        // Records changed by this batch's links: (kind, external id) → (record, hash, before).
        let mut changed: HashMap<(RecordKind, String), (AnyRecord, [u8; 32], AnyRecord)> =
            HashMap::new();
        let mut order = Vec::new();
        for row in rows {
            let Record::Link(l) = &row.record else {
                continue;
            };
            let (from_kind, to_kind) = ends(l);
            let from = known.get(&from_kind).and_then(|m| m.get(&l.from)).copied();
            let to = known.get(&to_kind).and_then(|m| m.get(&l.to)).copied();
            let mut problems = Problems::new();
            for (field, found, kind, id) in [
                ("from", from, from_kind, &l.from),
                ("to", to, to_kind, &l.to),
            ] {
                if found.is_none() {
                    problems.push(
                        field,
                        format!(
                            "no {kind} with external id {id:?} in source {:?}; import it first",
                            self.opts.source
                        ),
                    );
                }
            }
            let (Some(from), Some(to)) = (from, to) else {
                outcomes.push(RowOutcome {
                    line: row.line,
                    action: Action::Refuse,
                    external_id: None,
                    record: None,
                    changes: None,
                    problems: problems.0,
                });
                continue;
            };
            let mut touched = Vec::new();
            let key = (from_kind, l.from.clone());
            if !changed.contains_key(&key) {
                let r = self.load(from_kind, from.record).await?;
                changed.insert(key.clone(), (r.clone(), from.content_hash, r));
                order.push(key.clone());
            }
            let entry = changed.get_mut(&key).expect("inserted above");
            if add_link(&mut entry.0, l.kind, to.record) {
                touched.push(key.clone());
            }
            if let (LinkKind::IncidentPerson, Some(role)) = (l.kind, l.role) {
                let pkey = (RecordKind::Person, l.to.clone());
                if !changed.contains_key(&pkey) {
                    let r = self.load(RecordKind::Person, to.record).await?;
                    changed.insert(pkey.clone(), (r.clone(), to.content_hash, r));
                    order.push(pkey.clone());
                }
                if let Some((AnyRecord::Person(p), _, _)) = changed.get_mut(&pkey) {
                    if !p.roles.contains(&role) {
                        p.roles.push(role);
                        touched.push(pkey);
                    }
                }
            }
            outcomes.push(RowOutcome {
                line: row.line,
                action: if touched.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                },
                external_id: Some(l.from.clone()),
                record: Some(from.record),
                changes: None,
                problems: vec![],
            });
        }
        for key in order {
            let (mut after, hash, before) = changed.remove(&key).expect("ordered keys exist");
            let changes = diff(&full_view(&before), &full_view(&after));
            if changes.as_object().is_some_and(|c| c.is_empty()) {
                continue;
            }
            touch(&mut after, self.opts.now);
            writes.push(ImportWrite {
                external_id: Some(key.1),
                record: after,
                content_hash: hash,
                update: Some(HistoryChange {
                    changes,
                    old_hash: Some(hash),
                }),
            });
        }
        Ok(())
    }
}
