//! The collection record: how an item was obtained (Berkeley Protocol ¶153–156) — the tool
//! and machine, the time of collection and whose clock said so, the page it came from — fixed
//! at intake beside the bytes. The collector, method and source URL stay on
//! [`crate::Evidence`] where they were before this record existed.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence::{Ern, Sha256};
use crate::ids::PersonId;
use crate::validation::{check_text, Problems};

/// The tool name dokaz records for its own intakes (uploads and `dokaz ingest`).
pub const DOKAZ_TOOL: &str = "dokaz";

/// Where the time of collection came from: a device's own clock can be wrong by hours, a
/// network-synchronised one (NTP, GNSS) by milliseconds. Courts ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockSource {
    Device,
    Network,
}

impl ClockSource {
    pub fn code(self) -> &'static str {
        match self {
            Self::Device => "device",
            Self::Network => "network",
        }
    }
}

impl fmt::Display for ClockSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ClockSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "device" => Ok(Self::Device),
            "network" | "ntp" => Ok(Self::Network),
            _ => Err(format!(
                "unknown clock source {s:?}; expected device or network"
            )),
        }
    }
}

/// What is known of how an item was collected. Every field but the tool is optional: record
/// what the collector supplied, never a guess.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CollectionRecord {
    /// The collecting tool: `dokaz` for uploads, the capture tool's name for imported
    /// captures (e.g. `auto-archiver`, `Hunchly`).
    pub tool: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tool_version: String,
    /// The collecting machine's host name or address, when supplied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// When the item was collected (not when it reached dokaz).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_source: Option<ClockSource>,
    /// The hash the collector recorded at collection; intake refused any other bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_sha256: Option<Sha256>,
    /// For online material: the page's title as captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// For online material: the page's HTML source, an item of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<Ern>,
    /// For online material: the full-page screenshot, an item of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<Ern>,
    /// The language of the content (BCP 47, e.g. `uk`), when known: an item in none of its
    /// case's working languages is marked "translation missing" until a translation exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// For a statement: the person who gave it. Their consent governs its disclosure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_by: Option<PersonId>,
}

impl CollectionRecord {
    /// dokaz's own record for an upload or `dokaz ingest`.
    pub fn dokaz() -> Self {
        Self {
            tool: DOKAZ_TOOL.to_owned(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            ..Self::default()
        }
    }

    pub fn check(&self, field: &str, p: &mut Problems) {
        check_text(p, &format!("{field}.tool"), &self.tool, true, 200);
        check_text(
            p,
            &format!("{field}.tool_version"),
            &self.tool_version,
            false,
            100,
        );
        if let Some(h) = &self.host {
            check_text(p, &format!("{field}.host"), h, true, 255);
        }
        if let Some(t) = &self.page_title {
            check_text(p, &format!("{field}.page_title"), t, false, 2_000);
        }
        if let Some(l) = &self.language {
            if let Err(e) = check_language(l) {
                p.push(format!("{field}.language"), e);
            }
        }
        if let Some(t) = self.collected_at {
            if t > Utc::now() + chrono::Duration::minutes(5) {
                p.push(format!("{field}.collected_at"), "is in the future");
            }
        }
    }

    /// The record as custody-event details (`collection.tool`, …), so the ledger entry of the
    /// intake commits to how the item was collected.
    pub fn details(&self) -> Vec<(String, String)> {
        let mut d = vec![("collection.tool".to_owned(), self.tool.clone())];
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                d.push((format!("collection.{k}"), v));
            }
        };
        add("tool_version", Some(self.tool_version.clone()));
        add("host", self.host.clone());
        add(
            "collected_at",
            self.collected_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        );
        add("clock_source", self.clock_source.map(|c| c.code().into()));
        add("declared_sha256", self.declared_sha256.map(|h| h.to_hex()));
        add("html", self.html.as_ref().map(|e| e.to_string()));
        add(
            "screenshot",
            self.screenshot.as_ref().map(|e| e.to_string()),
        );
        add("language", self.language.clone());
        d
    }
}

/// A BCP 47 tag in its common short form: a 2–3 letter language, optionally `-` and a
/// region or script (`uk`, `en`, `ru`, `crh`, `en-GB`, `sr-Latn`).
pub fn check_language(tag: &str) -> Result<(), String> {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or_default();
    let ok = (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} is not a language tag such as uk, en or en-GB",
            tag.chars().take(40).collect::<String>()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["uk", "en", "crh", "en-GB", "sr-Latn"] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in ["", "U", "english", "EN", "en_GB"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn details_name_only_what_was_supplied() {
        let mut c = CollectionRecord::dokaz();
        c.host = Some("laptop-7".into());
        let d = c.details();
        assert!(d.contains(&("collection.tool".into(), "dokaz".into())));
        assert!(d.contains(&("collection.host".into(), "laptop-7".into())));
        assert!(!d.iter().any(|(k, _)| k == "collection.screenshot"));
    }
}
