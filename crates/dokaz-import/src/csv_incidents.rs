//! Incidents from CSV: a header row names the columns (any order, case-insensitive), each
//! later row is one incident. Every row is checked in full, so a user fixing a spreadsheet
//! sees every problem of every row in one pass.

use std::collections::HashMap;
use std::io::Read;

use chrono::Utc;
use csv::{ByteRecord, ReaderBuilder};
use dokaz_model::{
    AgencyId, Classification, Coordinates, Crime, IncidentStatus, IncidentType, Narrative,
    NewIncident, OccurredInput, Problems, ProtectedObject, TimePrecision, Weapon,
};

use crate::outcome::{FileError, Parsed, RowWarning};
use crate::when::{clip, parse_when};
use crate::{Context, MAX_FIELD_BYTES};

/// Columns that must be in the header (a cell may still be empty where the value is optional:
/// `lat`/`lon` together).
pub const REQUIRED_COLUMNS: &[&str] = &["title", "occurred_at", "lat", "lon", "crime"];

/// Every column understood, with what it holds; printed by `dokaz import incidents --help`.
pub const COLUMNS: &[(&str, &str)] = &[
    ("title", "short description (required)"),
    (
        "occurred_at",
        "when: YYYY-MM-DD, YYYY-MM-DD HH:MM (UTC), RFC 3339, YYYY-MM or YYYY (required)",
    ),
    (
        "lat",
        "latitude, WGS84 decimal degrees (may be empty together with lon)",
    ),
    ("lon", "longitude, WGS84 decimal degrees"),
    (
        "crime",
        "taxonomy codes separated by ';', e.g. rs-8-2-b-ix;ua-cc-438",
    ),
    (
        "occurred_end",
        "end of the event, same formats as occurred_at",
    ),
    (
        "precision",
        "second, minute, hour, day, month or year (default: as written)",
    ),
    (
        "reference",
        "the agency's own reference, unique within the agency",
    ),
    (
        "uncertainty_m",
        "radius in metres within which the true location lies",
    ),
    ("place", "place name as the source writes it"),
    ("oblast", "oblast"),
    ("hromada", "hromada"),
    ("katotth", "KATOTTH code, UA followed by 17 digits"),
    (
        "type",
        "incident types separated by ';', e.g. shelling;airstrike",
    ),
    (
        "weapon",
        "weapon codes separated by ';', e.g. cluster-munition",
    ),
    (
        "object",
        "protected object codes separated by ';', e.g. hospital;school",
    ),
    ("killed", "number of people killed"),
    ("injured", "number of people injured"),
    ("children", "number of children among the killed"),
    ("children_injured", "number of children among the injured"),
    (
        "perpetrators",
        "alleged perpetrators as the source names them",
    ),
    ("narrative", "free text in any language"),
    (
        "narrative_lang",
        "language of the narrative (uk, ru, en, ...)",
    ),
    (
        "status",
        "reported, under-investigation, verified or closed",
    ),
    ("classification", "open, restricted (default) or sealed"),
];

pub(crate) fn read<R: Read>(input: R, ctx: &Context) -> Result<Parsed, FileError> {
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut header = ByteRecord::new();
    if !reader.read_byte_record(&mut header).map_err(csv_io)? {
        return Err(FileError::NoHeader);
    }
    let mut parsed = Parsed::default();
    let columns = header_columns(&header, &mut parsed)?;
    let mut record = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A broken quote or similar: report it on its line and stop, since the
                // reader cannot tell where the next row begins.
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let mut p = Problems::new();
                p.push("row", format!("unreadable CSV: {}", e.kind_summary()));
                parsed.rows += 1;
                parsed.reject(line, p);
                break;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        parsed.rows += 1;
        match row_to_incident(&record, &columns, header.len()) {
            Ok(new) => {
                let incident = new.into_incident(ctx.agency, ctx.user, ctx.now);
                if let Err(problems) = parsed.accept(line, incident, ctx.now) {
                    parsed.reject(line, to_columns(problems));
                }
            }
            Err(problems) => parsed.reject(line, problems),
        }
    }
    parsed.refuse_duplicate_references();
    Ok(parsed)
}

/// One incident from named fields — the CSV columns — as the command line's
/// `incident add` flags give them: the same parsing, rules and messages as a CSV row.
pub fn incident_from_fields(
    fields: &[(&str, String)],
    ctx: &Context,
) -> Result<(dokaz_model::Incident, dokaz_model::Validated), Problems> {
    let columns: HashMap<String, usize> = fields
        .iter()
        .enumerate()
        .map(|(i, (name, _))| ((*name).to_owned(), i))
        .collect();
    let record = ByteRecord::from(fields.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>());
    let new = row_to_incident(&record, &columns, fields.len())?;
    let incident = new.into_incident(ctx.agency, ctx.user, ctx.now);
    let validated = incident.validate(ctx.now).map_err(to_columns)?;
    Ok((incident, validated))
}

trait KindSummary {
    fn kind_summary(&self) -> String;
}

impl KindSummary for csv::Error {
    fn kind_summary(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Io(e) => e.to_string(),
            _ => self.to_string(),
        }
    }
}

fn csv_io(e: csv::Error) -> FileError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => FileError::Io(io),
        other => FileError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// Column name → index; checks that the required ones are there, warns of unknown ones.
fn header_columns(
    header: &ByteRecord,
    parsed: &mut Parsed,
) -> Result<HashMap<String, usize>, FileError> {
    let mut columns = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| FileError::HeaderEncoding)?;
        let name = name
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if !COLUMNS.iter().any(|(c, _)| *c == name) {
            parsed.warnings.push(RowWarning {
                line: 0,
                problem: dokaz_model::Problem {
                    field: clip(&name),
                    message: "unknown column, ignored".into(),
                },
            });
        }
        if columns.insert(name.clone(), i).is_some() {
            return Err(FileError::DuplicateColumn(name));
        }
    }
    let missing: Vec<String> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| !columns.contains_key(**c))
        .map(|c| c.to_string())
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

/// The cells of one row by column name, decoded; size and encoding problems are recorded.
struct Cells<'a> {
    record: &'a ByteRecord,
    columns: &'a HashMap<String, usize>,
    problems: Problems,
}

impl<'a> Cells<'a> {
    fn get(&mut self, column: &str) -> &'a str {
        let Some(raw) = self.columns.get(column).and_then(|&i| self.record.get(i)) else {
            return "";
        };
        if raw.len() > MAX_FIELD_BYTES {
            self.problems.push(
                column,
                format!(
                    "is {} bytes long; the limit is {MAX_FIELD_BYTES}",
                    raw.len()
                ),
            );
            return "";
        }
        match std::str::from_utf8(raw) {
            Ok(s) => s.trim(),
            Err(e) => {
                self.problems.push(
                    column,
                    format!(
                        "is not valid UTF-8 (bad byte at offset {}); save the file as UTF-8",
                        e.valid_up_to()
                    ),
                );
                ""
            }
        }
    }

    fn number<T: std::str::FromStr>(&mut self, column: &str, what: &str) -> Option<T> {
        let s = self.get(column);
        if s.is_empty() {
            return None;
        }
        match s.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                self.problems
                    .push(column, format!("{:?} is not {what}", clip(s)));
                None
            }
        }
    }

    fn codes<T>(
        &mut self,
        column: &str,
        parse: impl Fn(&str) -> Result<T, dokaz_model::taxonomy::UnknownCode>,
    ) -> Vec<T> {
        let cell = self.get(column);
        let mut out = Vec::new();
        for code in cell.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            match parse(code) {
                Ok(v) => out.push(v),
                Err(e) => self.problems.push(column, e.to_string()),
            }
        }
        out
    }
}

fn row_to_incident(
    record: &ByteRecord,
    columns: &HashMap<String, usize>,
    width: usize,
) -> Result<NewIncident, Problems> {
    let mut c = Cells {
        record,
        columns,
        problems: Problems::new(),
    };
    if record.len() != width {
        c.problems.push(
            "row",
            format!("has {} fields; the header has {width}", record.len()),
        );
        return Err(c.problems);
    }
    let title = c.get("title").to_owned();
    let start = parse_when(c.get("occurred_at"))
        .map_err(|e| c.problems.push("occurred_at", e))
        .ok();
    let end_cell = c.get("occurred_end");
    let end = if end_cell.is_empty() {
        None
    } else {
        parse_when(end_cell)
            .map_err(|e| c.problems.push("occurred_end", e))
            .ok()
    };
    let precision_cell = c.get("precision");
    let precision = if precision_cell.is_empty() {
        None
    } else {
        let p = TimePrecision::from_code(&precision_cell.to_ascii_lowercase());
        if p.is_none() {
            c.problems.push(
                "precision",
                format!(
                    "{:?} is not one of second, minute, hour, day, month, year",
                    clip(precision_cell)
                ),
            );
        }
        p
    };
    let lat: Option<f64> = c.number("lat", "a decimal latitude");
    let lon: Option<f64> = c.number("lon", "a decimal longitude");
    let coordinates = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
        (None, None) => None,
        (Some(_), None) => {
            c.problems.push("lon", "must be given when lat is");
            None
        }
        (None, Some(_)) => {
            c.problems.push("lat", "must be given when lon is");
            None
        }
    };
    let mut incident = NewIncident {
        reference: Some(c.get("reference").to_owned()).filter(|r| !r.is_empty()),
        title,
        occurred: OccurredInput {
            start: start.map(|s| s.start).unwrap_or_default(),
            end: end.map(|e| e.start),
            precision: precision.or(start.map(|s| s.precision)),
        },
        location: dokaz_model::Location {
            coordinates,
            uncertainty_m: c.number("uncertainty_m", "a whole number of metres"),
            place_name: c.get("place").to_owned(),
            oblast: c.get("oblast").to_owned(),
            hromada: c.get("hromada").to_owned(),
            katotth: c.get("katotth").to_owned(),
        },
        crimes: c.codes("crime", Crime::from_code),
        incident_types: c.codes("type", IncidentType::from_code),
        weapons: c.codes("weapon", Weapon::from_code),
        protected_objects: c.codes("object", ProtectedObject::from_code),
        harm: Default::default(),
        perpetrators_text: c.get("perpetrators").to_owned(),
        narratives: vec![],
        status: IncidentStatus::Reported,
        classification: Classification::Restricted,
    };
    incident.harm.killed.total = c.number("killed", "a whole number");
    incident.harm.injured.total = c.number("injured", "a whole number");
    incident.harm.killed.children = c.number("children", "a whole number");
    incident.harm.injured.children = c.number("children_injured", "a whole number");
    let narrative = c.get("narrative");
    if !narrative.is_empty() {
        incident.narratives.push(Narrative {
            lang: c.get("narrative_lang").to_owned(),
            text: narrative.to_owned(),
        });
    }
    let status = c.get("status");
    if !status.is_empty() {
        match IncidentStatus::from_code(&status.to_ascii_lowercase()) {
            Some(s) => incident.status = s,
            None => c.problems.push(
                "status",
                format!(
                    "{:?} is not one of reported, under-investigation, verified, closed",
                    clip(status)
                ),
            ),
        }
    }
    let classification = c.get("classification");
    if !classification.is_empty() {
        match classification.parse() {
            Ok(cl) => incident.classification = cl,
            Err(e) => c.problems.push("classification", e),
        }
    }
    if c.problems.is_empty() {
        Ok(incident)
    } else {
        // Report the record's own rules too (an empty title beside a bad date), so the user
        // sees every problem of the row at once; a field already named keeps its first,
        // more precise message.
        let mut problems = c.problems;
        let probe = incident.into_incident(AgencyId::new(), None, Utc::now());
        if let Err(more) = probe.validate(Utc::now()).map_err(to_columns) {
            for p in more.0 {
                if !problems.iter().any(|q| q.field == p.field) {
                    problems.push(p.field, p.message);
                }
            }
        }
        Err(problems)
    }
}

/// Renames the model's field paths to the CSV columns the user wrote.
fn to_columns(problems: Problems) -> Problems {
    let mut out = Problems::new();
    for p in problems.0 {
        out.push(column_of(&p.field).unwrap_or(&p.field), p.message);
    }
    out
}

fn column_of(path: &str) -> Option<&'static str> {
    const MAP: &[(&str, &str)] = &[
        ("incident.title", "title"),
        ("incident.reference", "reference"),
        ("incident.occurred.end", "occurred_end"),
        ("incident.occurred", "occurred_at"),
        ("incident.location.lat", "lat"),
        ("incident.location.lon", "lon"),
        ("incident.location.uncertainty_m", "uncertainty_m"),
        ("incident.location.place_name", "place"),
        ("incident.location.oblast", "oblast"),
        ("incident.location.hromada", "hromada"),
        ("incident.location.katotth", "katotth"),
        ("incident.harm.killed.children", "children"),
        ("incident.harm.injured.children", "children_injured"),
        ("incident.harm.killed", "killed"),
        ("incident.harm.injured", "injured"),
        ("incident.perpetrators_text", "perpetrators"),
        ("incident.narratives", "narrative"),
        ("incident.crimes", "crime"),
    ];
    MAP.iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, col)| *col)
}
