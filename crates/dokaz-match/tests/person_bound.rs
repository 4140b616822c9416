//! The batch's early exit for persons (`person::score_at_least`) decides every candidate pair
//! as the full comparison does, and the order a batch is matched in changes no pair: on a
//! generated corpus, the same pairs with the same scores.

use dokaz_demo::LabelledSpec;
use dokaz_match::batch::permute;
use dokaz_match::engine::{pairs, Comparable, PersonKeySource, Run};
use dokaz_match::keys::Keyer;
use dokaz_match::person::{matching_order, set_rarity, PersonFeatures};
use dokaz_match::signal::Sink;
use dokaz_match::weights::Weights;
use dokaz_model::AgencyId;

/// A person compared in full every time (the trait's default `score_at_least`).
struct Full(PersonFeatures);

impl Comparable for Full {
    fn agency(&self) -> AgencyId {
        self.0.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        self.0.compare(&other.0, sink)
    }
}

/// The persons of a generated corpus, as a batch prepares them.
fn generated(name: &str) -> Vec<PersonFeatures> {
    let dir = std::env::temp_dir().join(format!("dokaz-{name}-{}", std::process::id()));
    let spec = LabelledSpec {
        seed: 5,
        incidents: 0,
        persons: 4_000,
        units: 0,
        ..LabelledSpec::default()
    };
    dokaz_demo::write_labelled(&spec, &dir, |_| {}).unwrap();
    let corpus = dokaz_demo::read_labelled(&dir).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut features: Vec<PersonFeatures> =
        corpus.persons.iter().map(PersonFeatures::new).collect();
    set_rarity(&mut features);
    features
}

#[test]
fn the_early_exit_keeps_every_pair_and_score() {
    let features = generated("person-bound");
    let full: Vec<Full> = features.iter().cloned().map(Full).collect();
    let keyer = Keyer::Plain;
    let keys = PersonKeySource {
        features: &features,
        keyer: &keyer,
    };
    let weights = Weights::default();
    let run = Run {
        weights: &weights,
        threads: 2,
        progress: &|_| {},
    };
    for threshold in [weights.threshold.person, 0.0, 5.0, 15.0] {
        let (fast, fast_stats) = pairs(&features, &keys, threshold, &run);
        let (slow, slow_stats) = pairs(&full, &keys, threshold, &run);
        assert!(!slow.is_empty(), "threshold {threshold}");
        assert_eq!(fast_stats, slow_stats);
        assert_eq!(fast, slow, "threshold {threshold}");
    }
}

#[test]
fn the_matching_order_changes_no_pair() {
    let loaded = generated("person-order");
    let mut arranged = loaded.clone();
    let order = matching_order(&arranged, 2);
    permute(&mut arranged, order);
    let years = |f: &[PersonFeatures]| -> Vec<i32> {
        f.iter()
            .map(|p| p.birth.map_or(i32::MAX, |b| b.year))
            .collect()
    };
    assert!(years(&arranged).is_sorted());
    assert!(!years(&loaded).is_sorted());
    let weights = Weights::default();
    let run = Run {
        weights: &weights,
        threads: 2,
        progress: &|_| {},
    };
    // The pairs as (lower id, higher id, score), whatever the positions.
    let matched = |f: &[PersonFeatures]| {
        let keys = PersonKeySource {
            features: f,
            keyer: &Keyer::Plain,
        };
        let (found, stats) = pairs(f, &keys, 0.0, &run);
        let mut ids: Vec<_> = found
            .iter()
            .map(|p| {
                let (a, b) = (f[p.a as usize].id, f[p.b as usize].id);
                (a.min(b), a.max(b), p.score.to_bits())
            })
            .collect();
        ids.sort_unstable();
        (ids, stats)
    };
    let (before, before_stats) = matched(&loaded);
    let (after, after_stats) = matched(&arranged);
    assert!(before.len() > 100, "{} pairs", before.len());
    assert_eq!(before_stats, after_stats);
    assert_eq!(before, after);
}
