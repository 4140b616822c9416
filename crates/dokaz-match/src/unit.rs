//! Units: the same formation in two agencies' records — by a military unit number ("в/ч
//! 12345") or by its designation ("64 ОМСБр" = "64th Separate Motor Rifle Brigade").

use dokaz_model::{AgencyId, Classification, Unit, UnitId};

use crate::engine::{Comparable, KeySource};
use crate::keys::{KeyBuf, Keyer};
use crate::signal::{Detail, Sink};
use crate::text;
use crate::weights::Level;

#[derive(Debug, Clone, PartialEq)]
pub struct UnitFeatures {
    pub id: UnitId,
    pub agency: AgencyId,
    pub classification: Classification,
    /// Military unit numbers (4 to 6 digits), from numbers and names.
    pub numbers: Vec<String>,
    /// Designations: the formation's ordinal and the words of its type, folded across
    /// scripts and sorted (64, [brigade, motor, rifle, separate]).
    pub designations: Vec<(u32, Vec<String>)>,
}

/// Runs of digits in `s`: 4–6 digits are unit numbers, 1–3 an ordinal.
fn digit_runs(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
}

impl UnitFeatures {
    pub fn new(u: &Unit) -> Self {
        let mut numbers: Vec<String> = u
            .numbers
            .iter()
            .chain(&u.names)
            .flat_map(|s| digit_runs(s))
            .filter(|r| (4..=6).contains(&r.len()))
            .map(str::to_owned)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let designations = u
            .names
            .iter()
            .filter_map(|n| {
                let ordinal = digit_runs(n).find(|r| r.len() <= 3)?.parse().ok()?;
                let mut words: Vec<String> = text::latin_key(n)
                    .split(' ')
                    .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_owned)
                    .collect();
                words.sort_unstable();
                words.dedup();
                Some((ordinal, words))
            })
            .collect();
        Self {
            id: u.id,
            agency: u.agency,
            classification: u.classification,
            numbers,
            designations,
        }
    }

    /// Filed and probed alike: each unit number, and each designation's ordinal.
    pub fn keys(&self, keyer: &Keyer, buf: &mut KeyBuf, out: &mut Vec<u64>) {
        out.clear();
        for n in &self.numbers {
            out.push(buf.start("u-num").str(n).finish(keyer));
        }
        for (ordinal, _) in &self.designations {
            out.push(buf.start("u-ord").int((*ordinal).into()).finish(keyer));
        }
        out.sort_unstable();
        out.dedup();
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        compare_units(
            &self.numbers,
            &o.numbers,
            &self.designations,
            &o.designations,
            sink,
        );
    }
}

/// Units compared by their numbers (sorted) and designations (ordinal, sorted words): the
/// same rule for open values and for blind tokens.
pub(crate) fn compare_units<N: Ord, O: PartialEq, W: Ord>(
    numbers: &[N],
    other_numbers: &[N],
    designations: &[(O, Vec<W>)],
    other_designations: &[(O, Vec<W>)],
    sink: &mut impl Sink,
) {
    if !numbers.is_empty() && !other_numbers.is_empty() {
        let shared = crate::incident::count_common(numbers, other_numbers);
        if shared > 0 {
            sink.push(Level::UnitNumberSame, Detail::Count(shared));
        } else {
            sink.push(Level::UnitNumberDiffer, Detail::None);
        }
    }
    let rank = |l: Level| match l {
        Level::UnitDesignationSame => 2,
        Level::UnitDesignationClose => 1,
        _ => 0,
    };
    let mut best: Option<Level> = None;
    for (oa, wa) in designations {
        for (ob, wb) in other_designations {
            let level = if oa != ob {
                Level::UnitDesignationDiffer
            } else if crate::tokens::jaccard(wa, wb) >= 0.5 {
                Level::UnitDesignationSame
            } else {
                Level::UnitDesignationClose
            };
            if best.is_none_or(|b| rank(level) > rank(b)) {
                best = Some(level);
            }
        }
    }
    if let Some(level) = best {
        sink.push(level, Detail::None);
    }
}

impl Comparable for UnitFeatures {
    fn agency(&self) -> AgencyId {
        self.agency
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        UnitFeatures::compare(self, other, sink)
    }
}

#[derive(Debug)]
pub struct UnitKeySource<'a> {
    pub features: &'a [UnitFeatures],
    pub keyer: &'a Keyer,
}

impl KeySource for UnitKeySource<'_> {
    type Scratch = KeyBuf;
    fn filed(&self, s: &mut KeyBuf, i: u32, out: &mut Vec<u64>) {
        self.features[i as usize].keys(self.keyer, s, out)
    }
    fn probes(&self, s: &mut KeyBuf, i: u32, out: &mut Vec<u64>) {
        self.features[i as usize].keys(self.keyer, s, out)
    }
}
