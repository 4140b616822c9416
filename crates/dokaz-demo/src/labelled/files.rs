//! The corpus on disk: JSON lines of dokaz-model records and true links, a flat CSV of the
//! persons for external tools, and the manifest; and reading it back.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use dokaz_model::{Agency, Incident, Person, Unit};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Manifest, FORMAT};
use crate::link::TrueLink;

/// One JSON value per line, written as it comes.
#[derive(Debug)]
pub(super) struct Jsonl(BufWriter<File>);

impl Jsonl {
    fn create(path: &Path) -> io::Result<Self> {
        Ok(Self(BufWriter::with_capacity(1 << 20, File::create(path)?)))
    }

    pub fn write<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.0, value)?;
        self.0.write_all(b"\n")
    }
}

/// The open files of a corpus being written.
#[derive(Debug)]
pub(super) struct Output {
    dir: PathBuf,
    pub agencies: Jsonl,
    pub incidents: Jsonl,
    pub persons: Jsonl,
    pub units: Jsonl,
    pub links: Jsonl,
    csv: BufWriter<File>,
}

/// The header of `persons.csv`.
pub const CSV_HEADER: &str = "id,agency,full_name,given,family,patronymic,birth_date,sex,origin";

impl Output {
    pub fn create(dir: &Path) -> io::Result<Self> {
        let mut csv = BufWriter::with_capacity(1 << 20, File::create(dir.join("persons.csv"))?);
        write!(csv, "{CSV_HEADER}\r\n")?;
        Ok(Self {
            dir: dir.to_owned(),
            agencies: Jsonl::create(&dir.join("agencies.jsonl"))?,
            incidents: Jsonl::create(&dir.join("incidents.jsonl"))?,
            persons: Jsonl::create(&dir.join("persons.jsonl"))?,
            units: Jsonl::create(&dir.join("units.jsonl"))?,
            links: Jsonl::create(&dir.join("links.jsonl"))?,
            csv,
        })
    }

    /// A person as a JSON line and as a CSV row (display name, agency by code).
    pub fn write_person(&mut self, p: &Person, agencies: &[Agency]) -> io::Result<()> {
        self.persons.write(p)?;
        let agency = agencies
            .iter()
            .find(|a| a.id == p.agency)
            .map(|a| a.code.to_string())
            .unwrap_or_default();
        let name = p.names.first().cloned().unwrap_or_default();
        let sex = match p.sex {
            dokaz_model::Sex::Female => "female",
            dokaz_model::Sex::Male => "male",
            dokaz_model::Sex::Unknown => "",
        };
        let birth = p.birth_date.map(|d| d.to_string()).unwrap_or_default();
        let id = p.id.to_string();
        let fields = [
            id.as_str(),
            &agency,
            &name.full,
            &name.given,
            &name.family,
            &name.patronymic,
            &birth,
            sex,
            &p.place_of_origin,
        ];
        write_csv_row(&mut self.csv, &fields)
    }

    /// Flushes everything and writes the manifest last, so that a corpus with a manifest is
    /// complete.
    pub fn finish(self, manifest: &Manifest) -> io::Result<()> {
        for mut f in [
            self.agencies,
            self.incidents,
            self.persons,
            self.units,
            self.links,
        ] {
            f.0.flush()?;
        }
        let mut csv = self.csv;
        csv.flush()?;
        let mut text = serde_json::to_string_pretty(manifest)?;
        text.push('\n');
        std::fs::write(self.dir.join("manifest.json"), text)
    }
}

/// One CSV row (RFC 4180): fields with a comma, quote or line break are quoted, quotes
/// doubled; lines end in CRLF as the RFC says.
fn write_csv_row(w: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        if f.contains([',', '"', '\n', '\r']) {
            w.write_all(b"\"")?;
            w.write_all(f.replace('"', "\"\"").as_bytes())?;
            w.write_all(b"\"")?;
        } else {
            w.write_all(f.as_bytes())?;
        }
    }
    w.write_all(b"\r\n")
}

/// A corpus read back.
#[derive(Debug, Clone)]
pub struct LabelledCorpus {
    pub manifest: Manifest,
    pub agencies: Vec<Agency>,
    pub incidents: Vec<Incident>,
    pub persons: Vec<Person>,
    pub units: Vec<Unit>,
    pub links: Vec<TrueLink>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}, line {line}: {source}")]
    Parse {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} is not a {FORMAT} manifest (format {found:?})")]
    Format { path: PathBuf, found: String },
}

/// Reads a whole corpus into memory (a million persons take about a gigabyte; use
/// [`for_each_record`] to stream one file instead).
pub fn read_labelled(dir: &Path) -> Result<LabelledCorpus, ReadError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|source| ReadError::Io {
        path: path.clone(),
        source,
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|source| ReadError::Parse {
        path: path.clone(),
        line: source.line(),
        source,
    })?;
    if manifest.format != FORMAT {
        return Err(ReadError::Format {
            path,
            found: manifest.format,
        });
    }
    fn all<T: DeserializeOwned>(path: PathBuf) -> Result<Vec<T>, ReadError> {
        let mut out = Vec::new();
        for_each_record(&path, |r| out.push(r))?;
        Ok(out)
    }
    Ok(LabelledCorpus {
        agencies: all(dir.join("agencies.jsonl"))?,
        incidents: all(dir.join("incidents.jsonl"))?,
        persons: all(dir.join("persons.jsonl"))?,
        units: all(dir.join("units.jsonl"))?,
        links: all(dir.join("links.jsonl"))?,
        manifest,
    })
}

/// Calls `f` with every record of a JSON-lines file, in order; returns how many there were.
pub fn for_each_record<T: DeserializeOwned>(
    path: &Path,
    mut f: impl FnMut(T),
) -> Result<usize, ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let (mut n, mut number) = (0, 0);
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(io_err)? == 0 {
            return Ok(n);
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(&line).map_err(|source| ReadError::Parse {
            path: path.to_owned(),
            line: number,
            source,
        })?;
        f(value);
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let mut out = Vec::new();
        write_csv_row(&mut out, &["a", "Kovalenko, Olena", "say \"hi\"", ""]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,\"Kovalenko, Olena\",\"say \"\"hi\"\"\",\r\n"
        );
    }
}
