//! The ICC's temporal jurisdiction over Ukraine: from 21 November 2013 (the art. 12(3)
//! declarations); Ukraine has been a State Party since 1 January 2025, so there is no end.
//! An incident outside the window is flagged for the analyst, never refused: national
//! jurisdiction still applies.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Start of the ICC's jurisdiction over the situation in Ukraine.
pub fn icc_window_start() -> DateTime<Utc> {
    let d = NaiveDate::from_ymd_opt(2013, 11, 21).expect("valid date");
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// Whether an event that ended at `end` can fall under the ICC's temporal jurisdiction.
pub fn within_icc_window(end: DateTime<Utc>) -> bool {
    end >= icc_window_start()
}
