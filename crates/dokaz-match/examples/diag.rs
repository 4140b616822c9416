//! Development aid: prints samples of missed and false matches on a labelled corpus with the
//! records' fields and the generator's variations, to see what the matcher gets wrong.
//!
//! `cargo run --release -p dokaz-match --example diag -- DIR persons|incidents [WEIGHTS.toml]`

use std::collections::{HashMap, HashSet};
use std::path::Path;

use dokaz_demo::LinkedPair;
use dokaz_match::engine::{pairs, IncidentKeySource, PersonKeySource, Run};
use dokaz_match::eval::true_pairs;
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::keys::Keyer;
use dokaz_match::person::PersonFeatures;
use dokaz_match::signal::{explain, Signal};
use dokaz_match::weights::{Weights, WeightsFile};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let c = dokaz_demo::read_labelled(Path::new(&args[0])).unwrap();
    let w = match args.get(2) {
        Some(p) => Weights::from_file(
            &toml::from_str::<WeightsFile>(&std::fs::read_to_string(p).unwrap()).unwrap(),
        )
        .unwrap(),
        None => Weights::default(),
    };
    let run = Run {
        weights: &w,
        threads: 2,
        progress: &|_| {},
    };
    let var: HashMap<(uuid::Uuid, uuid::Uuid), String> = c
        .links
        .iter()
        .map(|l| {
            let (a, b) = match l.pair {
                LinkedPair::Incident { a, b } => (a.as_uuid(), b.as_uuid()),
                LinkedPair::Person { a, b } => (a.as_uuid(), b.as_uuid()),
                LinkedPair::Unit { a, b } => (a.as_uuid(), b.as_uuid()),
            };
            let v = serde_json::to_string(&l.variations).unwrap();
            ((a.min(b), a.max(b)), v)
        })
        .collect();
    if args[1] == "persons" {
        let mut f: Vec<PersonFeatures> = c.persons.iter().map(PersonFeatures::new).collect();
        dokaz_match::person::set_rarity(&mut f);
        let pos: HashMap<_, _> = f.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
        let agency: HashMap<_, _> = f.iter().map(|x| (x.id, x.agency)).collect();
        let links: Vec<_> = c
            .links
            .iter()
            .filter_map(|l| match l.pair {
                LinkedPair::Person { a, b } => Some((a, b)),
                _ => None,
            })
            .collect();
        let truth = true_pairs(&links, |x| agency.get(x).copied());
        let (found, _) = pairs(
            &f,
            &PersonKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            },
            f64::NEG_INFINITY,
            &run,
        );
        let mut scored: HashMap<_, f64> = HashMap::new();
        for p in &found {
            let (a, b) = (f[p.a as usize].id, f[p.b as usize].id);
            scored.insert(if a < b { (a, b) } else { (b, a) }, p.score);
        }
        let mut shown = 0;
        println!(
            "=== missed (true pairs below threshold {:.2} or not candidates)",
            w.threshold.person
        );
        for &(a, b) in &truth {
            let s = scored.get(&(a, b)).copied();
            if s.is_some_and(|s| s >= w.threshold.person) {
                continue;
            }
            shown += 1;
            if shown > 40 {
                break;
            }
            let (pa, pb) = (&c.persons[pos[&a]], &c.persons[pos[&b]]);
            let mut sig: Vec<Signal> = Vec::new();
            f[pos[&a]].compare(&f[pos[&b]], &mut sig);
            println!(
                "{:?} | {:?} {:?} {:?} {:?} | {:?} {:?} {:?} {:?} | {}\n   var {}",
                s.map(|s| (s * 10.0).round() / 10.0),
                pa.names.iter().map(|n| &n.full).collect::<Vec<_>>(),
                pa.birth_date,
                pa.sex,
                pa.place_of_origin,
                pb.names.iter().map(|n| &n.full).collect::<Vec<_>>(),
                pb.birth_date,
                pb.sex,
                pb.place_of_origin,
                explain(&sig, &w),
                var.get(&(a.as_uuid().min(b.as_uuid()), a.as_uuid().max(b.as_uuid())))
                    .cloned()
                    .unwrap_or_else(|| "(transitive)".into())
            );
            println!("   keys {:?} | {:?}", f[pos[&a]].names, f[pos[&b]].names);
        }
        println!("=== false matches");
        let mut shown = 0;
        for (&(a, b), &s) in &scored {
            if s < w.threshold.person || truth.contains(&(a, b)) {
                continue;
            }
            shown += 1;
            if shown > 25 {
                break;
            }
            let (pa, pb) = (&c.persons[pos[&a]], &c.persons[pos[&b]]);
            let mut sig: Vec<Signal> = Vec::new();
            f[pos[&a]].compare(&f[pos[&b]], &mut sig);
            println!(
                "{:.1} | {:?} {:?} {:?} {:?} | {:?} {:?} {:?} {:?} | {}",
                s,
                pa.names.iter().map(|n| &n.full).collect::<Vec<_>>(),
                pa.birth_date,
                pa.sex,
                pa.place_of_origin,
                pb.names.iter().map(|n| &n.full).collect::<Vec<_>>(),
                pb.birth_date,
                pb.sex,
                pb.place_of_origin,
                explain(&sig, &w)
            );
        }
    } else {
        let f: Vec<IncidentFeatures> = c.incidents.iter().map(IncidentFeatures::new).collect();
        let pos: HashMap<_, _> = f.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
        let agency: HashMap<_, _> = f.iter().map(|x| (x.id, x.agency)).collect();
        let links: Vec<_> = c
            .links
            .iter()
            .filter_map(|l| match l.pair {
                LinkedPair::Incident { a, b } => Some((a, b)),
                _ => None,
            })
            .collect();
        let truth = true_pairs(&links, |x| agency.get(x).copied());
        let (found, _) = pairs(
            &f,
            &IncidentKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            },
            f64::NEG_INFINITY,
            &run,
        );
        let mut scored: HashMap<_, f64> = HashMap::new();
        for p in &found {
            let (a, b) = (f[p.a as usize].id, f[p.b as usize].id);
            scored.insert(if a < b { (a, b) } else { (b, a) }, p.score);
        }
        let show = |a, b, s: Option<f64>| {
            let (ia, ib) = (&c.incidents[pos[&a]], &c.incidents[pos[&b]]);
            let mut sig: Vec<Signal> = Vec::new();
            f[pos[&a]].compare(&f[pos[&b]], &mut sig);
            println!(
                "{:?} | {} {:?} {} {:?} | {} {:?} {} {:?}\n   {}\n   var {}",
                s.map(|s| (s * 10.0).round() / 10.0),
                ia.title,
                ia.occurred,
                ia.location.place_name,
                ia.location.coordinates,
                ib.title,
                ib.occurred,
                ib.location.place_name,
                ib.location.coordinates,
                explain(&sig, &w),
                var.get(&(a.as_uuid().min(b.as_uuid()), a.as_uuid().max(b.as_uuid())))
                    .cloned()
                    .unwrap_or_else(|| "-".into())
            );
        };
        println!("=== missed");
        let mut shown = 0;
        for &(a, b) in &truth {
            let s = scored.get(&(a, b)).copied();
            if s.is_some_and(|s| s >= w.threshold.incident) {
                continue;
            }
            shown += 1;
            if shown > 25 {
                break;
            }
            show(a, b, s);
        }
        println!("=== false");
        let mut shown = 0;
        let seen: HashSet<_> = truth.iter().collect();
        for (&(a, b), &s) in &scored {
            if s < w.threshold.incident || seen.contains(&(a, b)) {
                continue;
            }
            shown += 1;
            if shown > 25 {
                break;
            }
            show(a, b, Some(s));
        }
    }
}
