//! When something happened, in UTC, with the precision the source gives: "March 2022" is a
//! month, not the first of March, and matching must widen it accordingly.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::validation::Problems;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum TimePrecision {
    Second,
    Minute,
    Hour,
    #[default]
    Day,
    Month,
    Year,
}

impl TimePrecision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            Self::Second,
            Self::Minute,
            Self::Hour,
            Self::Day,
            Self::Month,
            Self::Year,
        ]
        .into_iter()
        .find(|p| p.code() == s)
    }
}

/// A time range `[start, end]` in UTC; `end == start` for an instant at the given precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub precision: TimePrecision,
}

/// Dates before this are surely typing errors (the war began in 2014; records of earlier
/// context are still possible, hence the margin).
const EARLIEST_YEAR: i32 = 1900;

impl TimeRange {
    pub fn instant(at: DateTime<Utc>, precision: TimePrecision) -> Self {
        Self {
            start: at,
            end: at,
            precision,
        }
    }

    /// The range a date-only value covers: a whole day, month or year.
    pub fn from_date(date: NaiveDate, precision: TimePrecision) -> Self {
        let start_date = match precision {
            TimePrecision::Month => date.with_day(1).unwrap_or(date),
            TimePrecision::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
            _ => date,
        };
        let start = Utc.from_utc_datetime(&start_date.and_hms_opt(0, 0, 0).expect("midnight"));
        Self {
            start,
            end: start,
            precision,
        }
    }

    /// The latest moment the range may cover once its precision is taken into account.
    pub fn widened_end(&self) -> DateTime<Utc> {
        let e = self.end;
        match self.precision {
            TimePrecision::Second => e,
            TimePrecision::Minute => e + Duration::minutes(1),
            TimePrecision::Hour => e + Duration::hours(1),
            TimePrecision::Day => e + Duration::days(1),
            TimePrecision::Month => {
                let (y, m) = if e.month() == 12 {
                    (e.year() + 1, 1)
                } else {
                    (e.year(), e.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| Utc.from_utc_datetime(&d))
                    .unwrap_or(e)
            }
            TimePrecision::Year => NaiveDate::from_ymd_opt(e.year() + 1, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| Utc.from_utc_datetime(&d))
                .unwrap_or(e),
        }
    }

    pub fn check(&self, field: &str, p: &mut Problems, now: DateTime<Utc>) {
        if self.end < self.start {
            p.push(format!("{field}.end"), "must not be before the start");
        }
        if self.start.year() < EARLIEST_YEAR {
            p.push(
                format!("{field}.start"),
                format!("must not be before {EARLIEST_YEAR}"),
            );
        }
        // A day of slack for time zones and clocks.
        if self.start > now + Duration::days(1) {
            p.push(format!("{field}.start"), "must not be in the future");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_precision_widens_to_the_next_month() {
        let r = TimeRange::from_date(
            NaiveDate::from_ymd_opt(2022, 12, 17).unwrap(),
            TimePrecision::Month,
        );
        assert_eq!(r.start.to_rfc3339(), "2022-12-01T00:00:00+00:00");
        assert_eq!(r.widened_end().to_rfc3339(), "2023-01-01T00:00:00+00:00");
    }

    #[test]
    fn reversed_and_future_ranges_are_refused() {
        let now = Utc::now();
        let r = TimeRange {
            start: now,
            end: now - Duration::hours(2),
            precision: TimePrecision::Hour,
        };
        let mut p = Problems::new();
        r.check("incident.occurred", &mut p, now);
        assert_eq!(
            p.to_string(),
            "incident.occurred.end: must not be before the start"
        );
        let f = TimeRange::instant(now + Duration::days(30), TimePrecision::Day);
        let mut p = Problems::new();
        f.check("incident.occurred", &mut p, now);
        assert_eq!(
            p.to_string(),
            "incident.occurred.start: must not be in the future"
        );
    }
}
