//! A unit as keyed tokens: its unit numbers, and each designation's ordinal and words.
//! Compared, it yields the same levels as [`UnitFeatures::compare`].

use dokaz_model::{AgencyId, UnitId};

use crate::keys::{KeyBuf, Keyer};
use crate::signal::Sink;
use crate::unit::UnitFeatures;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlindUnit {
    pub id: UnitId,
    pub agency: AgencyId,
    numbers: Vec<u64>,
    /// (ordinal token, sorted word tokens) per designation.
    designations: Vec<(u64, Vec<u64>)>,
}

impl BlindUnit {
    pub fn encode(f: &UnitFeatures, keyer: &Keyer) -> Self {
        let mut buf = KeyBuf::default();
        let mut numbers: Vec<u64> = f
            .numbers
            .iter()
            .map(|n| buf.start("bu-num").str(n).finish(keyer))
            .collect();
        numbers.sort_unstable();
        let designations = f
            .designations
            .iter()
            .map(|(ordinal, words)| {
                let mut words: Vec<u64> = words
                    .iter()
                    .map(|w| buf.start("bu-word").str(w).finish(keyer))
                    .collect();
                words.sort_unstable();
                words.dedup();
                (
                    buf.start("bu-ord").int((*ordinal).into()).finish(keyer),
                    words,
                )
            })
            .collect();
        Self {
            id: f.id,
            agency: f.agency,
            numbers,
            designations,
        }
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        crate::unit::compare_units(
            &self.numbers,
            &o.numbers,
            &self.designations,
            &o.designations,
            sink,
        );
    }
}
