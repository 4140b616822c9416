//! Reading any kind of record from CSV or JSON Lines as a stream: one row at a time, with its
//! line number, so a file of a million rows is read in bounded memory. Each row becomes
//! dokaz's columns (through a mapping, or directly when the file uses dokaz's layout) and then
//! a record, or a [`RowError`] naming the line, the field and the reason.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Chain, Cursor, Read};
use std::rc::Rc;

use csv::ByteRecord;
use dokaz_model::{Incident, Person, Problem, Problems, Unit};

use crate::decode::{detect, detect_delimiter, Encoding, Utf8Reader, SNIFF_BYTES};
use crate::mapping::{normalise, Mapping};
use crate::outcome::{FileError, RowError, RowWarning};
use crate::records::{self, Link};
use crate::when::clip;
use crate::{Context, Format, Kind, MAX_FIELD_BYTES};

/// A row longer than this is refused and reading stops: it is almost always a quote opened
/// and never closed, which would otherwise swallow the rest of the file into one cell.
pub const MAX_ROW_BYTES: u64 = 16 * MAX_FIELD_BYTES as u64;

/// One record read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Incident(Box<Incident>),
    Person(Person),
    Unit(Unit),
    Case(dokaz_model::Case),
    Link(Link),
}

/// A valid row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub external_id: Option<String>,
    pub record: Record,
    pub warnings: Vec<Problem>,
}

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub kind: Kind,
    pub format: Format,
    /// Declared encoding; detected when `None` (and the mapping declares none).
    pub encoding: Option<Encoding>,
    /// Declared delimiter; detected when `None` (and the mapping declares none).
    pub delimiter: Option<u8>,
    pub mapping: Option<Mapping>,
    pub ctx: Context,
}

/// Counts the bytes the CSV parser has taken, so that a runaway row can be stopped.
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
    limit_from: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read.get() - self.limit_from.get() > MAX_ROW_BYTES {
            return Err(io::Error::other(format!(
                "a row is longer than {} MiB: a quote opened on this line is probably never \
                 closed",
                MAX_ROW_BYTES >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

type Input<R> = Utf8Reader<Chain<Cursor<Vec<u8>>, R>>;

enum Source<R: Read> {
    Csv {
        reader: csv::Reader<Counting<Input<R>>>,
        columns: HashMap<String, usize>,
        width: usize,
        done: bool,
        consumed: Rc<Cell<u64>>,
        row_start: Rc<Cell<u64>>,
    },
    Jsonl {
        reader: io::BufReader<Input<R>>,
        line: u64,
    },
}

/// The stream of rows of one file.
pub struct RowReader<R: Read> {
    source: Source<R>,
    opts: ReadOptions,
    /// Warnings about the file as a whole (unknown or missing columns).
    pub warnings: Vec<RowWarning>,
    /// The encoding read.
    pub encoding: Encoding,
    /// Data rows read so far, valid or not.
    pub rows: u64,
}

impl<R: Read> std::fmt::Debug for RowReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowReader")
            .field("kind", &self.opts.kind)
            .field("rows", &self.rows)
            .finish()
    }
}

impl<R: Read> RowReader<R> {
    /// Opens a file: detects its encoding and delimiter and reads the CSV header.
    pub fn open(mut input: R, opts: ReadOptions) -> Result<Self, FileError> {
        let mut sample = Vec::with_capacity(SNIFF_BYTES);
        (&mut input)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut sample)?;
        let mut detected = detect(&sample);
        if let Some(e) = opts
            .encoding
            .or(opts.mapping.as_ref().and_then(|m| m.encoding))
        {
            detected.encoding = e;
        }
        let delimiter = opts
            .delimiter
            .or(opts.mapping.as_ref().and_then(|m| m.delimiter))
            .unwrap_or_else(|| detect_delimiter(&sample[detected.bom.min(sample.len())..]));
        let encoding = detected.encoding;
        let text = Utf8Reader::new(Cursor::new(sample).chain(input), detected);
        let mut warnings = Vec::new();
        let source = match opts.format {
            Format::JsonLines => Source::Jsonl {
                reader: io::BufReader::with_capacity(1 << 16, text),
                line: 0,
            },
            Format::Csv => {
                let consumed = Rc::new(Cell::new(0));
                let row_start = Rc::new(Cell::new(0));
                let counting = Counting {
                    inner: text,
                    read: consumed.clone(),
                    limit_from: row_start.clone(),
                };
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(false)
                    .delimiter(delimiter)
                    .from_reader(counting);
                let mut header = ByteRecord::new();
                if !reader.read_byte_record(&mut header).map_err(csv_file)? {
                    return Err(FileError::NoHeader);
                }
                let columns = header_columns(&header, &opts, &mut warnings)?;
                Source::Csv {
                    reader,
                    columns,
                    width: header.len(),
                    done: false,
                    consumed,
                    row_start,
                }
            }
        };
        Ok(Self {
            source,
            opts,
            warnings,
            encoding,
            rows: 0,
        })
    }

    fn csv_next(&mut self) -> Option<Result<Row, RowError>> {
        let Source::Csv {
            reader,
            columns,
            width,
            done,
            consumed,
            row_start,
        } = &mut self.source
        else {
            return None;
        };
        let mut record = ByteRecord::new();
        loop {
            if *done {
                return None;
            }
            row_start.set(consumed.get());
            let starts_on = reader.position().line();
            match reader.read_byte_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    *done = true;
                    // An I/O error has no position: the row began where the last one ended.
                    let line = e.position().map(|p| p.line()).unwrap_or(starts_on);
                    let reason = match e.kind() {
                        csv::ErrorKind::Io(io) => io.to_string(),
                        _ => e.to_string(),
                    };
                    self.rows += 1;
                    let mut p = Problems::new();
                    p.push("row", format!("unreadable CSV: {reason}"));
                    return Some(Err(RowError { line, problems: p }));
                }
            }
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            break;
        }
        self.rows += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut problems = Problems::new();
        if record.len() != *width {
            let hint = if record.iter().any(|f| f.contains(&b'\n')) {
                " — a quote opened on this line is probably never closed"
            } else {
                ""
            };
            problems.push(
                "row",
                format!("has {} fields; the header has {width}{hint}", record.len()),
            );
            return Some(Err(RowError { line, problems }));
        }
        // Decode every cell once; a bad cell is named by its column.
        let mut cells: HashMap<&str, &str> = HashMap::with_capacity(columns.len());
        for (name, &i) in columns.iter() {
            let raw = record.get(i).unwrap_or_default();
            if raw.len() > MAX_FIELD_BYTES {
                problems.push(
                    name.clone(),
                    format!(
                        "is {} bytes long; the limit is {MAX_FIELD_BYTES}",
                        raw.len()
                    ),
                );
                continue;
            }
            match std::str::from_utf8(raw) {
                Ok(s) => {
                    cells.insert(name.as_str(), crate::export::unescape_cell(s));
                }
                Err(e) => problems.push(
                    name.clone(),
                    format!(
                        "is not valid UTF-8 (bad byte at offset {}); declare the file's \
                         encoding with --encoding (e.g. windows-1251) or save it as UTF-8",
                        e.valid_up_to()
                    ),
                ),
            }
        }
        let fields = to_fields(&self.opts, &|c| cells.get(c).copied(), &mut problems);
        Some(build(&self.opts, line, fields, problems))
    }

    fn jsonl_next(&mut self) -> Option<Result<Row, RowError>> {
        use std::io::BufRead;
        let Source::Jsonl { reader, line } = &mut self.source else {
            return None;
        };
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let limit = MAX_ROW_BYTES + 1;
            let n = match (&mut *reader).take(limit).read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(e) => {
                    let mut p = Problems::new();
                    p.push("line", format!("unreadable: {e}"));
                    return Some(Err(RowError {
                        line: *line + 1,
                        problems: p,
                    }));
                }
            };
            if n == 0 {
                return None;
            }
            *line += 1;
            if buf.len() as u64 > MAX_ROW_BYTES && buf.last() != Some(&b'\n') {
                // Skip the rest of the overlong line.
                loop {
                    let mut rest = Vec::new();
                    match (&mut *reader).take(1 << 16).read_until(b'\n', &mut rest) {
                        Ok(0) => break,
                        Ok(_) if rest.last() == Some(&b'\n') => break,
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                self.rows += 1;
                let mut p = Problems::new();
                p.push("line", format!("is longer than {MAX_ROW_BYTES} bytes"));
                return Some(Err(RowError {
                    line: *line,
                    problems: p,
                }));
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            break;
        }
        self.rows += 1;
        let line = *line;
        let mut problems = Problems::new();
        let value: serde_json::Value = match std::str::from_utf8(&buf)
            .map_err(|e| {
                format!(
                    "is not valid UTF-8 (bad byte at offset {})",
                    e.valid_up_to()
                )
            })
            .and_then(|t| serde_json::from_str(t).map_err(|e| format!("is not JSON: {e}")))
        {
            Ok(v) => v,
            Err(m) => {
                problems.push("line", m);
                return Some(Err(RowError { line, problems }));
            }
        };
        let serde_json::Value::Object(mut obj) = value else {
            problems.push("line", "must be one JSON object");
            return Some(Err(RowError { line, problems }));
        };
        // An incident in the shape `dokaz incident add --file` takes.
        if self.opts.kind == Kind::Incidents && obj.get("occurred").is_some_and(|o| o.is_object()) {
            let external_id = match obj.remove("external_id") {
                Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
                _ => None,
            };
            return Some(legacy_incident(&self.opts, line, obj, external_id));
        }
        let flat: HashMap<String, String> = obj
            .into_iter()
            .filter_map(|(k, v)| flatten(v).map(|v| (normalise(&k), v)))
            .collect();
        let fields = to_fields(
            &self.opts,
            &|c| flat.get(c).map(String::as_str),
            &mut problems,
        );
        Some(build(&self.opts, line, fields, problems))
    }
}

impl<R: Read> Iterator for RowReader<R> {
    type Item = Result<Row, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.source {
            Source::Csv { .. } => self.csv_next(),
            Source::Jsonl { .. } => self.jsonl_next(),
        }
    }
}

fn flatten(v: serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(flatten)
                .collect::<Vec<_>>()
                .join(";"),
        ),
        Value::Object(_) => Some(v.to_string()),
    }
}

fn legacy_incident(
    opts: &ReadOptions,
    line: u64,
    obj: serde_json::Map<String, serde_json::Value>,
    external_id: Option<String>,
) -> Result<Row, RowError> {
    let value = serde_json::Value::Object(obj);
    let mut problems = Problems::new();
    match serde_path_to_error::deserialize::<_, dokaz_model::NewIncident>(value) {
        Ok(new) => {
            let incident = new.into_incident(opts.ctx.agency, opts.ctx.user, opts.ctx.now);
            match incident.validate(opts.ctx.now) {
                Ok(v) => Ok(Row {
                    line,
                    external_id: external_id.or_else(|| incident.reference.clone()),
                    record: Record::Incident(Box::new(incident)),
                    warnings: v.warnings,
                }),
                Err(p) => Err(RowError { line, problems: p }),
            }
        }
        Err(e) => {
            let path = e.path().to_string();
            let field = if path == "." || path == "?" {
                "incident".to_owned()
            } else {
                format!("incident.{path}")
            };
            problems.push(field, e.into_inner().to_string());
            Err(RowError { line, problems })
        }
    }
}

/// dokaz's columns of a row: through the mapping, or the columns of the same name.
fn to_fields<'a>(
    opts: &ReadOptions,
    cell: &dyn Fn(&str) -> Option<&'a str>,
    problems: &mut Problems,
) -> Vec<(String, String)> {
    match &opts.mapping {
        Some(m) => m.apply(cell, problems),
        None => opts
            .kind
            .columns()
            .iter()
            .filter_map(|(c, _)| cell(c).map(|v| ((*c).to_owned(), v.to_owned())))
            .collect(),
    }
}

/// The record of a row, with problems renamed to the source's columns.
fn build(
    opts: &ReadOptions,
    line: u64,
    fields: Vec<(String, String)>,
    mut problems: Problems,
) -> Result<Row, RowError> {
    let external_id = fields
        .iter()
        .find(|(n, _)| n == "external_id")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let mapped_external = opts
        .mapping
        .as_ref()
        .and_then(|m| m.origin_of("external_id"));
    if mapped_external.is_some() && external_id.is_none() {
        problems.push(
            mapped_external.clone().unwrap_or_default(),
            "is empty; every row needs the source's id (the mapping's external_id)",
        );
    }
    let ctx = &opts.ctx;
    let mut warnings = Vec::new();
    let result: Result<(Record, Option<String>), Problems> = match opts.kind {
        Kind::Incidents => {
            let named: Vec<(&str, String)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.clone()))
                .collect();
            crate::incident_from_fields(&named, ctx).map(|(i, v)| {
                warnings = v.warnings;
                // Without an external id, the agency's reference names the incident.
                let ext = external_id.clone().or_else(|| i.reference.clone());
                (Record::Incident(Box::new(i)), ext)
            })
        }
        Kind::Persons => records::person(&fields, ctx).map(|p| (Record::Person(p), None)),
        Kind::Units => records::unit(&fields, ctx).map(|u| (Record::Unit(u), None)),
        Kind::Cases => records::case(&fields, ctx).map(|c| {
            let reference = Some(c.reference.clone());
            (Record::Case(c), reference)
        }),
        Kind::Links => records::link(&fields).map(|l| (Record::Link(l), None)),
    };
    let rename = |field: &str| -> String {
        match opts.mapping.as_ref().and_then(|m| m.origin_of(field)) {
            Some(origin) if origin != field => format!("{origin} ({field})"),
            _ => field.to_owned(),
        }
    };
    match result {
        Ok((record, fallback)) if problems.is_empty() => Ok(Row {
            line,
            external_id: external_id.or(fallback),
            record,
            warnings,
        }),
        Ok(_) => Err(RowError { line, problems }),
        Err(more) => {
            for p in more.0 {
                let field = rename(&p.field);
                if !problems
                    .iter()
                    .any(|q| q.field == field || q.field == p.field)
                {
                    problems.push(field, p.message);
                }
            }
            Err(RowError { line, problems })
        }
    }
}

/// Column name → index; checks the columns a kind or a mapping needs.
fn header_columns(
    header: &ByteRecord,
    opts: &ReadOptions,
    warnings: &mut Vec<RowWarning>,
) -> Result<HashMap<String, usize>, FileError> {
    let mut columns = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| FileError::HeaderEncoding)?;
        let name = normalise(name);
        if name.is_empty() {
            continue;
        }
        if columns.insert(name.clone(), i).is_some() {
            return Err(FileError::DuplicateColumn(name));
        }
    }
    let warn = |warnings: &mut Vec<RowWarning>, field: &str, message: &str| {
        warnings.push(RowWarning {
            line: 0,
            problem: Problem {
                field: clip(field),
                message: message.into(),
            },
        })
    };
    let needed: Vec<String> = match &opts.mapping {
        Some(m) => {
            let wanted: Vec<String> = m.source_columns().iter().map(|c| normalise(c)).collect();
            for w in &wanted {
                if !columns.contains_key(w) {
                    warn(
                        warnings,
                        w,
                        "named by the mapping but not in the file; left empty",
                    );
                }
            }
            m.origin_of("external_id")
                .map(|c| normalise(&c))
                .into_iter()
                .collect()
        }
        None => {
            let known = opts.kind.columns();
            for name in columns.keys() {
                if !known.iter().any(|(c, _)| c == name) {
                    warn(warnings, name, "unknown column, ignored");
                }
            }
            opts.kind
                .required()
                .iter()
                .map(|c| (*c).to_owned())
                .collect()
        }
    };
    let missing: Vec<String> = needed
        .into_iter()
        .filter(|c| !columns.contains_key(c))
        .collect();
    if !missing.is_empty() {
        let mut found: Vec<(usize, String)> =
            columns.iter().map(|(n, i)| (*i, n.clone())).collect();
        found.sort();
        return Err(FileError::MissingColumns {
            missing,
            found: found.into_iter().map(|(_, n)| n).collect(),
        });
    }
    Ok(columns)
}

fn csv_file(e: csv::Error) -> FileError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => FileError::Io(io),
        other => FileError::Io(io::Error::other(format!("{other:?}"))),
    }
}
