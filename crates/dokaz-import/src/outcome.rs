//! What reading a file yields: the valid incidents, one error per bad row, and warnings.

use std::fmt;

use dokaz_model::{Incident, Problem, Problems};

/// A problem with the file as a whole; nothing of it can be imported.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty or has no header row")]
    NoHeader,
    #[error("missing required column(s): {}; the header has: {}", missing.join(", "), found.join(", "))]
    MissingColumns {
        missing: Vec<String>,
        found: Vec<String>,
    },
    #[error("duplicate column {0:?} in the header")]
    DuplicateColumn(String),
    #[error("the header row is not valid UTF-8")]
    HeaderEncoding,
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything wrong with one row, with the line it starts on (1-based, the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub problems: Problems,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problems)
    }
}

/// Something worth knowing about a row that does not stop its import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowWarning {
    /// 0 for the file as a whole (e.g. an ignored column).
    pub line: u64,
    pub problem: Problem,
}

impl fmt::Display for RowWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "line {}: {}", self.line, self.problem)
        }
    }
}

/// The outcome of reading a file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub incidents: Vec<Incident>,
    /// The line each of `incidents` came from.
    pub lines: Vec<u64>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowWarning>,
    /// Data rows read, valid or not.
    pub rows: u64,
}

impl Parsed {
    pub(crate) fn accept(
        &mut self,
        line: u64,
        incident: Incident,
        ctx_now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Problems> {
        let validated = incident.validate(ctx_now)?;
        self.warnings.extend(
            validated
                .warnings
                .into_iter()
                .map(|problem| RowWarning { line, problem }),
        );
        self.incidents.push(incident);
        self.lines.push(line);
        Ok(())
    }

    pub(crate) fn reject(&mut self, line: u64, problems: Problems) {
        self.errors.push(RowError { line, problems });
    }

    /// Checks a batch for references used twice within the file itself, which the database
    /// would refuse only at commit time, without naming the lines.
    pub(crate) fn refuse_duplicate_references(&mut self) {
        let mut seen = std::collections::HashMap::new();
        let mut keep = Vec::with_capacity(self.incidents.len());
        let mut keep_lines = Vec::with_capacity(self.incidents.len());
        let lines = std::mem::take(&mut self.lines);
        for (incident, line) in std::mem::take(&mut self.incidents).into_iter().zip(lines) {
            if let Some(r) = incident.reference.clone() {
                if let Some(first) = seen.insert(r.clone(), line) {
                    let mut p = Problems::new();
                    p.push(
                        "reference",
                        format!("{r:?} is already used on line {first}"),
                    );
                    seen.insert(r, first);
                    self.errors.push(RowError { line, problems: p });
                    continue;
                }
            }
            keep.push(incident);
            keep_lines.push(line);
        }
        self.incidents = keep;
        self.lines = keep_lines;
        self.errors.sort_by_key(|e| e.line);
    }
}
