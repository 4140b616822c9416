//! The labelled corpus for deconfliction: K agencies reporting overlapping incidents and
//! persons with realistic noise, written as JSON lines with the true links, so that a matcher
//! can be scored (precision, recall, F1) and compared with other tools. The format is
//! described in `LABELLED.md` in this crate.
//!
//! Every real incident or person is reported by one or more agencies (a cluster); every report
//! after the first is linked to the first one (`TrueLink`, star-shaped), so the true pairs are
//! the transitive closure of the links within a cluster.

mod clusters;
mod events;
mod files;
mod given;
mod people;
mod scripts;
mod surnames;
mod typos;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use dokaz_model::{Agency, Incident, Person};
use serde::{Deserialize, Serialize};

use crate::gen::Gen;
use crate::incidents::Ctx;
use crate::link::{LinkedPair, TrueLink};
use crate::{agencies, units};

pub use files::{read_labelled, read_labelled_as, LabelledCorpus, ReadError};

/// The format name in `manifest.json`.
pub const FORMAT: &str = "dokaz-labelled-corpus-v1";

/// Records are written in blocks of this many, shuffled within the block, so that the order of
/// the files says nothing about which records belong together while memory stays bounded.
const BLOCK: usize = 32_768;

/// What to generate. Counts are numbers of records, further reports included.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledSpec {
    pub seed: u64,
    /// Number of agencies, 2..=10, taken in order from the demo's catalogue.
    pub agencies: usize,
    pub incidents: usize,
    pub persons: usize,
    pub units: usize,
    /// Share of real incidents and persons reported by more than one agency (0.0–1.0).
    pub overlap: f64,
}

impl Default for LabelledSpec {
    fn default() -> Self {
        Self {
            seed: 20_220_224,
            agencies: 5,
            incidents: 10_000,
            persons: 10_000,
            units: 200,
            overlap: 0.3,
        }
    }
}

/// Which records are being written, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Units,
    Incidents,
    Persons,
}

/// How far the writing is: records written so far out of all to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub written: u64,
    pub total: u64,
}

/// Record counts, as in `manifest.json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub incidents: u64,
    pub persons: u64,
    pub units: u64,
    pub links: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub seed: u64,
    pub agencies: usize,
    pub counts: Counts,
    #[serde(default)]
    pub overlap: f64,
}

/// The clusters of one kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClusterSizes {
    /// Real-world incidents or persons.
    pub entities: u64,
    /// `sizes[k]`: how many were reported by exactly `k` agencies (index 0 unused).
    pub sizes: Vec<u64>,
    /// Hard negatives drawn on purpose: repeated incidents at one place, or namesakes and
    /// siblings.
    pub hard_negatives: u64,
    /// How often each kind of variation occurs in the links.
    pub variations: BTreeMap<String, u64>,
}

impl ClusterSizes {
    fn add(&mut self, size: usize) {
        self.entities += 1;
        if self.sizes.len() <= size {
            self.sizes.resize(size + 1, 0);
        }
        self.sizes[size] += 1;
    }

    fn count(&mut self, link: &TrueLink) {
        for v in &link.variations {
            *self.variations.entry(v.what().to_owned()).or_insert(0) += 1;
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledSummary {
    pub manifest: Manifest,
    pub agencies: Vec<String>,
    pub incidents: ClusterSizes,
    pub persons: ClusterSizes,
}

/// Writes the labelled corpus for `spec` into `dir` (created if missing; files in it are
/// overwritten — the caller decides whether a non-empty directory is acceptable), streaming:
/// memory stays bounded whatever the counts. The same spec always gives the same bytes.
pub fn write_labelled(
    spec: &LabelledSpec,
    dir: &Path,
    mut progress: impl FnMut(Progress),
) -> io::Result<LabelledSummary> {
    if !(2..=10).contains(&spec.agencies) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a labelled corpus needs 2 to 10 agencies",
        ));
    }
    if !(0.0..=1.0).contains(&spec.overlap) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "overlap must be within 0.0..=1.0",
        ));
    }
    std::fs::create_dir_all(dir)?;
    let mut out = files::Output::create(dir)?;
    let agencies = agencies::agencies(spec.agencies);
    for a in &agencies {
        out.agencies.write(a)?;
    }
    let total = (spec.incidents + spec.persons + spec.units) as u64;
    let mut written = 0u64;
    let mut counts = Counts::default();

    // Units first: incidents name the units their agency has on record.
    let mut g = Gen::new(spec.seed);
    let mut unit_links = Vec::new();
    let registry = units::generate(&mut g, &agencies, spec.units, spec.overlap, &mut unit_links);
    for u in &registry.records {
        out.units.write(u)?;
    }
    for l in &unit_links {
        out.links.write(l)?;
    }
    counts.units = registry.records.len() as u64;
    counts.links += unit_links.len() as u64;
    written += counts.units;
    progress(Progress {
        stage: Stage::Units,
        written,
        total,
    });

    let ctx = Ctx {
        agencies: &agencies,
        users: &[],
        registry: &registry,
    };
    let mut incidents = ClusterSizes::default();
    let mut events = events::Events::new();
    let mut block: Vec<Incident> = Vec::with_capacity(BLOCK);
    let mut left = spec.incidents;
    while left > 0 {
        let k = clusters::size(&mut g, spec.agencies, spec.overlap).min(left);
        let who = clusters::agencies(&mut g, spec.agencies, k);
        let first = events.first(&mut g, &ctx, who[0]);
        for &agency in &who[1..] {
            let (report, variations) = events::further(&mut g, &ctx, &first, agency);
            let link = TrueLink {
                pair: LinkedPair::Incident {
                    a: first.incident.id,
                    b: report.id,
                },
                agencies: [first.incident.agency, report.agency],
                variations,
            };
            incidents.count(&link);
            out.links.write(&link)?;
            counts.links += 1;
            block.push(report);
        }
        block.push(first.incident);
        incidents.add(k);
        left -= k;
        if block.len() >= BLOCK || left == 0 {
            g.shuffle(&mut block);
            for i in block.drain(..) {
                out.incidents.write(&i)?;
            }
            written += (spec.incidents - left) as u64 - counts.incidents;
            counts.incidents = (spec.incidents - left) as u64;
            progress(Progress {
                stage: Stage::Incidents,
                written,
                total,
            });
        }
    }
    incidents.hard_negatives = events.repeats;

    // Persons from a stream of their own, so the same seed gives the same persons whatever
    // the number of incidents and units.
    let mut g = Gen::new(spec.seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut persons = ClusterSizes::default();
    let mut people = people::People::new();
    let mut block: Vec<Person> = Vec::with_capacity(BLOCK);
    let mut left = spec.persons;
    while left > 0 {
        let k = clusters::size(&mut g, spec.agencies, spec.overlap).min(left);
        let who = clusters::agencies(&mut g, spec.agencies, k);
        let truth = people.draw(&mut g);
        let (first, first_view) = people::record(&mut g, &truth, who[0], agencies[who[0]].id);
        for &agency in &who[1..] {
            let (p, view) = people::record(&mut g, &truth, agency, agencies[agency].id);
            let link = TrueLink {
                pair: LinkedPair::Person {
                    a: first.id,
                    b: p.id,
                },
                agencies: [first.agency, p.agency],
                variations: people::variations(&truth, &first_view, &view),
            };
            persons.count(&link);
            out.links.write(&link)?;
            counts.links += 1;
            block.push(p);
        }
        block.push(first);
        persons.add(k);
        left -= k;
        if block.len() >= BLOCK || left == 0 {
            g.shuffle(&mut block);
            for p in block.drain(..) {
                out.write_person(&p, &agencies)?;
            }
            written += (spec.persons - left) as u64 - counts.persons;
            counts.persons = (spec.persons - left) as u64;
            progress(Progress {
                stage: Stage::Persons,
                written,
                total,
            });
        }
    }
    persons.hard_negatives = people.hard_negatives;

    let manifest = Manifest {
        format: FORMAT.to_owned(),
        seed: spec.seed,
        agencies: spec.agencies,
        counts,
        overlap: spec.overlap,
    };
    out.finish(&manifest)?;
    Ok(LabelledSummary {
        manifest,
        agencies: agencies.iter().map(|a| a.code.to_string()).collect(),
        incidents,
        persons,
    })
}

/// The agencies, in order, that a corpus of `n` agencies has (codes), for documentation.
pub fn agency_codes(n: usize) -> Vec<String> {
    agencies::agencies(n)
        .iter()
        .map(|a: &Agency| a.code.to_string())
        .collect()
}
