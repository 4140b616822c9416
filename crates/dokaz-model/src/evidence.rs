//! Evidence items: immutable bytes identified by their SHA-256, registered under an ERN, with
//! what is known of how and where they were obtained.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agency::AgencyCode;
use crate::classification::Classification;
use crate::collection::CollectionRecord;
use crate::derivative::{Derivation, ErnSuffix};
use crate::geo::Location;
use crate::ids::{AgencyId, CaseId, EvidenceId, IncidentId, UserId};
use crate::validation::{check_text, Problems};

/// A SHA-256 digest. Shown and serialised as 64 lower-case hex digits, the form `sha256sum`
/// prints, so a user can compare it by eye with any other tool's output.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
            s.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
        }
        s
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl FromStr for Sha256 {
    type Err = String;
    /// Accepts upper- or lower-case hex; anything but 64 hex digits is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "a SHA-256 is 64 hex digits; got {:?}",
                t.chars().take(80).collect::<String>()
            ));
        }
        let mut out = [0u8; 32];
        for (i, chunk) in t.as_bytes().chunks(2).enumerate() {
            let hi = (chunk[0] as char).to_digit(16).unwrap_or(0);
            let lo = (chunk[1] as char).to_digit(16).unwrap_or(0);
            out[i] = (hi * 16 + lo) as u8;
        }
        Ok(Self(out))
    }
}

impl TryFrom<String> for Sha256 {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Sha256> for String {
    fn from(h: Sha256) -> Self {
        h.to_hex()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.to_hex())
    }
}

/// The case segment used in ERNs of items that belong to no case yet.
pub const NO_CASE_SEGMENT: &str = "GEN";

/// Evidence registration number `<AGENCY>-<CASE>-<6 digits>`: unique, stable, never reused,
/// and safe in file names and court filings. The case segment is 1–40 of `A-Z 0-9 . _` — no
/// `-`, so an ERN splits unambiguously — derived from the case reference by
/// [`Ern::case_segment`]. A derivative's ERN adds `-` and a suffix naming its kind
/// (`UAPGO-GEN-000001-R1`, see [`crate::derivative`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ern {
    agency: AgencyCode,
    case: String,
    seq: u32,
    suffix: Option<ErnSuffix>,
}

/// The largest sequence number an ERN can carry (six digits).
pub const MAX_ERN_SEQUENCE: u32 = 999_999;

impl Ern {
    pub fn new(agency: AgencyCode, case_segment: &str, seq: u32) -> Result<Self, String> {
        check_segment(case_segment)?;
        if !(1..=MAX_ERN_SEQUENCE).contains(&seq) {
            return Err(format!(
                "ERN sequence {seq} is outside 1..={MAX_ERN_SEQUENCE}"
            ));
        }
        Ok(Self {
            agency,
            case: case_segment.to_owned(),
            seq,
            suffix: None,
        })
    }

    /// The ERN of a derivative in this item's family: the root's number and `suffix`.
    pub fn with_suffix(&self, suffix: ErnSuffix) -> Self {
        Self {
            suffix: Some(suffix),
            ..self.clone()
        }
    }

    /// The family root's ERN: this one without a derivative suffix.
    pub fn root(&self) -> Self {
        Self {
            suffix: None,
            ..self.clone()
        }
    }

    /// The derivative suffix, if this is a derivative's ERN.
    pub fn suffix(&self) -> Option<ErnSuffix> {
        self.suffix
    }

    /// The ERN segment for a case reference: ASCII letters upper-cased, `/` and `-` become
    /// `.`, letters outside ASCII are refused (an ERN must be typeable on any keyboard).
    pub fn case_segment(reference: &str) -> Result<String, String> {
        let seg: String = reference
            .trim()
            .chars()
            .map(|c| match c {
                '/' | '-' => '.',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        check_segment(&seg).map(|()| seg)
    }

    pub fn agency(&self) -> &AgencyCode {
        &self.agency
    }

    pub fn case(&self) -> &str {
        &self.case
    }

    pub fn sequence(&self) -> u32 {
        self.seq
    }
}

fn check_segment(seg: &str) -> Result<(), String> {
    let ok = (1..=40).contains(&seg.len())
        && seg
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "ERN case segment {:?} must be 1-40 of A-Z, 0-9, '.', '_'",
            seg.chars().take(60).collect::<String>()
        ))
    }
}

impl fmt::Display for Ern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.agency, self.case, self.seq)?;
        match self.suffix {
            Some(s) => write!(f, "-{s}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Ern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ern({self})")
    }
}

impl FromStr for Ern {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not an ERN (<AGENCY>-<CASE>-<6 digits>)");
        let (agency, mut rest) = s.trim().split_once('-').ok_or_else(bad)?;
        let mut suffix = None;
        // A case segment holds no `-`, so a fourth part can only be a derivative suffix.
        if rest.matches('-').count() == 2 {
            let (head, tail) = rest.rsplit_once('-').ok_or_else(bad)?;
            suffix = Some(tail.parse::<ErnSuffix>()?);
            rest = head;
        }
        let (case, seq) = rest.rsplit_once('-').ok_or_else(bad)?;
        if seq.len() != 6 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        let ern = Ern::new(agency.parse()?, case, seq)?;
        Ok(match suffix {
            Some(x) => ern.with_suffix(x),
            None => ern,
        })
    }
}

impl TryFrom<String> for Ern {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Ern> for String {
    fn from(e: Ern) -> Self {
        e.to_string()
    }
}

/// How an item was obtained (Berkeley Protocol terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CollectionMethod {
    Forensic,
    OpenSource,
    Testimony,
    #[default]
    Documentary,
    Intercepted,
    Satellite,
}

impl CollectionMethod {
    pub const ALL: [CollectionMethod; 6] = [
        Self::Forensic,
        Self::OpenSource,
        Self::Testimony,
        Self::Documentary,
        Self::Intercepted,
        Self::Satellite,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Forensic => "forensic",
            Self::OpenSource => "open-source",
            Self::Testimony => "testimony",
            Self::Documentary => "documentary",
            Self::Intercepted => "intercepted",
            Self::Satellite => "satellite",
        }
    }
}

impl FromStr for CollectionMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|m| m.code() == t).ok_or_else(|| {
            format!("unknown collection method {s:?}; expected forensic, open-source, testimony, documentary, intercepted or satellite")
        })
    }
}

/// Where an item stands. The bytes never change; only what may be done with them does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceState {
    #[default]
    Active,
    /// Withdrawn from use by a tombstone event; the bytes stay until an admin purges them.
    Tombstoned,
}

/// One evidence item as registered. Everything here is fixed at intake except
/// `classification`, `state`, `incidents` and `case`, which change only through custody
/// events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub agency: AgencyId,
    pub ern: Ern,
    pub sha256: Sha256,
    pub size: u64,
    /// Sniffed from the bytes at intake, not taken from the file name.
    pub media_type: String,
    pub original_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_location: Option<Location>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub collector: String,
    #[serde(default)]
    pub method: CollectionMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<IncidentId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    #[serde(default)]
    pub classification: Classification,
    #[serde(default)]
    pub state: EvidenceState,
    /// How the item was collected (tool, machine, time and its source, …); absent on items
    /// registered before the record existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionRecord>,
    /// Set on a derivative: the item it was made from, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<Derivation>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

pub const MAX_ORIGINAL_NAME_CHARS: usize = 1_000;

impl Evidence {
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        check_text(
            &mut p,
            "evidence.original_name",
            &self.original_name,
            false,
            MAX_ORIGINAL_NAME_CHARS,
        );
        check_text(&mut p, "evidence.collector", &self.collector, false, 500);
        check_text(&mut p, "evidence.media_type", &self.media_type, true, 255);
        if let Some(u) = &self.source_url {
            check_text(&mut p, "evidence.source_url", u, true, 8_192);
        }
        if let Some(l) = &self.captured_location {
            l.check("evidence.captured_location", &mut p);
        }
        if let Some(c) = &self.collection {
            c.check("evidence.collection", &mut p);
        }
        if let Some(d) = &self.derived_from {
            d.kind.check("evidence.derived_from", &mut p);
        }
        p.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_round_trips_hex() {
        let h: Sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
            .parse()
            .unwrap();
        assert_eq!(
            h.to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!("e3b0".parse::<Sha256>().is_err());
        assert!("g".repeat(64).parse::<Sha256>().is_err());
    }

    #[test]
    fn ern_formats_and_parses() {
        let e = Ern::new("UAPGO".parse().unwrap(), "12022.100", 42).unwrap();
        assert_eq!(e.to_string(), "UAPGO-12022.100-000042");
        assert_eq!(e.to_string().parse::<Ern>().unwrap(), e);
        assert!("UAPGO-X-1".parse::<Ern>().is_err());
        assert!("UAPGO-X-0000001".parse::<Ern>().is_err());
        assert!(
            "UAPGO-X-000000".parse::<Ern>().is_err(),
            "sequence starts at 1"
        );
        assert!("uapgo-X-000001".parse::<Ern>().is_err());
    }

    #[test]
    fn derivative_erns_carry_their_kind() {
        let e: Ern = "UAPGO-12022.100-000123-R1".parse().unwrap();
        assert_eq!(e.suffix().unwrap().letter, 'R');
        assert_eq!(e.root().to_string(), "UAPGO-12022.100-000123");
        assert_eq!(e.to_string(), "UAPGO-12022.100-000123-R1");
        assert!("UAPGO-X-000001-Q1".parse::<Ern>().is_err());
        assert!("UAPGO-X-000001-R1-T1".parse::<Ern>().is_err());
        assert!("UAPGO-X-000001-".parse::<Ern>().is_err());
    }

    #[test]
    fn case_segment_folds_separators_and_refuses_non_ascii() {
        assert_eq!(
            Ern::case_segment("12022/100-0001").unwrap(),
            "12022.100.0001"
        );
        assert_eq!(Ern::case_segment("jit-2022").unwrap(), "JIT.2022");
        assert!(Ern::case_segment("справа").is_err());
        assert!(Ern::case_segment("").is_err());
    }
}
