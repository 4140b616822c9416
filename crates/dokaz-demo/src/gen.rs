//! The one random stream every generator draws from, and the helpers they share. Ids come from
//! the stream too (UUID v7 built from the record's own creation time), because `::new()` ids
//! would make two runs of the same seed differ.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::{Builder, Uuid};

#[derive(Debug)]
pub(crate) struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// Uniform in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.gen_range(lo..=hi)
        }
    }

    pub fn index(&mut self, len: usize) -> usize {
        debug_assert!(len > 0);
        self.rng.gen_range(0..len)
    }

    pub fn unit(&mut self) -> f64 {
        self.rng.gen::<f64>()
    }

    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One of `items`, chosen with the weight `weight` gives it (non-positive weights never win
    /// unless every weight is).
    pub fn pick_weighted<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> f64) -> &'a T {
        let total: f64 = items.iter().map(|i| weight(i).max(0.0)).sum();
        if total <= 0.0 {
            return self.pick(items);
        }
        let mut x = self.unit() * total;
        for item in items {
            x -= weight(item).max(0.0);
            if x < 0.0 {
                return item;
            }
        }
        &items[items.len() - 1]
    }

    /// A count with a long tail: most incidents harm few people, a few harm many.
    pub fn long_tail(&mut self, mean: f64, max: u32) -> u32 {
        let u = self.unit().max(1e-12);
        ((-mean * u.ln()).floor() as u32).min(max)
    }

    /// Fisher–Yates, so shuffles too come from the seeded stream.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.rng.gen_range(0..=i);
            items.swap(i, j);
        }
    }

    /// A UUID v7 whose timestamp is `at` and whose random bits come from the seed.
    pub fn uuid(&mut self, at: DateTime<Utc>) -> Uuid {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
    }

    /// A moment uniformly within `[from, to]`.
    pub fn between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
        let span = (to - from).num_seconds().max(0);
        from + Duration::seconds(self.int(0, span))
    }
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

pub(crate) fn midnight(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// The first day of the full-scale invasion: no generated incident is earlier.
pub(crate) fn invasion() -> DateTime<Utc> {
    midnight(day(2022, 2, 24))
}

/// The last moment of the generated period.
pub(crate) fn period_end() -> DateTime<Utc> {
    midnight(day(2025, 12, 31)) + Duration::hours(23)
}

/// When records were entered can lag the events by months, but never beyond this, so the
/// dataset looks the same whenever it is generated.
pub(crate) fn recording_end() -> DateTime<Utc> {
    midnight(day(2026, 1, 31))
}
