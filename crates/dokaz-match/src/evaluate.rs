//! Matching a labelled set of records and scoring the result: what `dokaz match eval` and
//! `dokaz match calibrate` run. Open mode compares the records; blind mode compares only their
//! keyed encodings, as sealed records are compared, so that the two F1 can be set side by side.

use foldhash::{HashMap, HashSet};
use std::hash::Hash;
use std::time::Instant;

use dokaz_model::{Incident, IncidentId, PersonId, Unit, UnitId};
use serde::Serialize;

use crate::batch;
use crate::blind::{BlindIncident, BlindPerson};
use crate::calibrate::{calibrate, Calibration};
use crate::engine::{pairs, Comparable, IncidentKeySource, KeySource, PersonKeySource, Run};
use crate::eval::{score, true_pairs, Scores};
use crate::incident::IncidentFeatures;
use crate::keys::Keyer;
use crate::person::PersonFeatures;
use crate::unit::{UnitFeatures, UnitKeySource};
use crate::weights::Weights;

/// Records with the true links between them (pairs of ids, in any order and shape: the
/// truth is closed transitively). Persons come as their features
/// ([`PersonFeatures::new`]): a caller reading millions of them keeps only what is compared,
/// not the records (see `dokaz_demo::read_labelled_as`); their rarities are set here.
#[derive(Debug, Default)]
pub struct Labelled<'a> {
    pub incidents: &'a [Incident],
    pub persons: Vec<PersonFeatures>,
    pub units: &'a [Unit],
    pub incident_links: Vec<(IncidentId, IncidentId)>,
    pub person_links: Vec<(PersonId, PersonId)>,
    pub unit_links: Vec<(UnitId, UnitId)>,
}

/// The result for one record type.
#[derive(Debug, Clone, Serialize)]
pub struct KindReport {
    pub records: usize,
    pub true_pairs: usize,
    pub open: Scores,
    pub comparisons: u64,
    /// Seconds for blocking and comparisons, and the features of incidents and units (persons
    /// come with theirs).
    pub seconds: f64,
    pub blind: Option<Scores>,
    pub blind_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub incidents: KindReport,
    pub persons: KindReport,
    pub units: KindReport,
}

/// How to run an evaluation.
pub struct Options<'a> {
    pub weights: &'a Weights,
    /// The key for blind mode; `None` runs open mode only.
    pub blind_key: Option<&'a [u8]>,
    pub threads: usize,
    /// Keep each record's best match per other agency only (see [`crate::engine::one_to_one`]).
    pub one_to_one: bool,
    /// Called with (stage, records done, records in stage).
    pub progress: &'a (dyn Fn(&str, usize, usize) + Sync),
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("blind", &self.blind_key.is_some())
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// The matched pairs of `records` as ids, scored against the truth.
fn judge<R: Comparable, K: KeySource, Id: Copy + Eq + Hash + Ord>(
    records: &[R],
    keys: &K,
    id: impl Fn(u32) -> Id,
    truth: &HashSet<(Id, Id)>,
    threshold: f64,
    opt: &Options<'_>,
    progress: &(dyn Fn(usize) + Sync),
) -> (Scores, u64) {
    let run = Run {
        weights: opt.weights,
        threads: opt.threads,
        progress,
    };
    let one_to_one = opt.one_to_one;
    let (found, stats) = pairs(records, keys, threshold, &run);
    let found = if one_to_one {
        crate::engine::one_to_one(found, |i| records[i as usize].agency())
    } else {
        found
    };
    let ids: Vec<(Id, Id)> = found.iter().map(|p| (id(p.a), id(p.b))).collect();
    (score(&ids, truth), stats.comparisons)
}

/// How to match a record type blindly: its encoder and its keyed key source.
type BlindWith<'a, F, B, KB> = Option<(&'a (dyn Fn(&F) -> B + Sync), &'a KB)>;

/// One record type matched openly and, given its encoder and keyed key source, blindly, and
/// scored against its links. `started` is when its features began to be computed, so that
/// the open time includes them.
#[allow(clippy::too_many_arguments)]
fn kind_report<F, B, K, KB, Id>(
    stage: &str,
    features: &[F],
    id: impl Fn(&F) -> Id,
    links: &[(Id, Id)],
    threshold: f64,
    open_keys: &K,
    blind: BlindWith<'_, F, B, KB>,
    started: Instant,
    opt: &Options<'_>,
) -> KindReport
where
    F: Comparable,
    B: Comparable + Send,
    K: KeySource,
    KB: KeySource,
    Id: Copy + Eq + Hash + Ord,
{
    let agency: HashMap<Id, _> = features.iter().map(|f| (id(f), f.agency())).collect();
    let truth = true_pairs(links, |x| agency.get(x).copied());
    let of = |i: u32| id(&features[i as usize]);
    let progress = |n| (opt.progress)(stage, n, features.len());
    let (open, comparisons) = judge(features, open_keys, of, &truth, threshold, opt, &progress);
    let seconds = started.elapsed().as_secs_f64();
    let (blind, blind_seconds) = match blind {
        Some((encode, keys)) => {
            let t = Instant::now();
            let enc: Vec<B> = batch::map(features, opt.threads, encode);
            let stage = format!("{stage}, blind");
            let progress = |n| (opt.progress)(&stage, n, features.len());
            let (s, _) = judge(&enc, keys, of, &truth, threshold, opt, &progress);
            (Some(s), Some(t.elapsed().as_secs_f64()))
        }
        None => (None, None),
    };
    KindReport {
        records: features.len(),
        true_pairs: truth.len(),
        open,
        comparisons,
        seconds,
        blind,
        blind_seconds,
    }
}

/// Persons as a batch matches them: rarities from the whole set, in the matching order.
fn prepared(mut persons: Vec<PersonFeatures>, threads: usize) -> Vec<PersonFeatures> {
    crate::person::set_rarity(&mut persons);
    let order = crate::person::matching_order(&persons, threads);
    batch::permute(&mut persons, order);
    persons
}

/// Runs open (and, with a key, blind) matching over every record type and scores it.
pub fn evaluate(set: Labelled<'_>, opt: &Options<'_>) -> Report {
    let w = opt.weights;
    let keyed = opt.blind_key.map(Keyer::keyed);
    let plain = Keyer::Plain;

    let t = Instant::now();
    let inc: Vec<IncidentFeatures> = batch::map(set.incidents, opt.threads, IncidentFeatures::new);
    let keys = |keyer| IncidentKeySource {
        features: &inc,
        keyer,
    };
    let keyed_keys = keyed.as_ref().map(keys);
    let encode = |f: &IncidentFeatures| {
        BlindIncident::encode(f, keyed.as_ref().expect("only called in blind mode"))
    };
    let incidents = kind_report(
        "incidents",
        &inc,
        |f| f.id,
        &set.incident_links,
        w.threshold.incident,
        &keys(&plain),
        keyed_keys
            .as_ref()
            .map(|k| (&encode as &(dyn Fn(&_) -> _ + Sync), k)),
        t,
        opt,
    );
    batch::free_aside(inc);

    let t = Instant::now();
    let per = prepared(set.persons, opt.threads);
    let keys = |keyer| PersonKeySource {
        features: &per,
        keyer,
    };
    let keyed_keys = keyed.as_ref().map(keys);
    let encode = |f: &PersonFeatures| {
        BlindPerson::encode(f, keyed.as_ref().expect("only called in blind mode"))
    };
    let persons = kind_report(
        "persons",
        &per,
        |f| f.id,
        &set.person_links,
        w.threshold.person,
        &keys(&plain),
        keyed_keys
            .as_ref()
            .map(|k| (&encode as &(dyn Fn(&_) -> _ + Sync), k)),
        t,
        opt,
    );
    batch::free_aside(per);

    let t = Instant::now();
    let units: Vec<UnitFeatures> = set.units.iter().map(UnitFeatures::new).collect();
    let unit_keys = UnitKeySource {
        features: &units,
        keyer: &plain,
    };
    let units = kind_report(
        "units",
        &units,
        |f| f.id,
        &set.unit_links,
        w.threshold.unit,
        &unit_keys,
        BlindWith::<UnitFeatures, crate::blind::BlindUnit, UnitKeySource>::None,
        t,
        opt,
    );
    Report {
        incidents,
        persons,
        units,
    }
}

/// Estimates weights and thresholds from a labelled set: incident levels from incidents,
/// person levels from persons, unit levels from units; the rest of `base` is kept.
pub fn calibrate_all(
    set: Labelled<'_>,
    base: &Weights,
    threads: usize,
    one_to_one: bool,
) -> (Weights, [Calibration; 3]) {
    let plain = Keyer::Plain;
    fn one<R: Comparable, K: KeySource, Id: Copy + Eq + Hash + Ord + Send + Sync>(
        records: &[R],
        keys: &K,
        id: impl Fn(u32) -> Id + Sync,
        truth: &HashSet<(Id, Id)>,
        base: &Weights,
        threads: usize,
        one_to_one: bool,
    ) -> Calibration {
        let is_match = |i: u32, j: u32| {
            let (a, b) = (id(i), id(j));
            truth.contains(&if a < b { (a, b) } else { (b, a) })
        };
        calibrate(
            records,
            keys,
            &is_match,
            truth.len() as u64,
            base,
            threads,
            one_to_one,
        )
    }
    let inc: Vec<IncidentFeatures> = batch::map(set.incidents, threads, IncidentFeatures::new);
    let agency: HashMap<_, _> = inc.iter().map(|f| (f.id, f.agency)).collect();
    let truth = true_pairs(&set.incident_links, |x| agency.get(x).copied());
    let ci = one(
        &inc,
        &IncidentKeySource {
            features: &inc,
            keyer: &plain,
        },
        |i| inc[i as usize].id,
        &truth,
        base,
        threads,
        one_to_one,
    );
    let per = prepared(set.persons, threads);
    let agency: HashMap<_, _> = per.iter().map(|f| (f.id, f.agency)).collect();
    let truth = true_pairs(&set.person_links, |x| agency.get(x).copied());
    let cp = one(
        &per,
        &PersonKeySource {
            features: &per,
            keyer: &plain,
        },
        |i| per[i as usize].id,
        &truth,
        base,
        threads,
        one_to_one,
    );
    let units: Vec<UnitFeatures> = set.units.iter().map(UnitFeatures::new).collect();
    let agency: HashMap<_, _> = units.iter().map(|f| (f.id, f.agency)).collect();
    let truth = true_pairs(&set.unit_links, |x| agency.get(x).copied());
    let cu = one(
        &units,
        &UnitKeySource {
            features: &units,
            keyer: &plain,
        },
        |i| units[i as usize].id,
        &truth,
        base,
        threads,
        one_to_one,
    );

    let mut w = base.clone();
    for (prefix, c) in [("incident.", &ci), ("person.", &cp), ("unit.", &cu)] {
        for &(level, m, u) in &c.counts {
            if level.code().starts_with(prefix) && m + u > 0 {
                w.set(level, c.weights.get(level));
            }
        }
    }
    if ci.threshold.is_finite() {
        w.threshold.incident = ci.threshold;
    }
    if cp.threshold.is_finite() {
        w.threshold.person = cp.threshold;
    }
    if cu.threshold.is_finite() {
        w.threshold.unit = cu.threshold;
    }
    (w, [ci, cp, cu])
}
