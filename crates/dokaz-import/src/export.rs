//! Writing records back out in the layout the importer reads — CSV, JSON Lines, and GeoJSON
//! for incidents — with each record's external ids, so the source agency can join results
//! back to its own rows, and an export imports again without loss.
//!
//! Two rules protect the reader of the file: protected identities are withheld (a stable
//! pseudonym instead) unless the exporting user is cleared for them, and CSV cells that a
//! spreadsheet would run as a formula are escaped (OWASP's CSV injection advice).

use std::io::{self, Write};

use dokaz_model::{Case, Incident, Person, Unit};
use dokaz_store::ExternalId;
use serde_json::{Map, Value};

use crate::Kind;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
    GeoJson,
}

impl ExportFormat {
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "jsonl" => Some(Self::JsonLines),
            "geojson" => Some(Self::GeoJson),
            _ => None,
        }
    }

    /// The format's name, as `from_code` reads it; also the file extension.
    pub fn code(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::JsonLines => "jsonl",
            Self::GeoJson => "geojson",
        }
    }

    /// The media type an HTTP answer gives the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::JsonLines => "application/x-ndjson",
            Self::GeoJson => "application/geo+json",
        }
    }
}

/// A record for export, with what the exporting user may see of it.
#[derive(Debug, Clone)]
pub enum ExportRecord<'a> {
    /// `narrative`: whether the user may see the incident's content (its narratives).
    Incident {
        incident: &'a Incident,
        narrative: bool,
    },
    /// `pseudonym`: `Some` when the identity is withheld.
    Person {
        person: &'a Person,
        pseudonym: Option<String>,
    },
    Unit(&'a Unit),
    Case(&'a Case),
}

/// The columns an export writes for a kind: dokaz's import columns, then the record's id,
/// its source and (for persons) the pseudonym that stands for a withheld identity.
pub fn columns(kind: Kind) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = kind.columns().into_iter().map(|(n, _)| n).collect();
    if kind == Kind::Persons {
        c.push("pseudonym");
    }
    c.push("dokaz_id");
    c.push("source");
    c
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(";")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The record as dokaz's import columns.
pub fn fields(record: &ExportRecord<'_>, ext: Option<&ExternalId>) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = Vec::new();
    let (id, ext_id, source) = (
        record_id(record),
        ext.map(|e| e.external_id.clone()).unwrap_or_default(),
        ext.map(|e| e.source.clone()).unwrap_or_default(),
    );
    f.push(("external_id", ext_id));
    match record {
        ExportRecord::Incident {
            incident: i,
            narrative,
        } => {
            let c = i.location.coordinates;
            let when = |t: chrono::DateTime<chrono::Utc>| {
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            };
            f.extend([
                ("title", i.title.clone()),
                ("occurred_at", when(i.occurred.start)),
                ("lat", opt(c.map(|c| c.lat))),
                ("lon", opt(c.map(|c| c.lon))),
                ("crime", list(i.crimes.iter().map(code))),
                (
                    "occurred_end",
                    if i.occurred.end == i.occurred.start {
                        String::new()
                    } else {
                        when(i.occurred.end)
                    },
                ),
                ("precision", i.occurred.precision.code().to_owned()),
                ("reference", i.reference.clone().unwrap_or_default()),
                ("uncertainty_m", opt(i.location.uncertainty_m)),
                ("place", i.location.place_name.clone()),
                ("oblast", i.location.oblast.clone()),
                ("hromada", i.location.hromada.clone()),
                ("katotth", i.location.katotth.clone()),
                (
                    "type",
                    list(i.incident_types.iter().map(|x| strip(code(x)))),
                ),
                ("weapon", list(i.weapons.iter().map(|x| strip(code(x))))),
                (
                    "object",
                    list(i.protected_objects.iter().map(|x| strip(code(x)))),
                ),
                ("killed", opt(i.harm.killed.total)),
                ("injured", opt(i.harm.injured.total)),
                ("children", opt(i.harm.killed.children)),
                ("children_injured", opt(i.harm.injured.children)),
                ("perpetrators", i.perpetrators_text.clone()),
            ]);
            let n = i.narratives.first().filter(|_| *narrative);
            f.push(("narrative", n.map(|n| n.text.clone()).unwrap_or_default()));
            f.push((
                "narrative_lang",
                n.map(|n| n.lang.clone()).unwrap_or_default(),
            ));
            f.push(("status", i.status.code().to_owned()));
            f.push(("classification", i.classification.code().to_owned()));
        }
        ExportRecord::Person {
            person: p,
            pseudonym,
        } => {
            let shown = pseudonym.is_none();
            let first = p.names.first().filter(|_| shown);
            f.extend([
                (
                    "full_name",
                    first.map(|n| n.full.clone()).unwrap_or_default(),
                ),
                ("given", first.map(|n| n.given.clone()).unwrap_or_default()),
                (
                    "family",
                    first.map(|n| n.family.clone()).unwrap_or_default(),
                ),
                (
                    "patronymic",
                    first.map(|n| n.patronymic.clone()).unwrap_or_default(),
                ),
                (
                    "other_names",
                    if shown {
                        list(p.names.iter().skip(1).map(|n| n.full.clone()))
                    } else {
                        String::new()
                    },
                ),
                ("birth_date", opt(p.birth_date.filter(|_| shown))),
                ("sex", code(&p.sex)),
                ("citizenship", list(p.citizenship.iter().cloned())),
                (
                    "place_of_origin",
                    if shown {
                        p.place_of_origin.clone()
                    } else {
                        String::new()
                    },
                ),
                ("roles", list(p.roles.iter().map(code))),
                ("protected", p.protected.to_string()),
                ("classification", p.classification.code().to_owned()),
                ("pseudonym", pseudonym.clone().unwrap_or_default()),
            ]);
        }
        ExportRecord::Unit(u) => f.extend([
            ("name", u.names.first().cloned().unwrap_or_default()),
            ("other_names", list(u.names.iter().skip(1).cloned())),
            ("numbers", list(u.numbers.iter().cloned())),
            ("affiliation", u.affiliation.clone()),
            ("classification", u.classification.code().to_owned()),
        ]),
        ExportRecord::Case(c) => f.extend([
            ("reference", c.reference.clone()),
            ("title", c.title.clone()),
            ("status", code(&c.status)),
            (
                "working_languages",
                list(c.working_languages.iter().cloned()),
            ),
            ("classification", c.classification.code().to_owned()),
        ]),
    }
    f.push(("dokaz_id", id.to_string()));
    f.push(("source", source));
    f
}

/// Taxonomy codes serialise with their kind (`weapon:artillery`); the columns take the bare
/// code.
fn strip(s: String) -> String {
    match s.split_once(':') {
        Some((_, c)) => c.to_owned(),
        None => s,
    }
}

fn record_id(r: &ExportRecord<'_>) -> uuid::Uuid {
    match r {
        ExportRecord::Incident { incident, .. } => incident.id.as_uuid(),
        ExportRecord::Person { person, .. } => person.id.as_uuid(),
        ExportRecord::Unit(u) => u.id.as_uuid(),
        ExportRecord::Case(c) => c.id.as_uuid(),
    }
}

/// A cell a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return — gets a leading `'`, which spreadsheets show as text. Numbers
/// (`-30.5`) are left alone: no spreadsheet executes them, and they must import again.
/// The importer removes the quote again ([`unescape_cell`]).
pub fn escape_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Undoes [`escape_cell`]: a `'` before a formula character is dropped.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => &cell[1..],
        _ => cell,
    }
}

/// Writes records one at a time, in bounded memory.
pub struct Exporter<W: Write> {
    format: ExportFormat,
    kind: Kind,
    /// The writer, for JSON Lines and GeoJSON; a CSV exporter's is inside `csv`.
    out: Option<W>,
    csv: Option<csv::Writer<W>>,
    first: bool,
    pub written: u64,
}

impl<W: Write> std::fmt::Debug for Exporter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("format", &self.format)
            .field("written", &self.written)
            .finish()
    }
}

impl<W: Write> Exporter<W> {
    /// Starts the file: the CSV header, or the GeoJSON collection's opening.
    pub fn new(kind: Kind, format: ExportFormat, mut out: W) -> io::Result<Self> {
        if format == ExportFormat::GeoJson && kind != Kind::Incidents {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "GeoJSON is for incidents only",
            ));
        }
        let (out, csv) = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(columns(kind))?;
                (None, Some(w))
            }
            ExportFormat::GeoJson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                (Some(out), None)
            }
            ExportFormat::JsonLines => (Some(out), None),
        };
        Ok(Self {
            format,
            kind,
            out,
            csv,
            first: true,
            written: 0,
        })
    }

    pub fn write(&mut self, record: &ExportRecord<'_>, ext: Option<&ExternalId>) -> io::Result<()> {
        let f = fields(record, ext);
        match self.format {
            ExportFormat::Csv => {
                let w = self.csv.as_mut().expect("a CSV exporter has its writer");
                let cols = columns(self.kind);
                let row: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        let v = f.iter().find(|(n, _)| n == c).map(|(_, v)| v.as_str());
                        escape_cell(v.unwrap_or_default()).into_owned()
                    })
                    .collect();
                w.write_record(&row)?;
            }
            ExportFormat::JsonLines => {
                let out = self.out.as_mut().expect("a JSON exporter has its writer");
                serde_json::to_writer(&mut *out, &to_object(&f))?;
                out.write_all(b"\n")?;
            }
            ExportFormat::GeoJson => {
                let geometry = match record {
                    ExportRecord::Incident { incident, .. } => incident
                        .location
                        .coordinates
                        .map(
                            |c| serde_json::json!({"type": "Point", "coordinates": [c.lon, c.lat]}),
                        )
                        .unwrap_or(Value::Null),
                    _ => Value::Null,
                };
                let feature = serde_json::json!({
                    "type": "Feature",
                    "id": record_id(record).to_string(),
                    "geometry": geometry,
                    "properties": to_object(&f),
                });
                let out = self.out.as_mut().expect("a JSON exporter has its writer");
                if !self.first {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, &feature)?;
            }
        }
        self.first = false;
        self.written += 1;
        Ok(())
    }

    /// Ends the file and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            ExportFormat::Csv => {
                let w = self.csv.take().expect("a CSV exporter has its writer");
                w.into_inner().map_err(|e| io::Error::other(e.to_string()))
            }
            ExportFormat::GeoJson | ExportFormat::JsonLines => {
                let mut out = self.out.take().expect("a JSON exporter has its writer");
                if self.format == ExportFormat::GeoJson {
                    out.write_all(b"\n]}\n")?;
                }
                out.flush()?;
                Ok(out)
            }
        }
    }
}

fn to_object(f: &[(&'static str, String)]) -> Map<String, Value> {
    f.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_numbers_are_not() {
        for risky in [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let e = escape_cell(risky);
            assert!(e.starts_with('\''), "{risky:?}");
            assert_eq!(unescape_cell(&e), risky);
        }
        assert_eq!(escape_cell("-30.52"), "-30.52");
        assert_eq!(escape_cell("Буча"), "Буча");
        assert_eq!(unescape_cell("'quoted"), "'quoted");
    }
}
