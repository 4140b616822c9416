//! Persons: the same human in two agencies' records — names across scripts, spellings,
//! orders and diminutives, birth dates known to different precisions, sex, place of origin.

use dokaz_model::{AgencyId, Classification, PartialDate, Person, PersonId, Sex};

use crate::keys::{KeyBuf, Keyer};
use crate::signal::{Detail, Score, Sink};
use crate::text;
use crate::text::given::GivenRelation;
use crate::text::person_name::{compare_names, NameFacts, NameKey, NameLetters};
use crate::text::Letters;
use crate::weights::{Level, Weights};

/// Which side of blocking a person's keys are for.
#[derive(Debug, Clone, Copy)]
enum Side {
    Filed,
    Probe,
}

/// Jaro–Winkler similarity at or above which two name keys are one name with a typo.
pub const NAME_CLOSE: f64 = 0.92;

/// One way of writing the person's name, as matching keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameParts {
    pub key: NameKey,
    /// The surname as one key (empty when unknown), for blocking and blind encodings.
    pub family: String,
    /// The first given name, canonical where the table knows it (Саша → oleksandr).
    pub given: String,
    pub patronymic: String,
    /// The table's readings of its given names and patronymic, for comparing.
    pub facts: NameFacts,
}

impl NameParts {
    pub fn of(name: &dokaz_model::PersonName) -> Self {
        let key = NameKey::from_person_name(name);
        Self {
            family: key.family_key(),
            given: key.given.first().cloned().unwrap_or_default(),
            patronymic: key.patronymic.clone().unwrap_or_default(),
            facts: NameFacts::of(&key),
            key,
        }
    }
}

/// What matching needs of a person, computed once per record.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFeatures {
    pub id: PersonId,
    pub agency: AgencyId,
    pub classification: Classification,
    pub names: Vec<NameParts>,
    pub birth: Option<PartialDate>,
    pub sex: Sex,
    pub origin: String,
    /// How rare the surname and the given name are among all persons, in bits (`-log2` of
    /// their share); 0 when not known. Set by [`set_rarity`] or from stored key counts.
    pub family_rarity: f32,
    pub given_rarity: f32,
    /// Of a person with one name: its letters, to rule out a pair of different surnames
    /// without reading the names (see [`score_at_least`]).
    pub letters: Option<NameLetters>,
    /// The place of origin's letters, when it is known and ASCII: most candidate pairs come
    /// from different places, which they tell without reading the place.
    pub origin_letters: Option<Letters>,
}

/// Sets every record's name rarities from the records themselves: the share of records
/// carrying each surname key and each given-name key.
pub fn set_rarity(records: &mut [PersonFeatures]) {
    use foldhash::HashMap;
    let n = records.len().max(1) as f64;
    let mut family: HashMap<&str, u32> = HashMap::default();
    let mut given: HashMap<&str, u32> = HashMap::default();
    for r in records.iter() {
        if let Some(name) = r.names.first() {
            *family.entry(&name.family).or_default() += 1;
            *given.entry(&name.given).or_default() += 1;
        }
    }
    let bits = |count: Option<&u32>| count.map_or(0.0, |&c| (n / f64::from(c)).log2() as f32);
    let rarities: Vec<(f32, f32)> = records
        .iter()
        .map(|r| match r.names.first() {
            Some(name) if !name.family.is_empty() => (
                bits(family.get(name.family.as_str())),
                if name.given.is_empty() {
                    0.0
                } else {
                    bits(given.get(name.given.as_str()))
                },
            ),
            _ => (0.0, 0.0),
        })
        .collect();
    for (r, (f, g)) in records.iter_mut().zip(rarities) {
        r.family_rarity = f;
        r.given_rarity = g;
    }
}

/// Reports a name level and, for a shared surname or given name, how rare it is: the
/// smaller of the two records' rarities (surname, given name), when both know it.
pub(crate) fn push_name_level(sink: &mut impl Sink, level: Level, a: (f32, f32), b: (f32, f32)) {
    sink.push(level, Detail::None);
    let (rarity, x, y) = match level {
        Level::FamilySame => (Level::FamilyRarity, a.0, b.0),
        Level::GivenSame => (Level::GivenRarity, a.1, b.1),
        _ => return,
    };
    if x > 0.0 && y > 0.0 {
        sink.push(rarity, Detail::Rarity(x.min(y)));
    }
}

/// A name part's similarity from which it is the same name.
const SAME: f64 = 0.999;

/// The bands of a name part's similarity below "close", highest first, with the surname's and
/// the given name's level for each.
pub(crate) const ALIKE_BANDS: [(f64, Level, Level); 3] = [
    (0.88, Level::FamilySimilar, Level::GivenSimilar),
    (0.84, Level::FamilyAlike, Level::GivenAlike),
    (0.80, Level::FamilyFaint, Level::GivenFaint),
];

/// A name part: its levels from the same to the different.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    Family,
    Given,
    Patronymic,
}

impl Part {
    pub(crate) fn same(self) -> Level {
        match self {
            Part::Family => Level::FamilySame,
            Part::Given => Level::GivenSame,
            Part::Patronymic => Level::PatronymicSame,
        }
    }

    /// The levels a similarity of at most `ceiling` can fall into (see [`Part::level`]).
    pub(crate) fn levels_up_to(self, ceiling: f64) -> impl Iterator<Item = Level> {
        let same = (ceiling >= SAME).then_some(self.same());
        let close = (ceiling >= NAME_CLOSE).then_some(self.close());
        let bands = ALIKE_BANDS
            .iter()
            .filter(move |(floor, _, _)| ceiling >= *floor)
            .filter_map(move |&(_, f, g)| self.band(f, g));
        same.into_iter()
            .chain(close)
            .chain(bands)
            .chain([self.differ()])
    }

    /// This part's level of a band of [`ALIKE_BANDS`], if it has one.
    pub(crate) fn band(self, family: Level, given: Level) -> Option<Level> {
        match self {
            Part::Family => Some(family),
            Part::Given => Some(given),
            Part::Patronymic => None,
        }
    }

    pub(crate) fn close(self) -> Level {
        match self {
            Part::Family => Level::FamilyClose,
            Part::Given => Level::GivenClose,
            // Patronymics are told apart only as the same or not.
            Part::Patronymic => Level::PatronymicSame,
        }
    }

    pub(crate) fn differ(self) -> Level {
        match self {
            Part::Family => Level::FamilyDiffer,
            Part::Given => Level::GivenDiffer,
            Part::Patronymic => Level::PatronymicDiffer,
        }
    }

    /// The level of a similarity (Jaro–Winkler of the folded keys): same, close (a typo, a
    /// diminutive), one of the bands of [`ALIKE_BANDS`], or different.
    pub(crate) fn level(self, s: f64) -> Level {
        if s >= SAME {
            return self.same();
        }
        if s >= NAME_CLOSE {
            return self.close();
        }
        ALIKE_BANDS
            .iter()
            .find(|(floor, _, _)| s >= *floor)
            .and_then(|&(_, f, g)| self.band(f, g))
            .unwrap_or(self.differ())
    }
}

/// Same / close / different for two optional keys, for fields other than names.
fn part(a: &str, b: &str) -> i8 {
    if a.is_empty() || b.is_empty() {
        0
    } else if a == b {
        2
    } else if text::jaro_winkler_str(a, b) >= NAME_CLOSE {
        1
    } else {
        -1
    }
}

/// The order to match a batch of persons in (positions into `records`, for
/// [`crate::batch::permute`]): by birth year, then surname skeleton, the fields most blocking
/// keys share, so that a record's candidates lie near it in memory. Scattered across a
/// million records, the first read of each candidate was a cache miss, and most of the time
/// spent on the pairs ruled out at once: in this order a batch of 1,000,000 takes a quarter
/// less CPU. Which pairs are candidates does not depend on the order. What does: which
/// candidates a record keeps past [`crate::block::MAX_CANDIDATES`] (it looks back at those
/// before it), and ties of one-to-one.
pub fn matching_order(records: &[PersonFeatures], threads: usize) -> Vec<u32> {
    // Year in the top 16 bits (unknown last), then the skeleton's first 6 bytes: a key sorted
    // as an integer.
    let key = |r: &PersonFeatures| {
        let year = r.birth.map_or(u16::MAX, |b| b.year.clamp(0, 65_534) as u16);
        let mut head = [0u8; 8];
        if let Some(n) = r.names.first() {
            let skeleton = text::skeleton(&n.family);
            let bytes = skeleton.as_bytes();
            let len = bytes.len().min(6);
            head[2..2 + len].copy_from_slice(&bytes[..len]);
        }
        u64::from(year) << 48 | u64::from_be_bytes(head)
    };
    let keys: Vec<u64> = crate::batch::map(records, threads, key);
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    // Records alike in both keep the order they came in.
    order.sort_unstable_by_key(|&i| (keys[i as usize], i));
    order
}

impl PersonFeatures {
    pub fn new(p: &Person) -> Self {
        let mut names: Vec<NameParts> = p.names.iter().map(NameParts::of).collect();
        names.dedup();
        let letters = match names.as_slice() {
            [one] => NameLetters::of(&one.key),
            _ => None,
        };
        let origin = text::latin_key(&p.place_of_origin);
        Self {
            id: p.id,
            agency: p.agency,
            classification: p.classification,
            letters,
            names,
            birth: p.birth_date,
            sex: p.sex,
            origin_letters: (!origin.is_empty() && origin.is_ascii())
                .then(|| Letters::of(&origin))
                .flatten(),
            origin,
            family_rarity: 0.0,
            given_rarity: 0.0,
        }
    }

    /// The keys a person is filed under; [`probe_keys`] are the keys it looks up. Two persons
    /// are candidates when one's probes meet the other's filed keys, which holds both ways.
    ///
    /// All on the surname's consonant skeleton (so that spellings which differ in vowels or
    /// in confusable consonants share a block). With the birth year: surname and year; given
    /// name, the surname's first letter and year (a typo further on in the surname). Then four
    /// keys by names alone — surname and given name in either order; the given name with the
    /// surname's first or last letters (see [`SURNAME_TAIL`]), and the surname with the given name's first letters
    /// (a typo in one of them) — each bound to the birth year: a person born in a known year
    /// meets those born within a year of it (a year from a stated age, a mistyped year) and
    /// those whose birth date is not known; a person without one meets all of them. Pairs
    /// born two years or more apart are scored "birth differs", which names alone seldom lift
    /// to a match, and without the year the name keys of common names were most of the
    /// candidates (33.2M of them at 200,000 persons against 9.0M with it).
    ///
    /// [`probe_keys`]: Self::probe_keys
    pub fn filed_keys(&self, keyer: &Keyer, buf: &mut KeyBuf, out: &mut Vec<u64>) {
        self.keys(keyer, buf, out, Side::Filed)
    }

    /// The keys a person looks up: see [`filed_keys`](Self::filed_keys).
    pub fn probe_keys(&self, keyer: &Keyer, buf: &mut KeyBuf, out: &mut Vec<u64>) {
        self.keys(keyer, buf, out, Side::Probe)
    }

    fn keys(&self, keyer: &Keyer, buf: &mut KeyBuf, out: &mut Vec<u64>, side: Side) {
        // A name key with: a birth year; "any" (every record with the name: filed by all,
        // probed by those without a year); "none" (filed by those without a year, probed by
        // those with one).
        const ANY: i64 = i64::MIN;
        const NONE: i64 = i64::MIN + 1;
        out.clear();
        let year = self.birth.map(|b| i64::from(b.year));
        for n in &self.names {
            let skeleton = text::skeleton(&n.family);
            let (f, g) = (skeleton.as_str(), n.given.as_str());
            if let Some(y) = year {
                if !f.is_empty() {
                    out.push(buf.start("p-fy").str(f).int(y).finish(keyer));
                    if !g.is_empty() {
                        out.push(
                            buf.start("p-gy")
                                .str(g)
                                .str(head(f, 1))
                                .int(y)
                                .finish(keyer),
                        );
                    }
                }
            }
            if f.is_empty() || g.is_empty() {
                continue;
            }
            let (x, z) = if f <= g { (f, g) } else { (g, f) };
            let family = n.family.as_str();
            let names = [
                ("p-fg", x, z),
                ("p-gf", g, head(family, 3)),
                ("p-gl", g, tail(family, SURNAME_TAIL)),
                ("p-fh", f, head(g, 3)),
            ];
            // A short surname keeps too few letters before its last six for a typo there
            // to be found by its tail: it is also filed by its last four.
            let short = (family.chars().count() <= SHORT_SURNAME)
                .then(|| ("p-gs", g, tail(family, SHORT_SURNAME_TAIL)));
            for (tag, a, b) in names.into_iter().chain(short) {
                let mut key = |when: i64| buf.start(tag).str(a).str(b).int(when).finish(keyer);
                match (year, side) {
                    (Some(y), Side::Filed) => out.extend([key(y), key(ANY)]),
                    (Some(y), Side::Probe) => {
                        out.extend([key(y - 1), key(y), key(y + 1), key(NONE)])
                    }
                    (None, Side::Filed) => out.extend([key(NONE), key(ANY)]),
                    (None, Side::Probe) => out.push(key(ANY)),
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Compares names (the best pairing of any two of their names, in either order), birth
    /// dates, sex and origin.
    pub fn compare(&self, o: &Self, sink: &mut impl Sink) {
        self.compare_names(o, sink);
        self.compare_cheap(o, sink);
    }

    /// The names' levels: the best pairing of any two of their names, in either order.
    fn compare_names(&self, o: &Self, sink: &mut impl Sink) {
        let best = self
            .names
            .iter()
            .flat_map(|a| {
                o.names
                    .iter()
                    .map(move |b| compare_names((&a.key, &a.facts), (&b.key, &b.facts)))
            })
            .max_by(|x, y| x.score.total_cmp(&y.score));
        if let Some(c) = best {
            // A variant (Олена/Елена) is the same name; a diminutive counts as close.
            let given = match c.given_relation {
                Some(GivenRelation::Diminutive) => c.given.map(|s| s.min(NAME_CLOSE)),
                _ => c.given,
            };
            let levels = [
                c.family.map(|s| Part::Family.level(s)),
                given.map(|s| Part::Given.level(s)),
                c.patronymic.map(|s| Part::Patronymic.level(s)),
            ];
            for level in levels.into_iter().flatten() {
                push_name_level(
                    sink,
                    level,
                    (self.family_rarity, self.given_rarity),
                    (o.family_rarity, o.given_rarity),
                );
            }
        }
    }

    /// The fields that cost no name comparison: birth date, sex, origin.
    fn compare_cheap(&self, o: &Self, sink: &mut impl Sink) {
        for level in self.cheap_levels(o).into_iter().flatten() {
            sink.push(level, Detail::None);
        }
    }

    /// Birth date, sex and origin's levels, in the order they are reported.
    fn cheap_levels(&self, o: &Self) -> [Option<Level>; 3] {
        let [birth, sex] = self.birth_and_sex(o);
        [birth, sex, self.origin_level(o)]
    }

    fn birth_and_sex(&self, o: &Self) -> [Option<Level>; 2] {
        let birth = match (self.birth, o.birth) {
            (Some(a), Some(b)) => Some(compare_birth(a, b)),
            _ => None,
        };
        let sex = match (self.sex, o.sex) {
            (Sex::Unknown, _) | (_, Sex::Unknown) => None,
            (a, b) if a == b => Some(Level::SexSame),
            _ => Some(Level::SexDiffer),
        };
        [birth, sex]
    }

    fn origin_level(&self, o: &Self) -> Option<Level> {
        match part(&self.origin, &o.origin) {
            2 | 1 => Some(Level::OriginSame),
            -1 => Some(Level::OriginDiffer),
            _ => None,
        }
    }
}

/// A pair's score, when it reaches `threshold` (else `None`); equal to [`compare`]'s sum, but
/// the names — most of the cost — are compared only when even the best name levels could lift
/// the cheap fields' sum to the threshold (a namesake born in another year is out at once).
///
/// [`compare`]: PersonFeatures::compare
pub fn score_at_least(
    a: &PersonFeatures,
    b: &PersonFeatures,
    w: &Weights,
    threshold: f64,
) -> Option<f64> {
    // The largest the names can add: the best level of each part (or none), with the
    // smaller of the two rarities where the same name adds its rarity.
    let rarity = |x: f32, y: f32| {
        if x > 0.0 && y > 0.0 {
            f64::from(x.min(y))
        } else {
            0.0
        }
    };
    // The most a part can add at a similarity of at most `ceiling`.
    let best = |part: Part, rare: f64, ceiling: f64| {
        part.levels_up_to(ceiling)
            .map(|l| w.get(l) + if l == part.same() { rare.max(0.0) } else { 0.0 })
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let family_rare = w.get(Level::FamilyRarity) * rarity(a.family_rarity, b.family_rarity);
    // A part either side lacks adds nothing.
    let given = best(
        Part::Given,
        w.get(Level::GivenRarity) * rarity(a.given_rarity, b.given_rarity),
        1.0,
    )
    .max(0.0)
        + best(Part::Patronymic, 0.0, 1.0).max(0.0);
    let names = best(Part::Family, family_rare, 1.0).max(0.0) + given;
    // A margin for rounding: the full sum adds the same terms in another order.
    let short = |total: f64| total < threshold - 1e-9 * (1.0 + threshold.abs());
    let [birth, sex] = a.birth_and_sex(b);
    let mut cheap = Score::new(w);
    for level in [birth, sex].into_iter().flatten() {
        cheap.push(level, Detail::None);
    }
    // First with the best the origin can add, which costs no Jaro–Winkler: a namesake born
    // in another year is out here.
    // Places whose letters bound their similarity below "close" are different places.
    let origin_differs = match (&a.origin_letters, &b.origin_letters) {
        (Some(x), Some(y)) => x.jaro_winkler_bound(y) < NAME_CLOSE,
        _ => false,
    };
    let origin_best = if a.origin.is_empty() || b.origin.is_empty() {
        0.0
    } else if origin_differs {
        w.get(Level::OriginDiffer)
    } else if a.origin == b.origin {
        w.get(Level::OriginSame)
    } else {
        w.get(Level::OriginSame)
            .max(w.get(Level::OriginDiffer))
            .max(0.0)
    };
    if short(cheap.total + origin_best + names) {
        return None;
    }
    // Then with the origin as it is.
    let origin = if origin_differs {
        Some(Level::OriginDiffer)
    } else {
        a.origin_level(b)
    };
    if let Some(level) = origin {
        cheap.push(level, Detail::None);
    }
    if short(cheap.total + names) {
        return None;
    }
    // Then with the surnames' similarity bounded by the letters they share: most candidates
    // share a given name and the end or start of a surname, not the surname.
    if let (Some(x), Some(y)) = (&a.letters, &b.letters) {
        if let Some(ceiling) = x.family_similarity_bound(y) {
            if short(cheap.total + best(Part::Family, family_rare, ceiling) + given) {
                return None;
            }
        }
    }
    // The names, then the cheap levels again in [`compare`]'s order, so that the sum is the
    // same to the last bit.
    let mut score = Score::new(w);
    a.compare_names(b, &mut score);
    for level in [birth, sex, origin].into_iter().flatten() {
        score.push(level, Detail::None);
    }
    (score.total >= threshold).then_some(score.total)
}

/// The first `n` characters of `s` (all of a shorter `s`).
fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Letters of the surname's end that key a person with the given name, so that a typo in
/// the surname's first letters still meets. Six, not four: with four, every Oleksandr …enko
/// of a year shared one block, which made most of the candidates (9.0M of them at 200,000
/// persons against 1.7M with six and [`SHORT_SURNAME`]'s key, for 0.07% of the pairs that
/// would match: `examples/person_blocking.rs`).
const SURNAME_TAIL: usize = 6;
/// Surnames of at most this many letters are also keyed by their last [`SHORT_SURNAME_TAIL`],
/// so that a typo in the first three letters of a short surname is found too (with six
/// alone, only in the first letter of a seven-letter one). A letter inserted or dropped
/// changes the length by one, so two spellings are both short or both at least seven long.
const SHORT_SURNAME: usize = 7;
const SHORT_SURNAME_TAIL: usize = 4;

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    s.char_indices()
        .nth(count.saturating_sub(n))
        .map_or(s, |(i, _)| &s[i..])
}

/// Birth dates at the precision both give: a full date against a year compares the years.
pub fn compare_birth(a: PartialDate, b: PartialDate) -> Level {
    let years = a.year.abs_diff(b.year);
    match (a.month.zip(a.day), b.month.zip(b.day)) {
        (Some((am, ad)), Some((bm, bd))) => {
            if years == 0 && am == bm && ad == bd {
                Level::BirthSameDay
            } else if years == 0 && am == bd && ad == bm {
                // Day and month swapped (MM/DD against DD.MM).
                Level::BirthNearDay
            } else if years == 0 && (am == bm) != (ad == bd) && one_digit_apart(am, bm, ad, bd) {
                Level::BirthNearDay
            } else if years == 1 && am == bm && ad == bd {
                Level::BirthYearOff
            } else {
                Level::BirthDiffer
            }
        }
        _ => match (years, a.month.zip(b.month)) {
            (0, Some((am, bm))) if am == bm => Level::BirthSameMonth,
            (0, Some(_)) => Level::BirthDiffer,
            (0, None) => Level::BirthSameYear,
            (1, _) => Level::BirthYearOff,
            _ => Level::BirthDiffer,
        },
    }
}

/// A typing slip in the day or the month: the two numbers differ in one decimal digit.
fn one_digit_apart(am: u32, bm: u32, ad: u32, bd: u32) -> bool {
    let (x, y) = if am == bm { (ad, bd) } else { (am, bm) };
    (x / 10 == y / 10) != (x % 10 == y % 10)
}

#[cfg(test)]
mod tests;
