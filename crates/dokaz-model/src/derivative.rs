//! Derivatives: items made from another — a redaction, a translation, a transcript, an
//! excerpt, a working copy, a format conversion. The original is never changed; the
//! derivative is an item of its own (own bytes, hash and ERN) that names its original.
//!
//! ERN numbering: a derivative's ERN is its family root's ERN followed by `-` and a letter
//! for its kind and the number of that kind within the family, from 1:
//!
//! | kind | letter | example |
//! |---|---|---|
//! | redacted | R | `UAPGO-12022.100-000123-R1` |
//! | translation | T | `UAPGO-12022.100-000123-T1` |
//! | transcript | S | `UAPGO-12022.100-000123-S1` |
//! | excerpt | X | `UAPGO-12022.100-000123-X2` |
//! | working-copy | W | `UAPGO-12022.100-000123-W1` |
//! | format-conversion | C | `UAPGO-12022.100-000123-C1` |
//!
//! A derivative of a derivative (a translation of a redaction) belongs to the same family:
//! its ERN carries the root's number and its own kind, and its record names the item it
//! was made from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::collection::check_language;
use crate::evidence::{Ern, Evidence, Sha256};
use crate::ids::EvidenceId;
use crate::validation::{check_text, Problems};

/// What kind of derivative, with what its kind needs to be understood.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DerivativeKind {
    /// Identities or other protected content removed.
    Redacted {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        what: String,
    },
    /// A translation into `language` (BCP 47).
    Translation { language: String },
    /// A written transcript of audio or video, in `language`.
    Transcript {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
    },
    /// A part of the original: a time range (`00:01:10-00:02:05`) or pages (`3-7`), and who
    /// cut it.
    Excerpt { range: String, cut_by: String },
    /// A copy to work on, so the original is never opened for analysis.
    WorkingCopy,
    /// The same content in another format, by a tool with parameters.
    FormatConversion { tool: String, parameters: String },
}

impl DerivativeKind {
    pub const CODES: [&'static str; 6] = [
        "redacted",
        "translation",
        "transcript",
        "excerpt",
        "working-copy",
        "format-conversion",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Self::Redacted { .. } => "redacted",
            Self::Translation { .. } => "translation",
            Self::Transcript { .. } => "transcript",
            Self::Excerpt { .. } => "excerpt",
            Self::WorkingCopy => "working-copy",
            Self::FormatConversion { .. } => "format-conversion",
        }
    }

    /// The letter of its ERN suffix.
    pub fn letter(&self) -> char {
        match self {
            Self::Redacted { .. } => 'R',
            Self::Translation { .. } => 'T',
            Self::Transcript { .. } => 'S',
            Self::Excerpt { .. } => 'X',
            Self::WorkingCopy => 'W',
            Self::FormatConversion { .. } => 'C',
        }
    }

    /// The language of the derivative's content, where the kind fixes it.
    pub fn language(&self) -> Option<&str> {
        match self {
            Self::Translation { language } => Some(language),
            Self::Transcript { language } => language.as_deref(),
            _ => None,
        }
    }

    pub fn check(&self, field: &str, p: &mut Problems) {
        match self {
            Self::Redacted { what } => check_text(p, &format!("{field}.what"), what, false, 2_000),
            Self::Translation { language } => {
                if let Err(e) = check_language(language) {
                    p.push(format!("{field}.language"), e);
                }
            }
            Self::Transcript { language } => {
                if let Some(Err(e)) = language.as_deref().map(check_language) {
                    p.push(format!("{field}.language"), e);
                }
            }
            Self::Excerpt { range, cut_by } => {
                check_text(p, &format!("{field}.range"), range, true, 200);
                check_text(p, &format!("{field}.cut_by"), cut_by, true, 300);
            }
            Self::WorkingCopy => {}
            Self::FormatConversion { tool, parameters } => {
                check_text(p, &format!("{field}.tool"), tool, true, 300);
                check_text(p, &format!("{field}.parameters"), parameters, false, 2_000);
            }
        }
    }

    /// The kind's facts as custody-event details (`derivative.kind`, `derivative.language`…).
    pub fn details(&self) -> Vec<(String, String)> {
        let mut d = vec![("derivative.kind".to_owned(), self.code().to_owned())];
        let mut add = |k: &str, v: &str| {
            if !v.is_empty() {
                d.push((format!("derivative.{k}"), v.to_owned()));
            }
        };
        match self {
            Self::Redacted { what } => add("what", what),
            Self::Translation { language } => add("language", language),
            Self::Transcript { language } => add("language", language.as_deref().unwrap_or("")),
            Self::Excerpt { range, cut_by } => {
                add("range", range);
                add("cut_by", cut_by);
            }
            Self::WorkingCopy => {}
            Self::FormatConversion { tool, parameters } => {
                add("tool", tool);
                add("parameters", parameters);
            }
        }
        d
    }
}

impl fmt::Display for DerivativeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A kind letter and its number within the family: the ERN suffix (`R1`, `T2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErnSuffix {
    pub letter: char,
    pub number: u32,
}

pub const SUFFIX_LETTERS: [char; 6] = ['R', 'T', 'S', 'X', 'W', 'C'];

impl fmt::Display for ErnSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.letter, self.number)
    }
}

impl FromStr for ErnSuffix {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = s.chars();
        let letter = chars.next().filter(|c| SUFFIX_LETTERS.contains(c));
        let digits = chars.as_str();
        match (letter, digits.parse::<u32>()) {
            (Some(letter), Ok(number))
                if (1..=99_999).contains(&number)
                    && !digits.starts_with('0')
                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(Self { letter, number })
            }
            _ => Err(format!(
                "{s:?} is not a derivative suffix (R, T, S, X, W or C and a number)"
            )),
        }
    }
}

/// The link from a derivative to the item it was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    pub original: EvidenceId,
    pub original_ern: Ern,
    /// The original's hash when the derivative was made: the derivative names exactly
    /// which bytes it came from.
    pub original_sha256: Sha256,
    #[serde(flatten)]
    pub kind: DerivativeKind,
}

/// One member of a family as shown: the item, what it was made from, and whether it still
/// lacks a translation into a working language of its case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMember {
    pub evidence: Evidence,
    pub translation_missing: bool,
}

/// An original and every item derived from it, directly or not, root first, then in ERN
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub root: Ern,
    pub members: Vec<FamilyMember>,
}

impl Family {
    /// Builds the family view from its items; `working_languages` are the languages of the
    /// root's case (none: nothing is marked).
    pub fn new(root: Ern, mut items: Vec<Evidence>, working_languages: &[String]) -> Self {
        items.sort_by(|a, b| a.ern.cmp(&b.ern));
        let members = items
            .iter()
            .map(|e| FamilyMember {
                evidence: e.clone(),
                translation_missing: translation_missing(e, &items, working_languages),
            })
            .collect();
        Self { root, members }
    }
}

/// The language an item's content is in: a translation's or transcript's own, else the one
/// recorded at collection.
pub fn content_language(e: &Evidence) -> Option<&str> {
    e.derived_from
        .as_ref()
        .and_then(|d| d.kind.language())
        .or_else(|| e.collection.as_ref().and_then(|c| c.language.as_deref()))
}

/// Whether `item` is in a language none of `working` and no translation of it (among
/// `family`) into a working language exists yet.
pub fn translation_missing(item: &Evidence, family: &[Evidence], working: &[String]) -> bool {
    let Some(lang) = content_language(item) else {
        return false;
    };
    if working.is_empty() || working.iter().any(|w| same_language(w, lang)) {
        return false;
    }
    !family.iter().any(|d| {
        d.derived_from.as_ref().is_some_and(|x| {
            x.original == item.id
                && matches!(&x.kind, DerivativeKind::Translation { language }
                    if working.iter().any(|w| same_language(w, language)))
        })
    })
}

/// `en` and `en-GB` are the same language for working purposes.
fn same_language(a: &str, b: &str) -> bool {
    let base = |s: &str| s.split('-').next().unwrap_or_default().to_ascii_lowercase();
    base(a) == base(b)
}

/// What an export says of a derivative: its original, and whether the original travels in
/// the same package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivativeNote {
    pub derivative: Ern,
    pub kind: String,
    pub original: Ern,
    pub original_sha256: Sha256,
    pub original_disclosed: bool,
}

impl DerivativeNote {
    pub fn of(e: &Evidence, original_disclosed: bool) -> Option<Self> {
        let d = e.derived_from.as_ref()?;
        Some(Self {
            derivative: e.ern.clone(),
            kind: d.kind.code().to_owned(),
            original: d.original_ern.clone(),
            original_sha256: d.original_sha256,
            original_disclosed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_parse_strictly() {
        let s: ErnSuffix = "R1".parse().unwrap();
        assert_eq!(s.to_string(), "R1");
        assert_eq!("X12".parse::<ErnSuffix>().unwrap().number, 12);
        for bad in ["R0", "R01", "Q1", "R", "1", "r1", "R1a"] {
            assert!(bad.parse::<ErnSuffix>().is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_serialise_with_their_facts() {
        let k = DerivativeKind::Translation {
            language: "en".into(),
        };
        let j = serde_json::to_value(&k).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"kind": "translation", "language": "en"})
        );
        assert_eq!(k.letter(), 'T');
        let w: DerivativeKind =
            serde_json::from_value(serde_json::json!({"kind": "working-copy"})).unwrap();
        assert_eq!(w, DerivativeKind::WorkingCopy);
    }
}
