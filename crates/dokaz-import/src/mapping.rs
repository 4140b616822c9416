//! Column mappings: a small TOML file that says how a foreign spreadsheet's columns become
//! dokaz's fields — renames, joins and splits of name parts, date formats, code tables and
//! coordinate formats. A mapping is checked in full when it is loaded; every mistake names its
//! key (`fields.occurred_at.date: …`).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::coords::{parse_coordinate, Axis};
use crate::dates::DateFormat;
use crate::when::clip;
use crate::Kind;

/// The mappings shipped with dokaz, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("uwazi", include_str!("../mappings/uwazi.toml")),
    ("atlos", include_str!("../mappings/atlos.toml")),
    (
        "auto-archiver",
        include_str!("../mappings/auto-archiver.toml"),
    ),
    ("generic", include_str!("../mappings/generic.toml")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    kind: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    external_id: Option<FieldSpec>,
    #[serde(default)]
    fields: BTreeMap<String, FieldSpec>,
    #[serde(default)]
    codes: BTreeMap<String, BTreeMap<String, String>>,
}

/// How one dokaz field is made from the source's columns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The source column (matched without regard to case or surrounding spaces).
    #[serde(default)]
    pub column: Option<String>,
    /// Several source columns joined with `sep` (empty cells left out).
    #[serde(default)]
    pub join: Option<Vec<String>>,
    #[serde(default)]
    pub sep: Option<String>,
    /// A constant, for what the source does not say (e.g. every row is a `witness`).
    #[serde(default)]
    pub value: Option<String>,
    /// Used when the cell is empty.
    #[serde(default)]
    pub default: Option<String>,
    /// The separator of several values in one cell (e.g. `"|"` in Uwazi, `", "` in Atlos).
    #[serde(default)]
    pub split: Option<String>,
    /// With `split`: take only this part (0 is the first, -1 the last), e.g. the family name
    /// of `"Коваленко Олена Петрівна"` split on spaces.
    #[serde(default)]
    pub part: Option<i64>,
    /// The date format of the cell: `DD.MM.YYYY`, `MM/DD/YYYY`, `DD/MM/YYYY`, `YYYY-MM-DD`
    /// (partial dates — month and year, or the year alone — are read at their precision).
    #[serde(default)]
    pub date: Option<String>,
    /// `lat` or `lon`: take this axis from a cell in decimal degrees, degrees-minutes-seconds,
    /// or a `"lat, lon"` (or `lat|lon`) pair.
    #[serde(default)]
    pub coord: Option<String>,
    /// A code table of `[codes]` that turns the source's labels into dokaz's codes.
    #[serde(default)]
    pub codes: Option<String>,
    /// What to do with a label the code table lacks: `error` (the default), `skip`, `keep`.
    #[serde(default)]
    pub unknown: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unknown {
    Error,
    Skip,
    Keep,
}

/// A checked field rule.
#[derive(Debug, Clone)]
struct Rule {
    field: String,
    spec: FieldSpec,
    date: Option<DateFormat>,
    axis: Option<Axis>,
    codes: Option<HashMap<String, String>>,
    unknown: Unknown,
}

/// A checked mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub kind: Kind,
    pub source: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<crate::Encoding>,
    external_id: Option<Rule>,
    rules: Vec<Rule>,
}

/// A mapping that cannot be used, with the key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct MappingError {
    pub key: String,
    pub message: String,
}

fn err(key: impl Into<String>, message: impl Into<String>) -> MappingError {
    MappingError {
        key: key.into(),
        message: message.into(),
    }
}

impl Mapping {
    /// A built-in mapping by name (`uwazi`, `atlos`, `auto-archiver`, `generic`).
    pub fn builtin(name: &str) -> Option<Result<Self, MappingError>> {
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| Self::parse(text))
    }

    /// The shipped mappings' names, for an error message: `uwazi, atlos, …`.
    pub fn builtin_names() -> String {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        names.join(", ")
    }

    /// The source name an import's external ids belong to: the one given, else the
    /// mapping's, else `import`.
    pub fn source_name(given: Option<&str>, mapping: Option<&Mapping>) -> String {
        given
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| mapping.and_then(|m| m.source.clone()))
            .unwrap_or_else(|| "import".to_owned())
    }

    /// Parses and checks a mapping file's text.
    pub fn parse(text: &str) -> Result<Self, MappingError> {
        let raw: RawMapping = toml::from_str(text).map_err(|e| {
            let message = e.message().to_owned();
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}")
                })
                .unwrap_or_else(|| "mapping".into());
            err(at, message)
        })?;
        let kind = Kind::from_code(&raw.kind).ok_or_else(|| {
            err(
                "kind",
                format!(
                    "{:?} is not one of incidents, persons, units, cases, links",
                    raw.kind
                ),
            )
        })?;
        let delimiter = match raw.delimiter.as_deref() {
            None => None,
            Some("\\t" | "\t" | "tab") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(err(
                    "delimiter",
                    format!("{d:?} is not one ASCII character"),
                ))
            }
        };
        let encoding =
            match raw.encoding.as_deref() {
                None => None,
                Some(e) => Some(crate::Encoding::from_label(e).ok_or_else(|| {
                    err("encoding", format!("{e:?} is not utf-8 or windows-1251"))
                })?),
            };
        let known = kind.columns();
        let mut rules = Vec::new();
        for (field, spec) in &raw.fields {
            if !known.iter().any(|(c, _)| c == field) {
                let names: Vec<&str> = known.iter().map(|(c, _)| *c).collect();
                return Err(err(
                    format!("fields.{field}"),
                    format!(
                        "not a field of {}; the fields are: {}",
                        kind.code(),
                        names.join(", ")
                    ),
                ));
            }
            rules.push(check_rule(
                &format!("fields.{field}"),
                field,
                spec,
                &raw.codes,
            )?);
        }
        let external_id = raw
            .external_id
            .as_ref()
            .map(|spec| check_rule("external_id", "external_id", spec, &raw.codes))
            .transpose()?;
        Ok(Self {
            kind,
            source: raw.source,
            delimiter,
            encoding,
            external_id,
            rules,
        })
    }

    /// The source columns the mapping reads, for checking a header.
    pub fn source_columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for r in self.rules.iter().chain(&self.external_id) {
            out.extend(r.spec.column.iter().cloned());
            out.extend(r.spec.join.iter().flatten().cloned());
        }
        out
    }

    /// The source column(s) a dokaz field comes from, for error messages.
    pub fn origin_of(&self, field: &str) -> Option<String> {
        let r = self
            .rules
            .iter()
            .chain(&self.external_id)
            .find(|r| r.field == field)?;
        r.spec
            .column
            .clone()
            .or_else(|| r.spec.join.as_ref().map(|j| j.join(" + ")))
    }

    /// Turns one source row into dokaz's fields. `cell` looks a source column up by its
    /// normalised name (`None` when the file has no such column). Problems are named by the
    /// source column.
    pub fn apply<'a>(
        &self,
        cell: &dyn Fn(&str) -> Option<&'a str>,
        problems: &mut dokaz_model::Problems,
    ) -> Vec<(String, String)> {
        let mut out = Vec::with_capacity(self.rules.len() + 1);
        for rule in self.rules.iter().chain(&self.external_id) {
            if let Some(v) = rule.apply(cell, problems) {
                out.push((rule.field.clone(), v));
            }
        }
        out
    }
}

/// Lower case and trimmed: how column names are compared.
pub fn normalise(name: &str) -> String {
    name.trim().trim_start_matches('\u{feff}').to_lowercase()
}

fn check_rule(
    key: &str,
    field: &str,
    spec: &FieldSpec,
    tables: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Rule, MappingError> {
    let sources = usize::from(spec.column.is_some())
        + usize::from(spec.join.is_some())
        + usize::from(spec.value.is_some());
    if sources != 1 {
        return Err(err(key, "give exactly one of column, join or value"));
    }
    if spec.join.as_ref().is_some_and(Vec::is_empty) {
        return Err(err(format!("{key}.join"), "name at least one column"));
    }
    if spec.part.is_some() && spec.split.is_none() {
        return Err(err(format!("{key}.part"), "needs split (the separator)"));
    }
    let date = spec
        .date
        .as_deref()
        .map(|d| DateFormat::parse(d).map_err(|m| err(format!("{key}.date"), m)))
        .transpose()?;
    let axis = match spec.coord.as_deref() {
        None => None,
        Some("lat") => Some(Axis::Lat),
        Some("lon") => Some(Axis::Lon),
        Some(c) => {
            return Err(err(
                format!("{key}.coord"),
                format!("{c:?} is not lat or lon"),
            ))
        }
    };
    let codes = match spec.codes.as_deref() {
        None => None,
        Some(name) => {
            let table = tables.get(name).ok_or_else(|| {
                err(
                    format!("{key}.codes"),
                    format!("there is no table [codes.{name}] in the mapping"),
                )
            })?;
            Some(
                table
                    .iter()
                    .map(|(label, code)| (normalise(label), code.clone()))
                    .collect(),
            )
        }
    };
    let unknown = match spec.unknown.as_deref() {
        None | Some("error") => Unknown::Error,
        Some("skip") => Unknown::Skip,
        Some("keep") => Unknown::Keep,
        Some(u) => {
            return Err(err(
                format!("{key}.unknown"),
                format!("{u:?} is not error, skip or keep"),
            ))
        }
    };
    if spec.unknown.is_some() && codes.is_none() {
        return Err(err(format!("{key}.unknown"), "needs codes (a code table)"));
    }
    Ok(Rule {
        field: field.to_owned(),
        spec: spec.clone(),
        date,
        axis,
        codes,
        unknown,
    })
}

impl Rule {
    fn label(&self) -> String {
        self.spec
            .column
            .clone()
            .or_else(|| self.spec.join.as_ref().map(|j| j.join(" + ")))
            .unwrap_or_else(|| self.field.clone())
    }

    fn apply<'a>(
        &self,
        cell: &dyn Fn(&str) -> Option<&'a str>,
        problems: &mut dokaz_model::Problems,
    ) -> Option<String> {
        let s = &self.spec;
        let mut v: String = if let Some(c) = &s.value {
            c.clone()
        } else if let Some(col) = &s.column {
            cell(&normalise(col)).unwrap_or("").trim().to_owned()
        } else {
            let sep = s.sep.as_deref().unwrap_or(" ");
            s.join
                .iter()
                .flatten()
                .filter_map(|c| cell(&normalise(c)))
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(sep)
        };
        if v.is_empty() {
            v = s.default.clone()?;
        }
        let label = self.label();
        if let Some(axis) = self.axis {
            return match parse_coordinate(&v, axis) {
                Ok(x) => Some(x.to_string()),
                Err(m) => {
                    problems.push(label, m);
                    None
                }
            };
        }
        let mut values: Vec<String> = match &s.split {
            Some(sep) if !sep.is_empty() => v
                .split(sep.as_str())
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect(),
            _ => vec![v],
        };
        if let Some(part) = s.part {
            let n = values.len() as i64;
            let i = if part < 0 { n + part } else { part };
            if i < 0 || i >= n {
                return None;
            }
            values = vec![values.swap_remove(i as usize)];
        }
        if let Some(fmt) = &self.date {
            let mut out = Vec::new();
            for x in &values {
                match fmt.to_iso(x) {
                    Ok(d) => out.push(d),
                    Err(m) => problems.push(label.clone(), m),
                }
            }
            values = out;
        }
        if let Some(table) = &self.codes {
            let mut out = Vec::new();
            for x in values {
                match table.get(&normalise(&x)) {
                    Some(code) => out.push(code.clone()),
                    None => match self.unknown {
                        Unknown::Error => problems.push(
                            label.clone(),
                            format!(
                                "{:?} is not in the mapping's code table {:?}",
                                clip(&x),
                                s.codes.as_deref().unwrap_or_default()
                            ),
                        ),
                        Unknown::Skip => {}
                        Unknown::Keep => out.push(x),
                    },
                }
            }
            values = out;
        }
        let joined = values.join(";");
        (!joined.is_empty()).then_some(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: &Mapping, row: &[(&str, &str)]) -> (Vec<(String, String)>, String) {
        let map: HashMap<String, &str> = row.iter().map(|(k, v)| (normalise(k), *v)).collect();
        let mut p = dokaz_model::Problems::new();
        let out = m.apply(&|c| map.get(c).copied(), &mut p);
        (out, p.to_string())
    }

    #[test]
    fn renames_joins_splits_dates_codes_and_coordinates() {
        let m = Mapping::parse(
            r#"
            kind = "persons"
            [external_id]
            column = "ID"
            [fields.full_name]
            join = ["Прізвище", "Ім'я"]
            [fields.family]
            column = "ПІБ"
            split = " "
            part = 0
            [fields.birth_date]
            column = "Дата народження"
            date = "DD.MM.YYYY"
            [fields.roles]
            column = "Роль"
            split = ","
            codes = "roles"
            [codes.roles]
            "Свідок" = "witness"
            "Потерпілий" = "victim"
            "#,
        )
        .unwrap();
        let (out, problems) = apply(
            &m,
            &[
                ("id", "17"),
                ("Прізвище", "Коваленко"),
                ("Ім'я", "Олена"),
                ("ПІБ", "Коваленко Олена Петрівна"),
                ("Дата народження", "03.1979"),
                ("Роль", "свідок, Потерпілий"),
            ],
        );
        assert_eq!(problems, "");
        let get = |k: &str| out.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
        assert_eq!(get("external_id"), Some("17"));
        assert_eq!(get("full_name"), Some("Коваленко Олена"));
        assert_eq!(get("family"), Some("Коваленко"));
        assert_eq!(get("birth_date"), Some("1979-03"));
        assert_eq!(get("roles"), Some("witness;victim"));
        let (_, problems) = apply(&m, &[("Роль", "Суддя"), ("Дата народження", "31.02.1979")]);
        assert_eq!(
            problems,
            "Дата народження: \"31.02.1979\" is not a day of the calendar; \
             Роль: \"Суддя\" is not in the mapping's code table \"roles\""
        );
    }

    #[test]
    fn mistakes_name_their_key() {
        let e =
            Mapping::parse("kind = \"persons\"\n[fields.fulname]\ncolumn = \"x\"\n").unwrap_err();
        assert_eq!(e.key, "fields.fulname");
        assert!(e.message.starts_with("not a field of persons"), "{e}");
        let e =
            Mapping::parse("kind = \"persons\"\n[fields.full_name]\ncolum = \"x\"\n").unwrap_err();
        assert_eq!(e.key, "line 3");
        assert!(e.message.contains("unknown field `colum`"), "{e}");
        let e = Mapping::parse(
            "kind = \"incidents\"\n[fields.occurred_at]\ncolumn = \"d\"\ndate = \"DD-MMM\"\n",
        )
        .unwrap_err();
        assert_eq!(e.key, "fields.occurred_at.date");
        let e = Mapping::parse(
            "kind = \"incidents\"\n[fields.crime]\ncolumn = \"c\"\ncodes = \"nope\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "fields.crime.codes: there is no table [codes.nope] in the mapping"
        );
        let e = Mapping::parse("kind = \"people\"\n").unwrap_err();
        assert_eq!(e.key, "kind");
    }

    #[test]
    fn builtin_mappings_load() {
        for (name, _) in BUILTIN {
            Mapping::builtin(name)
                .unwrap()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
