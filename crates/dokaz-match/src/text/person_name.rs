//! A person's name as matching keys, split into family, given and patronymic names however
//! the source wrote it ("Коваленко Олена Петрівна", "Olena Kovalenko", "KOVALENKO Olena"),
//! and the comparison of two such names part by part, so that the engine can say why they
//! match ("same surname across scripts, given name is a diminutive").

use dokaz_model::{PersonName, Sex};

use super::given::{
    canonical_given_by_key, given_readings_by_key, given_sex_by_key, relate_readings, GivenReading,
    GivenRelation,
};
use super::key::latin_key;
use super::similarity::{key_similarity, token_similarity, token_similarity_bound, Letters};

mod parse;
mod patronymic;

pub use patronymic::patronymic_father;

/// A name as matching keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameKey {
    /// Surname keys, one per part of a double surname (Римський-Корсаков → rimski, korsakov).
    pub family: Vec<String>,
    /// Given names: the canonical id where the table knows the name with one reading
    /// (Олександр, Alexander → `oleksandr`), else the key (Саша → `saxa`, which reads as
    /// Олександр or Олександра).
    pub given: Vec<String>,
    /// The given names' keys as written, to tell a variant from a diminutive.
    pub given_written: Vec<String>,
    pub patronymic: Option<String>,
}

impl NameKey {
    /// The keys of a [`PersonName`]: its structured parts where any is filled, else its
    /// `full` text parsed for order (see [`NameKey::parse`]).
    pub fn from_person_name(name: &PersonName) -> Self {
        if name.family.trim().is_empty() && name.given.trim().is_empty() {
            return Self::parse(&name.full);
        }
        let patronymic = latin_key(&name.patronymic);
        let mut key = NameKey {
            family: split_keys(&name.family),
            patronymic: (!patronymic.is_empty()).then_some(patronymic),
            ..NameKey::default()
        };
        key.set_given(split_keys(&name.given));
        key.fill_from(&name.full);
        key
    }

    /// Fills the parts the structured fields left empty from the full text, when it holds
    /// more (family "Коваленко", full "Коваленко Олена Петрівна"): the full text's words
    /// that are not already a known part.
    fn fill_from(&mut self, full: &str) {
        if full.trim().is_empty()
            || (!self.family.is_empty() && !self.given.is_empty() && self.patronymic.is_some())
        {
            return;
        }
        let known: Vec<String> = self
            .family
            .iter()
            .chain(&self.given_written)
            .cloned()
            .collect();
        let mut parsed = Self::parse(full);
        // Read again without the known words, so that their position cannot mislead.
        let unknown_words: Vec<&str> = full
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|w| !known.contains(&latin_key(w)))
            .collect();
        if unknown_words.len() < full.split_whitespace().count() {
            parsed = Self::parse(&unknown_words.join(" "));
            if self.given.is_empty() && parsed.given.is_empty() && !self.family.is_empty() {
                // The one word left beside a known surname is the given name.
                std::mem::swap(&mut parsed.given_written, &mut parsed.family);
                let written = std::mem::take(&mut parsed.given_written);
                parsed.set_given(written);
            }
        }
        if self.family.is_empty() {
            self.family = parsed
                .family
                .into_iter()
                .filter(|f| !known.contains(f))
                .collect();
        }
        if self.given.is_empty() {
            let written = parsed
                .given_written
                .into_iter()
                .filter(|g| !known.contains(g))
                .collect();
            self.set_given(written);
        }
        if self.patronymic.is_none() {
            self.patronymic = parsed.patronymic;
        }
    }

    /// Parses a whole name written in any order. The order is read from, strongest first:
    /// a patronymic (-ович, -івна, -овна, -ovych, -ivna …), which follows the given name;
    /// a surname in capitals (KOVALENKO Olena); names the given-name table knows; surname
    /// endings (-енко, -чук, -ський, -ов, -ова …). With nothing to go on, Cyrillic names are
    /// read surname first (the official Ukrainian and Russian order) and Latin ones surname
    /// last.
    pub fn parse(full: &str) -> Self {
        parse::parse(full)
    }

    /// The surname as one key (double surnames joined by a space).
    pub fn family_key(&self) -> String {
        self.family.join(" ")
    }

    /// The given names as one text of canonical ids or keys, space-separated.
    pub fn given_key(&self) -> String {
        self.given.join(" ")
    }

    /// The person's sex as the name tells it: the patronymic's ending (-івна, -овна: female;
    /// -ович, -евич: male), else the given names when the table gives them one sex.
    pub fn sex_hint(&self) -> Sex {
        if let Some(p) = &self.patronymic {
            if ["ivna", "ovna", "evna", "icna"]
                .iter()
                .any(|e| p.ends_with(e))
            {
                return Sex::Female;
            }
            if ["ovic", "evic"].iter().any(|e| p.ends_with(e)) {
                return Sex::Male;
            }
        }
        let mut sexes = self.given.iter().map(|g| given_sex_by_key(g));
        match sexes.next() {
            Some(first) if sexes.all(|s| s == first) => first,
            _ => Sex::Unknown,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.family.is_empty() && self.given.is_empty() && self.patronymic.is_none()
    }

    fn set_given(&mut self, written: Vec<String>) {
        self.given = written
            .iter()
            .map(|k| canonical_if_unambiguous(k).unwrap_or(k).to_owned())
            .collect();
        self.given_written = written;
    }
}

fn canonical_if_unambiguous(key: &str) -> Option<&'static str> {
    let readings = given_readings_by_key(key);
    let first = readings.first()?.id;
    readings
        .iter()
        .all(|r| r.id == first)
        .then(|| canonical_given_by_key(key))
        .flatten()
}

fn split_keys(s: &str) -> Vec<String> {
    latin_key(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How two names compare, part by part. A part is `None` when either side lacks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameComparison {
    pub family: Option<f64>,
    pub given: Option<f64>,
    /// How the best-matching given names relate (same, variant, diminutive, initial,
    /// unrelated).
    pub given_relation: Option<GivenRelation>,
    pub patronymic: Option<f64>,
    /// One side's surname was compared with the other's given name (an order the parser or
    /// the data entry got wrong); the scores are those of the swapped reading.
    pub swapped: bool,
    /// The parts' weighted mean (family 0.5, given 0.35, patronymic 0.15, over the parts both
    /// sides have); 0 when they share no part.
    pub score: f64,
}

/// A variant of a given name (Олена/Елена) scores as the same name; a diminutive (Саша for
/// Олександр) a little less, since it may be of either sex and of more than one name.
pub const DIMINUTIVE_SCORE: f64 = 0.95;

/// An initial agreeing with a full name (О. and Олена) is likely, not certain.
pub const INITIAL_SCORE: f64 = 0.9;

/// Whether `initial` is a one-letter key that `name` starts with.
fn is_initial_of(initial: &str, name: &str) -> bool {
    initial.len() == 1 && name.len() > 1 && name.starts_with(initial)
}

/// How much better a swapped reading of a name must score than the straight one to be taken.
const SWAP_MARGIN: f64 = 0.05;

/// What comparing a name needs besides its keys, looked up in the given-name table once per
/// record rather than once per compared pair (the lookups hash strings; a record is compared
/// with hundreds of others).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameFacts {
    /// Readings of each given name as written and of its canonical id.
    given_written: Vec<&'static [GivenReading]>,
    given: Vec<&'static [GivenReading]>,
    /// Readings of each surname key, for a reading with the order swapped.
    family: Vec<&'static [GivenReading]>,
    /// The father's name in the patronymic, when the table knows it.
    father: Option<&'static str>,
}

impl NameFacts {
    pub fn of(key: &NameKey) -> Self {
        let readings = |keys: &[String]| -> Vec<&'static [GivenReading]> {
            keys.iter().map(|k| given_readings_by_key(k)).collect()
        };
        Self {
            given_written: readings(&key.given_written),
            given: readings(&key.given),
            family: readings(&key.family),
            father: key.patronymic.as_deref().and_then(patronymic_father),
        }
    }
}

/// Compares two names, tolerating a swapped order, a missing patronymic, a diminutive and a
/// typo.
pub fn compare_name_keys(a: &NameKey, b: &NameKey) -> NameComparison {
    compare_names((a, &NameFacts::of(a)), (b, &NameFacts::of(b)))
}

/// [`compare_name_keys`] with each name's [`NameFacts`] computed beforehand.
pub fn compare_names(a: (&NameKey, &NameFacts), b: (&NameKey, &NameFacts)) -> NameComparison {
    let straight = compare_parts(a, b, false);
    let (ka, kb) = (a.0, b.0);
    if ka.family.is_empty() || kb.family.is_empty() || ka.given.is_empty() || kb.given.is_empty() {
        return straight;
    }
    // A swapped reading scores at most 1, so it cannot beat a straight one this good.
    if straight.score + SWAP_MARGIN >= 1.0 {
        return straight;
    }
    if !swap_could_win(a, b, &straight) {
        return straight;
    }
    let swapped = compare_parts(a, b, true);
    // A swapped reading must be clearly better: names that match either way read straight.
    if swapped.score > straight.score + SWAP_MARGIN {
        swapped
    } else {
        straight
    }
}

fn compare_parts(
    (a, fa): (&NameKey, &NameFacts),
    (b, fb): (&NameKey, &NameFacts),
    swap: bool,
) -> NameComparison {
    // Swapped, the other's given names are read as its surname and its surname as given
    // names (as written: a surname has no canonical form).
    let (b_family, b_given) = if swap {
        (
            &b.given_written,
            Given {
                keys: &b.family,
                written: &b.family,
                readings: &fb.family,
                written_readings: &fb.family,
            },
        )
    } else {
        (
            &b.family,
            Given {
                keys: &b.given,
                written: &b.given_written,
                readings: &fb.given,
                written_readings: &fb.given_written,
            },
        )
    };
    let a_given = Given {
        keys: &a.given,
        written: &a.given_written,
        readings: &fa.given,
        written_readings: &fa.given_written,
    };
    let family = both(&a.family, b_family).map(|(x, y)| match (x, y) {
        // The common case, without joining (a comparison is in the innermost loop).
        ([x], [y]) => key_similarity(x, y),
        _ => key_similarity(&x.join(" "), &y.join(" ")),
    });
    let given_pair = both(a_given.keys, b_given.keys).map(|_| best_given(&a_given, &b_given));
    let patronymic = match (&a.patronymic, &b.patronymic) {
        (Some(x), Some(y)) => Some(patronymic_similarity((x, fa.father), (y, fb.father))),
        _ => None,
    };
    let given = given_pair.map(|(s, _)| s);
    NameComparison {
        family,
        given,
        given_relation: given_pair.map(|(_, r)| r),
        patronymic,
        swapped: swap,
        score: name_score(family, given, patronymic),
    }
}

/// A name's similarity from its parts': their mean weighted by how much each tells, over
/// the parts both names have.
fn name_score(family: Option<f64>, given: Option<f64>, patronymic: Option<f64>) -> f64 {
    let parts = [(family, 0.5), (given, 0.35), (patronymic, 0.15)];
    let (sum, weight) = parts
        .iter()
        .filter_map(|(s, w)| s.map(|s| (s * w, *w)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    if weight > 0.0 {
        sum / weight
    } else {
        0.0
    }
}

/// Whether reading `b` the other way round could score clearly better than `straight`, by
/// [`token_similarity_bound`]: most pairs compared are different people of one given name,
/// whose swapped reading was computed for nothing (it was taken for 183 of 971,137 pairs on
/// a generated corpus). Only the common case is bounded — one surname and one given name
/// each, single words, and `b`'s surname not a known given name (whose reading could relate
/// it to `a`'s given name); otherwise the swap is always tried. The bound is computed with
/// [`name_score`] on each part's bound, so rounding cannot put it below the exact score.
/// The letters of a name's surname and given name, for [`NameLetters::family_similarity_bound`]:
/// kept inline in a record so that a candidate pair of different surnames is known to be
/// different before any of its names is read or compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameLetters {
    family: Letters,
    /// Whether the name has given names (a swapped reading is tried only if both have).
    has_given: bool,
    /// Those of the given name as written, when it is one word.
    given: Option<Letters>,
}

impl NameLetters {
    /// `None` unless the surname is one word.
    pub fn of(key: &NameKey) -> Option<Self> {
        Some(Self {
            family: Letters::of(word(&key.family)?)?,
            has_given: !key.given.is_empty(),
            given: word(&key.given_written).and_then(Letters::of),
        })
    }

    /// An upper bound of the surname similarity [`compare_names`] reports for the two names,
    /// whichever reading it takes (see [`Letters::similarity_bound`]); `None` when a swapped
    /// reading may be tried and `o`'s given name is not one word.
    pub fn family_similarity_bound(&self, o: &Self) -> Option<f64> {
        let straight = self.family.similarity_bound(&o.family);
        if !self.has_given || !o.has_given {
            // Only the straight reading is tried.
            return Some(straight);
        }
        Some(straight.max(self.family.similarity_bound(o.given.as_ref()?)))
    }
}

/// The one word of a name part, if it is one word.
fn word(v: &[String]) -> Option<&str> {
    match v {
        [w] if !w.contains(' ') => Some(w),
        _ => None,
    }
}

fn swap_could_win(
    (a, _): (&NameKey, &NameFacts),
    (b, fb): (&NameKey, &NameFacts),
    straight: &NameComparison,
) -> bool {
    let (Some(af), Some(ag), Some(ag_key)) =
        (word(&a.family), word(&a.given_written), word(&a.given))
    else {
        return true;
    };
    let (Some(bf), Some(bg)) = (word(&b.family), word(&b.given_written)) else {
        return true;
    };
    // The swapped given names: the same, an initial, or related by the table score
    // without spelling.
    if fb.family.iter().any(|r| !r.is_empty())
        || ag_key == bf
        || is_initial_of(ag, bf)
        || is_initial_of(bf, ag)
    {
        return true;
    }
    let bound = name_score(
        Some(token_similarity_bound(af, bg)),
        Some(token_similarity_bound(ag, bf)),
        straight.patronymic,
    );
    bound > straight.score + SWAP_MARGIN
}

/// One side's given names with their readings.
struct Given<'a> {
    keys: &'a [String],
    written: &'a [String],
    readings: &'a [&'static [GivenReading]],
    written_readings: &'a [&'static [GivenReading]],
}

impl<'a> Given<'a> {
    /// The `i`th given name: key, as written, and the readings of both.
    fn at(&self, i: usize) -> Reading<'a> {
        (
            self.keys[i].as_str(),
            self.written[i].as_str(),
            self.readings[i],
            self.written_readings[i],
        )
    }
}

type Reading<'a> = (
    &'a str,
    &'a str,
    &'static [GivenReading],
    &'static [GivenReading],
);

/// Patronymics of one father's name score 1 across languages (Петрівна, Петровна), else
/// their spelling similarity. Each comes with its father's name, when known.
fn patronymic_similarity((a, fa): (&str, Option<&str>), (b, fb): (&str, Option<&str>)) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() == 1 || b.len() == 1 {
        return if is_initial_of(a, b) || is_initial_of(b, a) {
            INITIAL_SCORE
        } else {
            0.0
        };
    }
    match (fa, fb) {
        (Some(x), Some(y)) if x == y => 1.0,
        _ => token_similarity(a, b),
    }
}

fn both<'a>(x: &'a [String], y: &'a [String]) -> Option<(&'a [String], &'a [String])> {
    (!x.is_empty() && !y.is_empty()).then_some((x, y))
}

/// The best pairing of one given name of `a` with one of `b` (people use one of two given
/// names, or a diminutive of it).
fn best_given(a: &Given<'_>, b: &Given<'_>) -> (f64, GivenRelation) {
    let mut best = (0.0, GivenRelation::Unrelated);
    for i in 0..a.keys.len().min(a.written.len()) {
        let (ga, wa, ra, rwa) = a.at(i);
        for j in 0..b.keys.len().min(b.written.len()) {
            let (gb, wb, rb, rwb) = b.at(j);
            let written = if wa == wb {
                GivenRelation::Same
            } else {
                relate_readings(rwa, rwb)
            };
            let relation = match written {
                GivenRelation::Unrelated if is_initial_of(wa, wb) || is_initial_of(wb, wa) => {
                    GivenRelation::Initial
                }
                GivenRelation::Unrelated if ga == gb => GivenRelation::Same,
                GivenRelation::Unrelated => relate_readings(ra, rb),
                r => r,
            };
            let score = match relation {
                GivenRelation::Same | GivenRelation::Variant => 1.0,
                GivenRelation::Diminutive => DIMINUTIVE_SCORE,
                GivenRelation::Initial => INITIAL_SCORE,
                GivenRelation::Unrelated if wa.len() == 1 || wb.len() == 1 => 0.0,
                GivenRelation::Unrelated => token_similarity(wa, wb),
            };
            if score > best.0 {
                best = (score, relation);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests;
