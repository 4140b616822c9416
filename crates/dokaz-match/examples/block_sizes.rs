//! Development aid: how big the incident blocks a new record probes are, how many candidates
//! it gets, and how many true links survive a cap on block size and a bound on candidates
//! ranked by shared keys — what the incremental path's limits are chosen from.
//!
//! `cargo run --release -p dokaz-match --example block_sizes -- DIR [STORED] [PROBES]`
//! (the corpus is written to DIR if it holds none; `RANK=idf` ranks candidates by the sum of
//! 1/block size of the keys they share instead of their number).

use std::collections::{HashMap, HashSet};

use dokaz_demo::{LabelledSpec, LinkedPair};
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::incident_keys::IncidentKeys;
use dokaz_match::keys::Keyer;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("a corpus directory"));
    let args: Vec<usize> = std::env::args()
        .skip(2)
        .filter_map(|a| a.parse().ok())
        .collect();
    let stored = args.first().copied().unwrap_or(200_000);
    let probes = args.get(1).copied().unwrap_or(500);
    let spec = LabelledSpec {
        incidents: stored + probes,
        persons: 0,
        units: 0,
        ..LabelledSpec::default()
    };
    if !dir.join("manifest.json").exists() {
        dokaz_demo::write_labelled(&spec, &dir, |_| {}).expect("write corpus");
    }
    let c = dokaz_demo::read_labelled(&dir).expect("read corpus");
    let f: Vec<IncidentFeatures> = c.incidents.iter().map(IncidentFeatures::new).collect();
    let pos: HashMap<_, _> = f.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut truth: HashMap<usize, Vec<usize>> = HashMap::new();
    for l in &c.links {
        if let LinkedPair::Incident { a, b } = l.pair {
            let (a, b) = (pos[&a], pos[&b]);
            truth.entry(a).or_default().push(b);
            truth.entry(b).or_default().push(a);
        }
    }
    let rarity = std::env::var("RANK").is_ok_and(|r| r == "idf");
    let keyer = Keyer::keyed(&[42; 32]);
    let mut ks = IncidentKeys::default();
    let mut buf = Vec::new();
    let mut blocks: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, r) in f.iter().enumerate().take(stored) {
        ks.filed(r, &keyer, &mut buf);
        for &k in &buf {
            blocks.entry(k).or_default().push(i as u32);
        }
    }
    let caps = [usize::MAX, dokaz_match::block::MAX_BLOCK, 1_000];
    let bounds = [usize::MAX, 2_000, 1_000, 500, 250, 100];
    // Per (cap, bound): true links kept, candidates kept.
    let mut kept = vec![vec![(0usize, 0usize); bounds.len()]; caps.len()];
    // Candidates per probe with no limit, and the largest block each probe meets.
    let (mut all, mut largest) = (Vec::new(), Vec::new());
    let mut links = 0;
    let mut probe_keys = Vec::new();
    for p in stored..stored + probes {
        let r = &f[p];
        ks.probes(r, &keyer, &mut buf);
        probe_keys.push(buf.len());
        let wanted: HashSet<usize> = truth
            .get(&p)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&o| o < stored && r.may_match(&f[o]))
            .collect();
        links += wanted.len();
        for (ci, &cap) in caps.iter().enumerate() {
            let mut shared: HashMap<u32, u32> = HashMap::new();
            for k in &buf {
                if let Some(b) = blocks.get(k).filter(|b| b.len() <= cap) {
                    for &o in b {
                        if f[o as usize].agency != r.agency {
                            // RANK=idf: a key weighs 1/size of its block (in millionths).
                            let w = if rarity {
                                1_000_000 / b.len() as u32
                            } else {
                                1
                            };
                            *shared.entry(o).or_default() += w;
                        }
                    }
                }
            }
            if cap == usize::MAX {
                all.push(shared.len());
                largest.push(
                    buf.iter()
                        .filter_map(|k| blocks.get(k).map(Vec::len))
                        .max()
                        .unwrap_or(0),
                );
            }
            let mut ranked: Vec<(u32, u32)> = shared.into_iter().collect();
            ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (bi, &bound) in bounds.iter().enumerate() {
                let got = &ranked[..ranked.len().min(bound)];
                let hits = got
                    .iter()
                    .filter(|(o, _)| wanted.contains(&(*o as usize)))
                    .count();
                kept[ci][bi].0 += hits;
                kept[ci][bi].1 += got.len();
            }
        }
    }
    probe_keys.sort_unstable();
    all.sort_unstable();
    largest.sort_unstable();
    let mut sizes: Vec<usize> = blocks.values().map(Vec::len).collect();
    sizes.sort_unstable();
    let q = |v: &[usize], p: f64| v[((v.len() - 1) as f64 * p) as usize];
    println!(
        "{stored} stored, {probes} probes, {links} true links that may match; probe keys \
         median {} p95 {} max {}; blocks {} sizes median {} p99 {} max {}",
        q(&probe_keys, 0.5),
        q(&probe_keys, 0.95),
        probe_keys[probe_keys.len() - 1],
        sizes.len(),
        q(&sizes, 0.5),
        q(&sizes, 0.99),
        sizes[sizes.len() - 1]
    );
    println!(
        "candidates per probe median {} p95 {} p99 {} max {}; largest block met median {} p95 {} max {}",
        q(&all, 0.5),
        q(&all, 0.95),
        q(&all, 0.99),
        all[all.len() - 1],
        q(&largest, 0.5),
        q(&largest, 0.95),
        largest[largest.len() - 1]
    );
    for (ci, cap) in caps.iter().enumerate() {
        for (bi, bound) in bounds.iter().enumerate() {
            let (hits, cands) = kept[ci][bi];
            println!(
                "cap {cap:>20} bound {bound:>20}: links kept {hits}/{links}, mean candidates {:.0}",
                cands as f64 / probes as f64
            );
        }
    }
}
