//! A person as keyed encodings: name parts as Bloom filters of bigrams, birth date, sex and
//! origin as keyed tokens. Compared, it yields the same levels as [`PersonFeatures::compare`].

use dokaz_model::{AgencyId, PersonId, Sex};

use super::bloom::Bloom;
use crate::keys::{KeyBuf, Keyer};
use crate::person::{push_name_level, Part, PersonFeatures, ALIKE_BANDS};
use crate::signal::{Detail, Sink};
use crate::weights::Level;

/// Dice coefficients of bigram encodings at or above which parts are the same, or close.
/// Identical strings give 1.0; a one-letter typo in a 9-letter name about 0.8.
const SAME: f64 = 0.97;
const CLOSE: f64 = 0.72;
/// The Dice coefficients standing for the similarity bands of [`ALIKE_BANDS`] below
/// `CLOSE`: bigram overlap falls faster than Jaro–Winkler as letters differ.
const ALIKE: [f64; 3] = [0.66, 0.6, 0.54];

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlindName {
    family: Option<Bloom>,
    given: Option<Bloom>,
    patronymic: Option<Bloom>,
}

/// Tokens of a birth date at each precision it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
struct BirthTokens {
    year: u64,
    year_before: u64,
    year_after: u64,
    month: Option<u64>,
    /// Month and day without the year, to tell "a year off" from "another date".
    month_day: Option<u64>,
    day: Option<u64>,
    /// The date with day and month swapped, when both are known.
    swapped: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlindPerson {
    pub id: PersonId,
    pub agency: AgencyId,
    names: Vec<BlindName>,
    birth: Option<BirthTokens>,
    sex: Option<u64>,
    origin: Option<u64>,
    /// Name rarities: no more than the operator learns anyway by counting equal tokens.
    family_rarity: f32,
    given_rarity: f32,
}

impl BlindPerson {
    /// Encodes a person under the deployment's key; the result reveals no field to anyone
    /// without the key.
    pub fn encode(f: &PersonFeatures, keyer: &Keyer) -> Self {
        let mut buf = KeyBuf::default();
        let names = f
            .names
            .iter()
            .map(|n| {
                let enc = |s: &str| (!s.is_empty()).then(|| Bloom::of_bigrams(keyer, "n", s));
                BlindName {
                    family: enc(&n.family),
                    given: enc(&n.given),
                    patronymic: enc(&n.patronymic),
                }
            })
            .collect();
        let birth = f.birth.map(|b| {
            let y = i64::from(b.year);
            let ymd = |buf: &mut KeyBuf, y: i64, m: u32, d: u32| {
                buf.start("b-d")
                    .int(y)
                    .int(m.into())
                    .int(d.into())
                    .finish(keyer)
            };
            BirthTokens {
                year: buf.start("b-y").int(y).finish(keyer),
                year_before: buf.start("b-y").int(y - 1).finish(keyer),
                year_after: buf.start("b-y").int(y + 1).finish(keyer),
                month: b
                    .month
                    .map(|m| buf.start("b-m").int(y).int(m.into()).finish(keyer)),
                month_day: b
                    .month
                    .zip(b.day)
                    .map(|(m, d)| buf.start("b-md").int(m.into()).int(d.into()).finish(keyer)),
                day: b.month.zip(b.day).map(|(m, d)| ymd(&mut buf, y, m, d)),
                swapped: b
                    .month
                    .zip(b.day)
                    .filter(|&(_, d)| d <= 12)
                    .map(|(m, d)| ymd(&mut buf, y, d, m)),
            }
        });
        let sex = match f.sex {
            Sex::Unknown => None,
            s => Some(buf.start("sex").int(s as i64).finish(keyer)),
        };
        let origin = (!f.origin.is_empty()).then(|| buf.start("o").str(&f.origin).finish(keyer));
        Self {
            id: f.id,
            agency: f.agency,
            names,
            birth,
            sex,
            origin,
            family_rarity: f.family_rarity,
            given_rarity: f.given_rarity,
        }
    }

    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        // A rank: 8 same, 4 close, 0 when either side lacks the part, -1 to -3 the alike bands
        // from the top, -4 different. Summed over the parts, it picks the best pairing of the
        // names (straight or swapped), as the open comparison's weighted mean does.
        let part = |a: &Option<Bloom>, b: &Option<Bloom>| -> i8 {
            let (Some(a), Some(b)) = (a, b) else { return 0 };
            let d = a.dice(b);
            if d >= SAME {
                8
            } else if d >= CLOSE {
                4
            } else {
                ALIKE
                    .iter()
                    .position(|&floor| d >= floor)
                    .map_or(-4, |band| -1 - band as i8)
            }
        };
        let mut best: Option<[i8; 3]> = None;
        for a in &self.names {
            for b in &o.names {
                for (bf, bg) in [(&b.family, &b.given), (&b.given, &b.family)] {
                    let r = [
                        part(&a.family, bf),
                        part(&a.given, bg),
                        part(&a.patronymic, &b.patronymic),
                    ];
                    let rank = |x: &[i8; 3]| x.iter().map(|&v| i32::from(v)).sum::<i32>();
                    if best.is_none_or(|b| rank(&r) > rank(&b)) {
                        best = Some(r);
                    }
                }
            }
        }
        if let Some([f, g, p]) = best {
            for (x, part) in [(f, Part::Family), (g, Part::Given), (p, Part::Patronymic)] {
                let level = match x {
                    8 => part.same(),
                    4 => part.close(),
                    0 => continue,
                    -3..=-1 => {
                        let (_, family, given) = ALIKE_BANDS[(-1 - x) as usize];
                        part.band(family, given).unwrap_or(part.differ())
                    }
                    _ => part.differ(),
                };
                push_name_level(
                    sink,
                    level,
                    (self.family_rarity, self.given_rarity),
                    (o.family_rarity, o.given_rarity),
                );
            }
        }
        if let (Some(a), Some(b)) = (&self.birth, &o.birth) {
            sink.push(compare_birth(a, b), Detail::None);
        }
        if let (Some(a), Some(b)) = (self.sex, o.sex) {
            sink.push(
                if a == b {
                    Level::SexSame
                } else {
                    Level::SexDiffer
                },
                Detail::None,
            );
        }
        if let (Some(a), Some(b)) = (self.origin, o.origin) {
            sink.push(
                if a == b {
                    Level::OriginSame
                } else {
                    Level::OriginDiffer
                },
                Detail::None,
            );
        }
    }
}

/// The blind counterpart of [`crate::person::compare_birth`]: equal tokens at the finest
/// precision both sides have. (A one-digit slip is not visible through tokens and counts
/// as different.)
fn compare_birth(a: &BirthTokens, b: &BirthTokens) -> Level {
    let adjacent_years = a.year == b.year_before || a.year == b.year_after;
    match (a.day, b.day) {
        (Some(x), Some(y)) if x == y => Level::BirthSameDay,
        (Some(x), Some(_)) if Some(x) == b.swapped => Level::BirthNearDay,
        (Some(_), Some(_)) if adjacent_years && a.month_day == b.month_day => Level::BirthYearOff,
        (Some(_), Some(_)) => Level::BirthDiffer,
        _ => match (a.month, b.month) {
            _ if adjacent_years => Level::BirthYearOff,
            _ if a.year != b.year => Level::BirthDiffer,
            (Some(x), Some(y)) if x == y => Level::BirthSameMonth,
            (Some(_), Some(_)) => Level::BirthDiffer,
            _ => Level::BirthSameYear,
        },
    }
}
