//! Reading registry records into dokaz from CSV and JSON Lines, and writing them back out.
//!
//! Parsing is separate from storing: [`RowReader`] streams a file of any record kind as
//! validated records and one [`RowError`] per bad row (line number, field, reason), through a
//! [`Mapping`] when the file has a foreign layout; [`sync`] turns rows into creates, updates
//! and unchanged records against the store's external ids; [`export`] writes records back out
//! with their external ids. Nothing is written unless every row is valid or the user accepts
//! skipping the bad ones.
#![forbid(unsafe_code)]

mod coords;
mod csv_incidents;
mod dates;
mod decode;
pub mod disclose;
pub mod export;
mod jsonl;
pub mod mapping;
mod merge;
mod outcome;
mod reader;
pub mod records;
pub mod sync;
mod when;

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, UserId};

pub use coords::{parse_coordinate, Axis};
pub use csv_incidents::{incident_from_fields, COLUMNS, REQUIRED_COLUMNS};
pub use dates::DateFormat;
pub use decode::{detect, detect_delimiter, Detected, Encoding, Utf8Reader};
pub use mapping::{Mapping, MappingError};
pub use outcome::{FileError, Parsed, RowError, RowWarning};
pub use reader::{ReadOptions, Record, Row, RowReader, MAX_ROW_BYTES};
pub use records::{Link, LinkKind};
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

/// The kinds of row an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Incidents,
    Persons,
    Units,
    Cases,
    Links,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Self::Incidents,
        Self::Persons,
        Self::Units,
        Self::Cases,
        Self::Links,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Incidents => "incidents",
            Self::Persons => "persons",
            Self::Units => "units",
            Self::Cases => "cases",
            Self::Links => "links",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The kind of deconfliction match records of this kind take part in (`None` for cases
    /// and links, which are not matched).
    pub fn match_kind(self) -> Option<dokaz_model::MatchKind> {
        use dokaz_model::MatchKind;
        match self {
            Self::Incidents => Some(MatchKind::Incident),
            Self::Persons => Some(MatchKind::Person),
            Self::Units => Some(MatchKind::Unit),
            Self::Cases | Self::Links => None,
        }
    }

    /// dokaz's own columns for this kind, with what each holds.
    pub fn columns(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Incidents => {
                let mut c = vec![(
                    "external_id",
                    "the source's own id of the row (default: the reference)",
                )];
                c.extend_from_slice(COLUMNS);
                c
            }
            Self::Persons => records::PERSON_COLUMNS.to_vec(),
            Self::Units => records::UNIT_COLUMNS.to_vec(),
            Self::Cases => records::CASE_COLUMNS.to_vec(),
            Self::Links => records::LINK_COLUMNS.to_vec(),
        }
    }

    /// Columns a file in dokaz's own layout must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Self::Incidents => REQUIRED_COLUMNS,
            Self::Persons => &[],
            Self::Units => &[],
            Self::Cases => &["reference", "title"],
            Self::Links => &["link", "from", "to"],
        }
    }
}

/// A CSV delimiter as a user writes it: one ASCII character, or `tab`.
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        d if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        _ => None,
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
