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

/// A corpus read back. Its persons are `Person` records, or whatever the reader turned each
/// into as it read (see [`read_labelled_as`]).
#[derive(Debug, Clone)]
pub struct LabelledCorpus<P = Person> {
    pub manifest: Manifest,
    pub agencies: Vec<Agency>,
    pub incidents: Vec<Incident>,
    pub persons: Vec<P>,
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

/// Reads a whole corpus into memory (a million persons take about a gigabyte; see
/// [`read_labelled_as`] to keep less of each person).
pub fn read_labelled(dir: &Path) -> Result<LabelledCorpus, ReadError> {
    read_labelled_as(dir, 1, Some)
}

/// Reads a corpus, turning each person into `P` (or skipping it, on `None`) as it is read, so
/// that the persons' records are never all in memory at once: a matcher keeps only what it
/// compares, which is what lets ten million persons be matched in the memory of one machine.
/// Lines are parsed on `threads` threads, a chunk at a time, and the order of the files is
/// kept.
pub fn read_labelled_as<P: Send>(
    dir: &Path,
    threads: usize,
    person: impl Fn(Person) -> Option<P> + Sync,
) -> Result<LabelledCorpus<P>, ReadError> {
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
    fn all<T: DeserializeOwned + Send>(path: PathBuf, threads: usize) -> Result<Vec<T>, ReadError> {
        read_mapped(&path, threads, Some)
    }
    Ok(LabelledCorpus {
        agencies: all(dir.join("agencies.jsonl"), threads)?,
        incidents: all(dir.join("incidents.jsonl"), threads)?,
        persons: read_mapped(&dir.join("persons.jsonl"), threads, person)?,
        units: all(dir.join("units.jsonl"), threads)?,
        links: all(dir.join("links.jsonl"), threads)?,
        manifest,
    })
}

/// Lines parsed at a time by [`read_mapped`]: a few megabytes of text, enough to keep every
/// thread busy between reads.
const LINES_AT_A_TIME: usize = 16_384;

/// `f` of every record of a JSON-lines file, in order and without the `None`s, parsed on
/// `threads` threads. The first bad line (in file order) is the error.
fn read_mapped<T: DeserializeOwned, U: Send>(
    path: &Path,
    threads: usize,
    f: impl Fn(T) -> Option<U> + Sync,
) -> Result<Vec<U>, ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = Vec::new();
    let mut lines: Vec<(usize, String)> = Vec::with_capacity(LINES_AT_A_TIME);
    let mut number = 0;
    let parse = |(number, line): &(usize, String)| {
        serde_json::from_str(line)
            .map(&f)
            .map_err(|source| ReadError::Parse {
                path: path.to_owned(),
                line: *number,
                source,
            })
    };
    loop {
        let mut line = String::new();
        let end = reader.read_line(&mut line).map_err(io_err)? == 0;
        if !end {
            number += 1;
            if !line.trim().is_empty() {
                lines.push((number, line));
            }
        }
        if lines.len() == LINES_AT_A_TIME || (end && !lines.is_empty()) {
            let per_thread = lines.len().div_ceil(threads.max(1));
            let parsed: Vec<Result<Vec<U>, ReadError>> = std::thread::scope(|s| {
                let parts: Vec<_> = lines
                    .chunks(per_thread)
                    .map(|part| {
                        s.spawn(|| {
                            part.iter()
                                .map(parse)
                                .filter_map(Result::transpose)
                                .collect()
                        })
                    })
                    .collect();
                parts
                    .into_iter()
                    .map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            for part in parsed {
                out.append(&mut part?);
            }
            lines.clear();
        }
        if end {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JSON-lines file of the numbers 0.. (one per line, with a blank line every 1,000
    /// lines), long enough to span several chunks; `bad` lines (1-based) are not JSON.
    fn numbers(dir: &Path, lines: usize, bad: &[usize]) -> PathBuf {
        let path = dir.join("numbers.jsonl");
        let mut text = String::new();
        for line in 1..=lines {
            if bad.contains(&line) {
                text.push_str("{not json\n");
            } else if line % 1000 == 0 {
                text.push('\n');
            } else {
                text.push_str(&format!("{line}\n"));
            }
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reading_on_threads_keeps_the_order_and_skips_what_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let lines = LINES_AT_A_TIME * 2 + 123;
        let path = numbers(dir.path(), lines, &[]);
        for threads in [1, 2, 3, 8] {
            let odd: Vec<usize> =
                read_mapped(&path, threads, |n: usize| (n % 2 == 1).then_some(n)).unwrap();
            let want: Vec<usize> = (1..=lines)
                .filter(|n| n % 2 == 1 && n % 1000 != 0)
                .collect();
            assert_eq!(odd, want, "{threads} threads");
        }
    }

    #[test]
    fn the_first_bad_line_in_the_file_is_named_whichever_thread_parsed_it() {
        let dir = tempfile::tempdir().unwrap();
        // Both in the second chunk: on three threads the first lands in the first thread's
        // part and the second in the third's.
        let bad = [LINES_AT_A_TIME + 3_617, LINES_AT_A_TIME + 13_617];
        let path = numbers(dir.path(), LINES_AT_A_TIME * 3, &bad);
        for threads in [1, 3] {
            match read_mapped(&path, threads, |n: usize| Some(n)) {
                Err(ReadError::Parse { line, .. }) => assert_eq!(line, bad[0], "{threads}"),
                other => panic!("{threads} threads: {other:?}"),
            }
        }
    }

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
