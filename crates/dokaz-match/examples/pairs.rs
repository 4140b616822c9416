//! Development aid: writes the candidate pairs of one kind of a labelled corpus that score at
//! least `MIN` with the built-in weights (default: all of them), one JSON line each — the
//! truth, the levels the comparator reports with their factors, and the raw quantities behind
//! them — so that new levels can be tried offline (fitted on one corpus, scored on another)
//! before they are written into the comparator.
//!
//! `cargo run --release -p dokaz-match --example pairs -- DIR incidents|persons [MIN] > pairs.jsonl`

use std::collections::HashMap;
use std::hash::Hash;
use std::io::Write;
use std::path::Path;

use dokaz_demo::{LabelledCorpus, LinkedPair};
use dokaz_match::engine::{pairs, Comparable, IncidentKeySource, KeySource, PersonKeySource, Run};
use dokaz_match::eval::true_pairs;
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::keys::Keyer;
use dokaz_match::person::PersonFeatures;
use dokaz_match::signal::Signal;
use dokaz_match::text::person_name::compare_names;
use dokaz_match::weights::Weights;
use dokaz_model::AgencyId;
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
    let dump = Dump {
        min,
        run: &run,
        agencies: &agencies,
    };
    match args.get(1).map(String::as_str) {
        Some("incidents") => {
            let f: Vec<IncidentFeatures> = c.incidents.iter().map(IncidentFeatures::new).collect();
            let keys = IncidentKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            };
            dump.write(&f, &keys, &links(&c, incident), |x| x.id, |a, b, x, y| {
                let (ix, iy) = (&c.incidents[a as usize], &c.incidents[b as usize]);
                json!({
                    "d": match (x.point, y.point) { (Some(a), Some(b)) => Some(a.distance_m(&b)), _ => None },
                    "r": [x.radius_m, y.radius_m],
                    "t": [x.start, x.end, y.start, y.end],
                    "coarse": [x.coarse_time, y.coarse_time],
                    "lang": [ix.narratives.first().map(|n| &n.lang), iy.narratives.first().map(|n| &n.lang)],
                })
            });
        }
        Some("persons") => {
            let mut f: Vec<PersonFeatures> = c.persons.iter().map(PersonFeatures::new).collect();
            dokaz_match::person::set_rarity(&mut f);
            let keys = PersonKeySource {
                features: &f,
                keyer: &Keyer::Plain,
            };
            dump.write(&f, &keys, &links(&c, person), |x| x.id, |a, b, x, y| {
                let (px, py) = (&c.persons[a as usize], &c.persons[b as usize]);
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
                json!({
                    "sim": best.map(|c| [c.family, c.given, c.patronymic]),
                    "n": [px.names.iter().map(|n| &n.full).collect::<Vec<_>>(), py.names.iter().map(|n| &n.full).collect::<Vec<_>>()],
                    "bd": [px.birth_date.map(|d| format!("{d:?}")), py.birth_date.map(|d| format!("{d:?}"))],
                    "org": [&px.place_of_origin, &py.place_of_origin],
                    "rar": [x.family_rarity, x.given_rarity, y.family_rarity, y.given_rarity],
                })
            });
        }
        _ => panic!("usage: pairs DIR incidents|persons [MIN]"),
    }
}

struct Dump<'a> {
    min: f64,
    run: &'a Run<'a>,
    agencies: &'a HashMap<AgencyId, usize>,
}

impl Dump<'_> {
    /// Writes the candidate pairs of `records` with the truth from `links`, their levels, and
    /// what `raw` adds of a pair (by position and features).
    fn write<R: Comparable, K: KeySource, T: Copy + Eq + Hash + Ord>(
        &self,
        records: &[R],
        keys: &K,
        links: &[(T, T)],
        id: impl Fn(&R) -> T,
        raw: impl Fn(u32, u32, &R, &R) -> Value,
    ) {
        let agency: HashMap<T, AgencyId> = records.iter().map(|r| (id(r), r.agency())).collect();
        let truth = true_pairs(links, |x| agency.get(x).copied());
        let out = std::io::stdout();
        let mut out = std::io::BufWriter::new(out.lock());
        for p in pairs(records, keys, self.min, self.run).0 {
            let (x, y) = (&records[p.a as usize], &records[p.b as usize]);
            let mut sig: Vec<Signal> = Vec::new();
            x.compare(y, &mut sig);
            let (ix, iy) = (id(x), id(y));
            let mut line = json!({
                "a": p.a, "b": p.b, "score": p.score,
                "ag": [self.agencies[&x.agency()], self.agencies[&y.agency()]],
                "y": truth.contains(&(ix.min(iy), ix.max(iy))),
                "s": sig.iter().map(|s| (s.level.code(), s.detail.factor(), s.detail)).collect::<Vec<_>>(),
            });
            if let (Some(line), Value::Object(more)) = (line.as_object_mut(), raw(p.a, p.b, x, y)) {
                line.extend(more);
            }
            writeln!(out, "{line}").expect("write");
        }
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
