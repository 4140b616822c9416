//! Dates and times as registries write them, read strictly: an impossible date is an error,
//! never silently moved to the nearest real one, and the precision follows what was written.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use dokaz_model::{TimePrecision, TimeRange};

/// Parses one point in time with its precision:
/// `2022-03-09T10:15:00Z` or with an offset (second), `2022-03-09 10:15` (minute, UTC),
/// `2022-03-09` (day), `2022-03` (month), `2022` (year).
pub fn parse_when(s: &str) -> Result<TimeRange, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("must not be empty".into());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(TimeRange::instant(
            dt.with_timezone(&Utc),
            TimePrecision::Second,
        ));
    }
    for (fmt, precision) in [
        ("%Y-%m-%d %H:%M:%S", TimePrecision::Second),
        ("%Y-%m-%dT%H:%M:%S", TimePrecision::Second),
        ("%Y-%m-%d %H:%M", TimePrecision::Minute),
        ("%Y-%m-%dT%H:%M", TimePrecision::Minute),
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(TimeRange::instant(Utc.from_utc_datetime(&dt), precision));
        }
    }
    let parts: Vec<&str> = t.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let bad = || {
        format!("{:?} is not a date or time (use YYYY-MM-DD, YYYY-MM-DD HH:MM, RFC 3339, YYYY-MM or YYYY)", clip(t))
    };
    match parts.as_slice() {
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            let date = NaiveDate::from_ymd_opt(num(y), num(m) as u32, num(d) as u32)
                .ok_or_else(|| format!("{t:?} is not a day of the calendar"))?;
            Ok(TimeRange::from_date(date, TimePrecision::Day))
        }
        [y, m] if digits(y, 4) && digits(m, 2) => {
            let date = NaiveDate::from_ymd_opt(num(y), num(m) as u32, 1)
                .ok_or_else(|| format!("{t:?} has no month {m}"))?;
            Ok(TimeRange::from_date(date, TimePrecision::Month))
        }
        [y] if digits(y, 4) => {
            let date = NaiveDate::from_ymd_opt(num(y), 1, 1).ok_or_else(bad)?;
            Ok(TimeRange::from_date(date, TimePrecision::Year))
        }
        _ => Err(bad()),
    }
}

fn num(s: &str) -> i32 {
    s.parse().unwrap_or(0)
}

/// At most 40 characters of a value, for error messages that must not echo a huge cell.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_follows_what_was_written() {
        let cases = [
            (
                "2022-03-09T10:15:00+02:00",
                "2022-03-09T08:15:00+00:00",
                TimePrecision::Second,
            ),
            (
                "2022-03-09 10:15",
                "2022-03-09T10:15:00+00:00",
                TimePrecision::Minute,
            ),
            (
                "2022-03-09",
                "2022-03-09T00:00:00+00:00",
                TimePrecision::Day,
            ),
            ("2022-03", "2022-03-01T00:00:00+00:00", TimePrecision::Month),
            ("2022", "2022-01-01T00:00:00+00:00", TimePrecision::Year),
        ];
        for (input, start, precision) in cases {
            let r = parse_when(input).unwrap();
            assert_eq!(r.start.to_rfc3339(), start, "{input}");
            assert_eq!(r.precision, precision, "{input}");
        }
    }

    #[test]
    fn impossible_dates_are_errors() {
        assert_eq!(
            parse_when("2022-02-30").unwrap_err(),
            "\"2022-02-30\" is not a day of the calendar"
        );
        assert!(parse_when("2022-13").is_err());
        assert!(parse_when("09.03.2022").is_err());
        assert!(parse_when("2022-03-09 25:00").is_err());
        assert!(parse_when("").is_err());
    }
}
