//! Units: the same formation in two agencies' records — by a military unit number ("в/ч
//! 12345") or by its designation ("64 ОМСБр" = "64th Separate Motor Rifle Brigade").

use dokaz_model::{AgencyId, Classification, Unit, UnitId};

use crate::engine::{Comparable, KeySource};
use crate::keys::{KeyBuf, Keyer};
use crate::signal::{Detail, Sink};
use crate::text;
use crate::weights::Level;

/// A designation: the formation's ordinal and the words of its type, folded across scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designation {
    pub ordinal: u32,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitFeatures {
    pub id: UnitId,
    pub agency: AgencyId,
    pub classification: Classification,
    /// Military unit numbers (4 to 6 digits), from numbers and names.
    pub numbers: Vec<String>,
    pub designations: Vec<Designation>,
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
                Some(Designation { ordinal, words })
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
        for d in &self.designations {
            out.push(buf.start("u-ord").int(d.ordinal.into()).finish(keyer));
        }
        out.sort_unstable();
        out.dedup();
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        if !self.numbers.is_empty() && !o.numbers.is_empty() {
            let shared = crate::incident::count_common(&self.numbers, &o.numbers);
            if shared > 0 {
                sink.push(Level::UnitNumberSame, Detail::Count(shared));
            } else {
                sink.push(Level::UnitNumberDiffer, Detail::None);
            }
        }
        let mut best: Option<Level> = None;
        for a in &self.designations {
            for b in &o.designations {
                let level = if a.ordinal != b.ordinal {
                    Level::UnitDesignationDiffer
                } else if crate::tokens::jaccard(&a.words, &b.words) >= 0.5 {
                    Level::UnitDesignationSame
                } else {
                    Level::UnitDesignationClose
                };
                let rank = |l: Level| match l {
                    Level::UnitDesignationSame => 2,
                    Level::UnitDesignationClose => 1,
                    _ => 0,
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
