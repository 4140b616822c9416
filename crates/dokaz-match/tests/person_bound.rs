//! The batch's early exit for persons (`person::score_at_least`) decides every candidate pair
//! as the full comparison does: on a generated corpus, the same pairs with the same scores.

use dokaz_demo::LabelledSpec;
use dokaz_match::engine::{pairs, Comparable, PersonKeySource, Run};
use dokaz_match::keys::Keyer;
use dokaz_match::person::{set_rarity, PersonFeatures};
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

#[test]
fn the_early_exit_keeps_every_pair_and_score() {
    let dir = std::env::temp_dir().join(format!("dokaz-person-bound-{}", std::process::id()));
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
