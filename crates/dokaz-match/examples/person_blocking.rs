//! Development aid: what the person blocking keys cost and what they find on a labelled
//! corpus — candidate pairs, true pairs among them (blocking recall), and true pairs that
//! would match (score at least the threshold when compared) but are never candidates — with
//! the keys each tag probes, so that a change of keys can be judged before it is made.
//!
//! `cargo run --release -p dokaz-match --example person_blocking -- DIR [WEIGHTS.toml]`

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use dokaz_demo::LinkedPair;
use dokaz_match::block::BlockIndex;
use dokaz_match::eval::true_pairs;
use dokaz_match::keys::{KeyBuf, Keyer};
use dokaz_match::person::{score_at_least, PersonFeatures};
use dokaz_match::weights::Weights;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = Instant::now();
    let c = dokaz_demo::read_labelled(Path::new(&args[0])).expect("corpus");
    let w = match args.get(1) {
        Some(p) => {
            let text = std::fs::read_to_string(p).expect("weights");
            Weights::from_file(&toml::from_str(&text).expect("a weights file")).expect("weights")
        }
        None => Weights::default(),
    };
    let read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut f: Vec<PersonFeatures> = c.persons.iter().map(PersonFeatures::new).collect();
    dokaz_match::person::set_rarity(&mut f);
    let features = t.elapsed().as_secs_f64();
    let pos: HashMap<_, _> = f
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u32))
        .collect();
    let links: Vec<(u32, u32)> = c
        .links
        .iter()
        .filter_map(|l| match l.pair {
            LinkedPair::Person { a, b } => Some((pos[&a], pos[&b])),
            _ => None,
        })
        .collect();
    let truth = true_pairs(&links, |&x| f[x as usize].agency);
    let threshold = w.threshold.person;
    let matchable: HashSet<(u32, u32)> = truth
        .iter()
        .copied()
        .filter(|&(a, b)| score_at_least(&f[a as usize], &f[b as usize], &w, threshold).is_some())
        .collect();
    println!(
        "{} persons, read {read:.1} s, features {features:.1} s; {} true pairs, {} of them score >= {threshold:.2}",
        f.len(),
        truth.len(),
        matchable.len()
    );
    let keyer = Keyer::Plain;
    let mut buf = KeyBuf::default();
    let (mut filed, mut probes) = (Vec::new(), Vec::new());
    let t = Instant::now();
    let mut index = BlockIndex::default();
    let mut all_probes: Vec<Vec<u64>> = Vec::with_capacity(f.len());
    for (i, r) in f.iter().enumerate() {
        r.filed_keys(&keyer, &mut buf, &mut filed);
        r.probe_keys(&keyer, &mut buf, &mut probes);
        index.insert(i as u32, &filed);
        all_probes.push(probes.clone());
    }
    let keys_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (mut cand, mut true_c, mut match_c, mut scored, mut found) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut out = Vec::new();
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    for (i, r) in f.iter().enumerate() {
        let i = i as u32;
        index.candidates(
            &all_probes[i as usize],
            i,
            |j| f[j as usize].agency != r.agency,
            &mut out,
        );
        cand += out.len() as u64;
        for &j in &out {
            let p = (j.min(i), j.max(i));
            if score_at_least(&f[j as usize], r, &w, threshold).is_some() {
                found += 1;
            }
            scored += 1;
            if truth.contains(&p) || truth.contains(&(p.1, p.0)) {
                true_c += 1;
                covered.insert(p);
                if matchable.contains(&p) || matchable.contains(&(p.1, p.0)) {
                    match_c += 1;
                }
            }
        }
    }
    let cmp_s = t.elapsed().as_secs_f64();
    println!(
        "keys {keys_s:.1} s, candidates and scoring {cmp_s:.1} s; candidates {cand}, above threshold {found} (scored {scored})"
    );
    println!(
        "blocking recall {:.4} ({true_c} of {}), of the pairs that would match {:.4} ({match_c} of {})",
        true_c as f64 / truth.len() as f64,
        truth.len(),
        match_c as f64 / matchable.len() as f64,
        matchable.len()
    );
    // Missed pairs that would match: a few, to see what they look like.
    let mut missed: Vec<_> = matchable
        .iter()
        .filter(|p| !covered.contains(p) && !covered.contains(&(p.1, p.0)))
        .collect();
    missed.sort();
    for &&(a, b) in missed
        .iter()
        .take(std::env::var("SHOW").map_or(0, |s| s.parse().unwrap()))
    {
        let (x, y) = (&c.persons[a as usize], &c.persons[b as usize]);
        println!(
            "  missed: {:?} {:?} | {:?} {:?}",
            x.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(),
            x.birth_date.map(|d| d.to_string()),
            y.names.iter().map(|n| n.full.as_str()).collect::<Vec<_>>(),
            y.birth_date.map(|d| d.to_string()),
        );
    }
}
