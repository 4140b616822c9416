//! Calibrates the matcher on one generated demo dataset and scores it on another
//! (`dokaz_demo::generate`, two seeds): a quick check while developing; `dokaz match eval
//! DIR` is the evaluation on a labelled corpus.
//!
//! `cargo run --release -p dokaz-match --example demo_eval -- [INCIDENTS] [PERSONS]`

use std::collections::{HashMap, HashSet};

use dokaz_demo::{DemoData, DemoSpec, LinkedPair};
use dokaz_match::blind::{BlindIncident, BlindPerson};
use dokaz_match::calibrate::calibrate;
use dokaz_match::engine::{pairs, IncidentKeySource, PersonKeySource, Run};
use dokaz_match::eval::{score, true_pairs};
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::keys::Keyer;
use dokaz_match::person::PersonFeatures;
use dokaz_match::weights::Weights;

struct Set {
    inc: Vec<IncidentFeatures>,
    per: Vec<PersonFeatures>,
    truth_i: HashSet<(dokaz_model::IncidentId, dokaz_model::IncidentId)>,
    truth_p: HashSet<(dokaz_model::PersonId, dokaz_model::PersonId)>,
}

fn prepare(data: &DemoData) -> Set {
    let inc: Vec<IncidentFeatures> = data.incidents.iter().map(IncidentFeatures::new).collect();
    let per: Vec<PersonFeatures> = data.persons.iter().map(PersonFeatures::new).collect();
    let agency_i: HashMap<_, _> = inc.iter().map(|f| (f.id, f.agency)).collect();
    let agency_p: HashMap<_, _> = per.iter().map(|f| (f.id, f.agency)).collect();
    let li: Vec<_> = data
        .links
        .iter()
        .filter_map(|l| match l.pair {
            LinkedPair::Incident { a, b } => Some((a, b)),
            _ => None,
        })
        .collect();
    let lp: Vec<_> = data
        .links
        .iter()
        .filter_map(|l| match l.pair {
            LinkedPair::Person { a, b } => Some((a, b)),
            _ => None,
        })
        .collect();
    Set {
        truth_i: true_pairs(&li, |x| agency_i[x]),
        truth_p: true_pairs(&lp, |x| agency_p[x]),
        inc,
        per,
    }
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let spec = |seed| DemoSpec {
        seed,
        incidents: args.first().copied().unwrap_or(20_000),
        persons: args.get(1).copied().unwrap_or(20_000),
        agencies: 5,
        overlap: 0.3,
        ..DemoSpec::default()
    };
    let cal = prepare(&dokaz_demo::generate(&spec(1)));
    let test = prepare(&dokaz_demo::generate(&spec(2)));
    let plain = Keyer::Plain;
    let keyed = Keyer::keyed(b"demo deployment key");
    let threads = dokaz_match::batch::default_threads();

    // Calibrate on the first dataset.
    let mut weights = Weights::default();
    let pos_i: HashMap<_, u32> = cal
        .inc
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id, i as u32))
        .collect();
    let _ = pos_i;
    let is_i = |i: u32, j: u32| {
        let (a, b) = (cal.inc[i as usize].id, cal.inc[j as usize].id);
        cal.truth_i.contains(&if a < b { (a, b) } else { (b, a) })
    };
    let c = calibrate(
        &cal.inc,
        &IncidentKeySource {
            features: &cal.inc,
            keyer: &plain,
        },
        &is_i,
        cal.truth_i.len() as u64,
        &weights,
        threads,
    );
    println!(
        "incidents: completeness {:.3} candidates {} true {} f1 {:.4} threshold {:.2}",
        c.pairs_completeness, c.candidates, c.true_candidates, c.f1, c.threshold
    );
    for (l, m, u) in &c.counts {
        println!(
            "  {:32} m {:7} u {:7} w {:+.2}",
            l.code(),
            m,
            u,
            c.weights.get(*l)
        );
    }
    let is_p = |i: u32, j: u32| {
        let (a, b) = (cal.per[i as usize].id, cal.per[j as usize].id);
        cal.truth_p.contains(&if a < b { (a, b) } else { (b, a) })
    };
    let cp = calibrate(
        &cal.per,
        &PersonKeySource {
            features: &cal.per,
            keyer: &plain,
        },
        &is_p,
        cal.truth_p.len() as u64,
        &c.weights,
        threads,
    );
    println!(
        "persons: completeness {:.3} candidates {} true {} f1 {:.4} threshold {:.2}",
        cp.pairs_completeness, cp.candidates, cp.true_candidates, cp.f1, cp.threshold
    );
    for (l, m, u) in cp
        .counts
        .iter()
        .filter(|x| x.0.code().starts_with("person"))
    {
        println!(
            "  {:32} m {:7} u {:7} w {:+.2}",
            l.code(),
            m,
            u,
            cp.weights.get(*l)
        );
    }
    weights = cp.weights.clone();
    weights.threshold.incident = c.threshold;
    weights.threshold.person = cp.threshold;

    let run = Run {
        weights: &weights,
        threads,
        progress: &|_| {},
    };
    let t = std::time::Instant::now();
    let (found, stats) = pairs(
        &test.inc,
        &IncidentKeySource {
            features: &test.inc,
            keyer: &plain,
        },
        weights.threshold.incident,
        &run,
    );
    let ids: Vec<_> = found
        .iter()
        .map(|p| (test.inc[p.a as usize].id, test.inc[p.b as usize].id))
        .collect();
    println!(
        "incidents open  {:?} comparisons {} in {:?}",
        score(&ids, &test.truth_i),
        stats.comparisons,
        t.elapsed()
    );
    let blind: Vec<BlindIncident> = test
        .inc
        .iter()
        .map(|f| BlindIncident::encode(f, &keyed))
        .collect();
    let (found, _) = pairs(
        &blind,
        &IncidentKeySource {
            features: &test.inc,
            keyer: &keyed,
        },
        weights.threshold.incident,
        &run,
    );
    let ids: Vec<_> = found
        .iter()
        .map(|p| (test.inc[p.a as usize].id, test.inc[p.b as usize].id))
        .collect();
    println!("incidents blind {:?}", score(&ids, &test.truth_i));
    let t = std::time::Instant::now();
    let (found, stats) = pairs(
        &test.per,
        &PersonKeySource {
            features: &test.per,
            keyer: &plain,
        },
        weights.threshold.person,
        &run,
    );
    let ids: Vec<_> = found
        .iter()
        .map(|p| (test.per[p.a as usize].id, test.per[p.b as usize].id))
        .collect();
    println!(
        "persons open  {:?} comparisons {} in {:?}",
        score(&ids, &test.truth_p),
        stats.comparisons,
        t.elapsed()
    );
    let blind: Vec<BlindPerson> = test
        .per
        .iter()
        .map(|f| BlindPerson::encode(f, &keyed))
        .collect();
    let (found, _) = pairs(
        &blind,
        &PersonKeySource {
            features: &test.per,
            keyer: &keyed,
        },
        weights.threshold.person,
        &run,
    );
    let ids: Vec<_> = found
        .iter()
        .map(|p| (test.per[p.a as usize].id, test.per[p.b as usize].id))
        .collect();
    println!("persons blind {:?}", score(&ids, &test.truth_p));
}
