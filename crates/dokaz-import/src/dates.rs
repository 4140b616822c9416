//! Date formats of foreign spreadsheets (`DD.MM.YYYY`, `MM/DD/YYYY`, …), read into dokaz's
//! `YYYY-MM-DD` strictly: an impossible date is an error, and a partial date (`03.2022`,
//! `2022`) keeps its precision (`2022-03`, `2022`).

use chrono::NaiveDate;

use crate::when::clip;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Day,
    Month,
    Year,
}

/// A checked date format: day, month and year in some order, with one separator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    order: [Part; 3],
    sep: char,
    pattern: String,
}

impl DateFormat {
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{pattern:?} is not a date format; use DD.MM.YYYY, MM/DD/YYYY, DD/MM/YYYY or \
                 YYYY-MM-DD (any one separator)"
            )
        };
        let sep = pattern
            .chars()
            .find(|c| !c.is_ascii_alphabetic())
            .ok_or_else(bad)?;
        let parts: Vec<&str> = pattern.split(sep).collect();
        if parts.len() != 3 {
            return Err(bad());
        }
        let mut order = [Part::Day; 3];
        for (i, p) in parts.iter().enumerate() {
            order[i] = match *p {
                "DD" => Part::Day,
                "MM" => Part::Month,
                "YYYY" => Part::Year,
                _ => return Err(bad()),
            };
        }
        let has = |x: Part| order.iter().filter(|p| **p == x).count() == 1;
        if !(has(Part::Day) && has(Part::Month) && has(Part::Year)) {
            return Err(bad());
        }
        Ok(Self {
            order,
            sep,
            pattern: pattern.to_owned(),
        })
    }

    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for a partial date (the parts left out are the
    /// day, then the month). A time after the date (`09.03.2022 10:15`) is kept.
    pub fn to_iso(&self, value: &str) -> Result<String, String> {
        let v = value.trim();
        let (date, time) = match v.split_once(' ') {
            Some((d, t)) => (d, Some(t.trim())),
            None => (v, None),
        };
        let parts: Vec<&str> = date.split(self.sep).collect();
        let bad = || format!("{:?} is not a date of the form {}", clip(v), self.pattern);
        // Which parts a partial value holds, in the pattern's order.
        let present: Vec<Part> = match parts.len() {
            3 => self.order.to_vec(),
            2 => self
                .order
                .iter()
                .copied()
                .filter(|p| *p != Part::Day)
                .collect(),
            1 => vec![Part::Year],
            _ => return Err(bad()),
        };
        let (mut y, mut m, mut d) = (None, None, None);
        for (part, text) in present.iter().zip(&parts) {
            let n: u32 =
                (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| text.parse().ok())
                    .flatten()
                    .ok_or_else(bad)?;
            match part {
                Part::Year if text.len() == 4 => y = Some(n as i32),
                Part::Month if text.len() <= 2 => m = Some(n),
                Part::Day if text.len() <= 2 => d = Some(n),
                _ => return Err(bad()),
            }
        }
        let y = y.ok_or_else(bad)?;
        let iso = match (m, d) {
            (Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(y, m, d)
                    .ok_or_else(|| format!("{:?} is not a day of the calendar", clip(v)))?;
                format!("{y:04}-{m:02}-{d:02}")
            }
            (Some(m), None) if (1..=12).contains(&m) => format!("{y:04}-{m:02}"),
            (Some(_), None) => return Err(format!("{:?} has no month of that number", clip(v))),
            (None, _) => format!("{y:04}"),
        };
        Ok(match time {
            Some(t) if parts.len() == 3 && !t.is_empty() => format!("{iso} {t}"),
            _ => iso,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_partial_dates() {
        let eu = DateFormat::parse("DD.MM.YYYY").unwrap();
        assert_eq!(eu.to_iso("09.03.2022").unwrap(), "2022-03-09");
        assert_eq!(eu.to_iso("9.3.2022").unwrap(), "2022-03-09");
        assert_eq!(eu.to_iso("03.2022").unwrap(), "2022-03");
        assert_eq!(eu.to_iso("2022").unwrap(), "2022");
        assert_eq!(eu.to_iso("09.03.2022 10:15").unwrap(), "2022-03-09 10:15");
        let us = DateFormat::parse("MM/DD/YYYY").unwrap();
        assert_eq!(us.to_iso("03/09/2022").unwrap(), "2022-03-09");
        assert_eq!(us.to_iso("03/2022").unwrap(), "2022-03");
        let iso = DateFormat::parse("YYYY-MM-DD").unwrap();
        assert_eq!(iso.to_iso("2022-03-09").unwrap(), "2022-03-09");
        assert_eq!(iso.to_iso("2022-03").unwrap(), "2022-03");
    }

    #[test]
    fn impossible_dates_and_formats_are_errors() {
        let eu = DateFormat::parse("DD.MM.YYYY").unwrap();
        assert_eq!(
            eu.to_iso("30.02.2022").unwrap_err(),
            "\"30.02.2022\" is not a day of the calendar"
        );
        assert!(eu.to_iso("13.2022").is_err());
        assert!(eu.to_iso("2022-03-09").is_err());
        assert!(eu.to_iso("aa.bb.cccc").is_err());
        assert!(DateFormat::parse("DD.MM.YY").is_err());
        assert!(DateFormat::parse("DD.DD.YYYY").is_err());
    }
}
