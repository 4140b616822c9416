//! The demo dataset: a deterministic, realistic picture of several agencies investigating the
//! same war, so that every part of dokaz — deconfliction above all — can be shown and measured
//! on a laptop without real (and protected) case data.
//!
//! Everything is drawn from one ChaCha stream seeded by [`DemoSpec::seed`]: the same spec gives
//! byte-identical data on every machine, ids included, so a demo, a benchmark and a matching
//! score can be reproduced exactly. The records are fiction placed at real places (the
//! embedded gazetteer); no person, unit number or case reference refers to a real one.
#![forbid(unsafe_code)]

mod agencies;
mod cases;
mod gen;
mod harm;
mod incidents;
mod labelled;
mod link;
mod names;
mod narrative;
mod oblasts;
mod overlap;
mod persons;
mod places;
mod romanize;
mod scenarios;
mod units;
mod vocab;

use dokaz_model::{Agency, Case, Incident, Person, Unit, User};
use serde::Serialize;

pub use labelled::{
    agency_codes, read_labelled, read_labelled_as, write_labelled, ClusterSizes, Counts,
    LabelledCorpus, LabelledSpec, LabelledSummary, Manifest, Progress, ReadError, Stage,
    FORMAT as LABELLED_FORMAT,
};
pub use link::{LinkedPair, TrueLink, Variation};

/// What to generate. Counts are numbers of *records*, second reports included, so that a
/// caller asking for 3,000 incidents gets 3,000 rows to load.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSpec {
    pub seed: u64,
    /// Number of agencies, at least 2 (fewer cannot overlap); taken from a fixed catalogue in
    /// order (Prosecutor General of Ukraine, JIT, ICC OTP, Eurojust, an NGO, …).
    pub agencies: usize,
    /// Incident records, first and second reports together.
    pub incidents: usize,
    /// Person records, each attached to an incident (none when there are no incidents).
    pub persons: usize,
    /// Unit records, first and second records together.
    pub units: usize,
    /// Share of real-world incidents that a second agency also reports (0.0–1.0). The same
    /// share, doubled, applies to units, which many agencies track.
    pub overlap: f64,
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self {
            seed: 20_220_224,
            agencies: 4,
            incidents: 3000,
            persons: 800,
            units: 60,
            overlap: 0.15,
        }
    }
}

/// The generated records, in the order they should be loaded (agencies first), with the ground
/// truth of which records of different agencies describe the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoData {
    pub agencies: Vec<Agency>,
    /// A few users per agency, covering every role; the caller sets their passwords. Logins
    /// are predictable (`uapgo.investigator`, `icc.admin`, …) so a demo can be driven by hand.
    pub users: Vec<User>,
    pub incidents: Vec<Incident>,
    pub cases: Vec<Case>,
    pub persons: Vec<Person>,
    pub units: Vec<Unit>,
    /// Pairs of records of two different agencies that describe the same real-world
    /// incident, person or unit.
    pub links: Vec<TrueLink>,
}

/// Generates the demo dataset for `spec`; the same spec always gives the same data.
pub fn generate(spec: &DemoSpec) -> DemoData {
    let mut g = gen::Gen::new(spec.seed);
    let agencies = agencies::agencies(spec.agencies.max(2));
    let users = agencies::users(&mut g, &agencies);
    let overlap = spec.overlap.clamp(0.0, 1.0);
    let mut links = Vec::new();

    let registry = units::generate(&mut g, &agencies, spec.units, overlap, &mut links);
    let places = places::PlacePicker::new();
    let mut world = incidents::generate(
        &mut g,
        &agencies,
        &users,
        &places,
        &registry,
        spec.incidents,
        overlap,
        &mut links,
    );
    let persons = persons::generate(
        &mut g,
        &agencies,
        &mut world,
        spec.persons,
        overlap,
        &mut links,
    );
    let cases = cases::generate(&mut g, &agencies, &users, &world, &persons);

    // In the order the agencies entered them, so that loading the records one by one
    // replays how the overlaps came to light.
    let mut incidents: Vec<Incident> = world.incidents.into_iter().map(|w| w.incident).collect();
    incidents.sort_by_key(|i| (i.created_at, i.id));
    let mut persons: Vec<Person> = persons.into_iter().map(|p| p.person).collect();
    persons.sort_by_key(|p| (p.created_at, p.id));
    DemoData {
        agencies,
        users,
        incidents,
        cases,
        persons,
        units: registry.records,
        links,
    }
}
