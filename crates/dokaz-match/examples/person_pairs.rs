//! Development aid: writes the candidate person pairs of a labelled corpus that score at least
//! `MIN` (default 0) with the built-in weights, one JSON line each — the truth, the levels
//! the comparator reports with their factors, and the raw fields — so that new levels can be
//! tried offline before they are written into the comparator.
//!
//! `cargo run --release -p dokaz-match --example person_pairs -- DIR [MIN] > pairs.jsonl`

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use dokaz_demo::LinkedPair;
use dokaz_match::engine::{pairs, PersonKeySource, Run};
use dokaz_match::eval::true_pairs;
use dokaz_match::keys::Keyer;
use dokaz_match::person::PersonFeatures;
use dokaz_match::signal::Signal;
use dokaz_match::weights::Weights;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let c = dokaz_demo::read_labelled(Path::new(&args[0])).expect("corpus");
    let min: f64 = args
        .get(1)
        .map_or(0.0, |m| m.parse().expect("MIN is a number"));
    let w = Weights::default();
    let run = Run {
        weights: &w,
        threads: 2,
        progress: &|_| {},
    };
    let mut f: Vec<PersonFeatures> = c.persons.iter().map(PersonFeatures::new).collect();
    dokaz_match::person::set_rarity(&mut f);
    let agency: HashMap<_, _> = f.iter().map(|x| (x.id, x.agency)).collect();
    let agencies: HashMap<_, _> = c
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id, i))
        .collect();
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
        min,
        &run,
    );
    eprintln!(
        "{} true pairs, {} candidate pairs kept",
        truth.len(),
        found.len()
    );
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for p in &found {
        let (x, y) = (&f[p.a as usize], &f[p.b as usize]);
        let key = if x.id < y.id {
            (x.id, y.id)
        } else {
            (y.id, x.id)
        };
        let mut sig: Vec<Signal> = Vec::new();
        x.compare(y, &mut sig);
        let (px, py) = (&c.persons[p.a as usize], &c.persons[p.b as usize]);
        // The best pairing of their names, as the comparator takes it.
        let best = x
            .names
            .iter()
            .flat_map(|a| {
                y.names.iter().map(move |b| {
                    dokaz_match::text::person_name::compare_names(
                        (&a.key, &a.facts),
                        (&b.key, &b.facts),
                    )
                })
            })
            .max_by(|u, v| u.score.total_cmp(&v.score));
        let line = serde_json::json!({
            "a": p.a, "b": p.b,
            "ag": [agencies[&x.agency], agencies[&y.agency]],
            "y": truth.contains(&key),
            "score": p.score,
            "sim": best.map(|c| [c.family, c.given, c.patronymic]),
            "n": [px.names.iter().map(|n| n.full.clone()).collect::<Vec<_>>(), py.names.iter().map(|n| n.full.clone()).collect::<Vec<_>>()],
            "bd": [px.birth_date.map(|d| format!("{d:?}")), py.birth_date.map(|d| format!("{d:?}"))],
            "sex": [format!("{:?}", px.sex), format!("{:?}", py.sex)],
            "org": [&px.place_of_origin, &py.place_of_origin],
            "rar": [x.family_rarity, x.given_rarity, y.family_rarity, y.given_rarity],
            "s": sig.iter().map(|s| (s.level.code(), s.detail.factor(), s.detail)).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}").expect("write");
    }
}
