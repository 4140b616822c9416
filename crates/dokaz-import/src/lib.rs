//! Reading incidents into dokaz from CSV and JSON Lines.
//!
//! Parsing is separate from storing: [`read_incidents`] turns a file into validated incidents
//! and one [`RowError`] per bad row (line number, field, reason), and the caller decides —
//! nothing is written unless every row is valid or the user accepts skipping the bad ones.
#![forbid(unsafe_code)]

mod csv_incidents;
mod jsonl;
mod outcome;
mod when;

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, UserId};

pub use csv_incidents::{incident_from_fields, COLUMNS, REQUIRED_COLUMNS};
pub use outcome::{FileError, Parsed, RowError, RowWarning};
pub use when::parse_when;

/// The largest single field accepted, in bytes. A narrative may be long, but a multi-megabyte
/// cell in a registry export is corruption or an attack, and is refused per row.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Formats an incident file can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// Guesses from the file name: `.jsonl`/`.ndjson` are JSON Lines, all else CSV.
    pub fn from_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson") => Self::JsonLines,
            _ => Self::Csv,
        }
    }
}

/// Who the imported records belong to and when they were recorded.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub agency: AgencyId,
    pub user: Option<UserId>,
    pub now: DateTime<Utc>,
}

/// Reads every row, validating each; file-level problems (no header, missing required
/// columns, unreadable input) are a [`FileError`].
pub fn read_incidents<R: Read>(
    input: R,
    format: Format,
    ctx: &Context,
) -> Result<Parsed, FileError> {
    match format {
        Format::Csv => csv_incidents::read(input, ctx),
        Format::JsonLines => jsonl::read(input, ctx),
    }
}
