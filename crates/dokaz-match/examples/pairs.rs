//! Development aid: writes the candidate pairs of one kind of a labelled corpus that score at
//! least `MIN` with the built-in weights (default: all of them), one JSON line each — the
//! truth, the levels the comparator reports with their factors, and the raw quantities behind
//! them — so that new levels can be tried offline (fitted on one corpus, scored on another)
//! before they are written into the comparator.
//!
//! `cargo run --release -p dokaz-match --example pairs -- DIR incidents|persons [MIN] > pairs.jsonl`

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use dokaz_demo::{LabelledCorpus, LinkedPair};
use dokaz_match::engine::{pairs, IncidentKeySource, PersonKeySource, Run};
use dokaz_match::eval::true_pairs;
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::keys::Keyer;
use dokaz_match::person::PersonFeatures;
use dokaz_match::signal::Signal;
use dokaz_match::text::person_name::compare_names;
use dokaz_match::weights::Weights;
use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let c = dokaz_demo::read_labelled(Path::new(&args[0])).expect("corpus");
    let min: f64 = args
        .get(2)
        .map_or(f64::NEG_INFINITY, |m| m.parse().expect("MIN is a number"));
    let w = Weights::default();
    let run = Run {
        weights: &w,
        threads: 2,
        progress: &|_| {},
    };
    let agencies: HashMap<_, _> = c
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id, i))
        .collect();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut write = |a: u32, b: u32, ag: [usize; 2], y: bool, sig: &[Signal], raw: Value| {
        let mut line = json!({
            "a": a, "b": b, "ag": ag, "y": y,
            "s": sig.iter().map(|s| (s.level.code(), s.detail.factor(), s.detail)).collect::<Vec<_>>(),
        });
        line.as_object_mut()
            .expect("an object")
            .extend(raw.as_object().expect("an object").clone());
        writeln!(out, "{line}").expect("write");
    };
    match args.get(1).map(String::as_str) {
        Some("incidents") => {
            let f: Vec<IncidentFeatures> = c.incidents.iter().map(IncidentFeatures::new).collect();
            let agency: HashMap<_, _> = f.iter().map(|x| (x.id, x.agency)).collect();
            let truth = true_pairs(&links(&c, incident), |x| agency.get(x).copied());
            let keys = IncidentKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            };
            for p in pairs(&f, &keys, min, &run).0 {
                let (x, y) = (&f[p.a as usize], &f[p.b as usize]);
                let mut sig: Vec<Signal> = Vec::new();
                x.compare(y, &mut sig);
                let (ix, iy) = (&c.incidents[p.a as usize], &c.incidents[p.b as usize]);
                let raw = json!({
                    "d": match (x.point, y.point) { (Some(a), Some(b)) => Some(a.distance_m(&b)), _ => None },
                    "r": [x.radius_m, y.radius_m],
                    "t": [x.start, x.end, y.start, y.end],
                    "coarse": [x.coarse_time, y.coarse_time],
                    "lang": [ix.narratives.first().map(|n| &n.lang), iy.narratives.first().map(|n| &n.lang)],
                });
                let key = (x.id.min(y.id), x.id.max(y.id));
                let ag = [agencies[&x.agency], agencies[&y.agency]];
                write(p.a, p.b, ag, truth.contains(&key), &sig, raw);
            }
        }
        Some("persons") => {
            let mut f: Vec<PersonFeatures> = c.persons.iter().map(PersonFeatures::new).collect();
            dokaz_match::person::set_rarity(&mut f);
            let agency: HashMap<_, _> = f.iter().map(|x| (x.id, x.agency)).collect();
            let truth = true_pairs(&links(&c, person), |x| agency.get(x).copied());
            let keys = PersonKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            };
            for p in pairs(&f, &keys, min, &run).0 {
                let (x, y) = (&f[p.a as usize], &f[p.b as usize]);
                let mut sig: Vec<Signal> = Vec::new();
                x.compare(y, &mut sig);
                let (px, py) = (&c.persons[p.a as usize], &c.persons[p.b as usize]);
                // The best pairing of their names, as the comparator takes it.
                let best = x
                    .names
                    .iter()
                    .flat_map(|a| {
                        y.names
                            .iter()
                            .map(move |b| compare_names((&a.key, &a.facts), (&b.key, &b.facts)))
                    })
                    .max_by(|u, v| u.score.total_cmp(&v.score));
                let raw = json!({
                    "score": p.score,
                    "sim": best.map(|c| [c.family, c.given, c.patronymic]),
                    "n": [px.names.iter().map(|n| &n.full).collect::<Vec<_>>(), py.names.iter().map(|n| &n.full).collect::<Vec<_>>()],
                    "bd": [px.birth_date.map(|d| format!("{d:?}")), py.birth_date.map(|d| format!("{d:?}"))],
                    "org": [&px.place_of_origin, &py.place_of_origin],
                    "rar": [x.family_rarity, x.given_rarity, y.family_rarity, y.given_rarity],
                });
                let key = (x.id.min(y.id), x.id.max(y.id));
                let ag = [agencies[&x.agency], agencies[&y.agency]];
                write(p.a, p.b, ag, truth.contains(&key), &sig, raw);
            }
        }
        _ => panic!("usage: pairs DIR incidents|persons [MIN]"),
    }
}

/// The corpus's links of one kind.
fn links<T>(c: &LabelledCorpus, pick: fn(&LinkedPair) -> Option<(T, T)>) -> Vec<(T, T)> {
    c.links.iter().filter_map(|l| pick(&l.pair)).collect()
}

fn incident(p: &LinkedPair) -> Option<(dokaz_model::IncidentId, dokaz_model::IncidentId)> {
    match *p {
        LinkedPair::Incident { a, b } => Some((a, b)),
        _ => None,
    }
}

fn person(p: &LinkedPair) -> Option<(dokaz_model::PersonId, dokaz_model::PersonId)> {
    match *p {
        LinkedPair::Person { a, b } => Some((a, b)),
        _ => None,
    }
}
