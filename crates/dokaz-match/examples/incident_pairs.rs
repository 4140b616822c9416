//! Development aid: writes every candidate incident pair of a labelled corpus as one JSON
//! line — the truth, the raw quantities behind each comparison (distance, radii, time gap,
//! precisions, word overlap) and the levels the comparator reports — so that new levels can
//! be tried offline before they are written into the comparator.
//!
//! `cargo run --release -p dokaz-match --example incident_pairs -- DIR > pairs.jsonl`

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use dokaz_demo::LinkedPair;
use dokaz_match::engine::{pairs, IncidentKeySource, Run};
use dokaz_match::eval::true_pairs;
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::keys::Keyer;
use dokaz_match::signal::Signal;
use dokaz_match::weights::Weights;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let c = dokaz_demo::read_labelled(Path::new(&args[0])).expect("corpus");
    let w = Weights::default();
    let run = Run {
        weights: &w,
        threads: 2,
        progress: &|_| {},
    };
    let f: Vec<IncidentFeatures> = c.incidents.iter().map(IncidentFeatures::new).collect();
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
        let (ix, iy) = (&c.incidents[p.a as usize], &c.incidents[p.b as usize]);
        let line = serde_json::json!({
            "a": p.a, "b": p.b,
            "ag": [agencies[&x.agency], agencies[&y.agency]],
            "y": truth.contains(&key),
            "d": match (x.point, y.point) { (Some(a), Some(b)) => Some(a.distance_m(&b)), _ => None },
            "r": [x.radius_m, y.radius_m],
            "t": [x.start, x.end, y.start, y.end],
            "coarse": [x.coarse_time, y.coarse_time],
            "prec": [format!("{:?}", ix.occurred.precision), format!("{:?}", iy.occurred.precision)],
            "lang": [ix.narratives.first().map(|n| n.lang.clone()), iy.narratives.first().map(|n| n.lang.clone())],
            "w": [x.words.len(), y.words.len()],
            "units": [!ix.perpetrators_text.is_empty() || !ix.perpetrator_units.is_empty(), !iy.perpetrators_text.is_empty() || !iy.perpetrator_units.is_empty()],
            "ut": [&ix.perpetrators_text, &iy.perpetrators_text],
            "s": sig.iter().map(|s| (s.level.code(), s.detail)).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}").expect("write");
    }
}
