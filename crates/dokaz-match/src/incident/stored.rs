//! An incident's features as bytes, filed beside its blocking keys: matching a new record
//! against its candidates then reads a few hundred bytes per candidate instead of the whole
//! record, and skips folding its narratives again — at a million stored incidents, loading
//! and folding the candidates of a busy place took most of the time of a match.
//!
//! Postcard (compact, serde) behind a version byte. The bytes are a cache of what
//! [`IncidentFeatures::new`] computes from the record, never a source of truth: a version
//! this build does not know, or bytes it cannot read, make the caller read the record
//! instead, and `dokaz match run` files them again.

use super::IncidentFeatures;

/// Raise it whenever the layout of [`IncidentFeatures`] or of any type in it changes, or
/// what [`IncidentFeatures::new`] computes from a record does (normalisation, gazetteer):
/// features filed by an older build are then ignored until `dokaz match run` refiles them.
/// The test `the_stored_layout_is_pinned` fails first, as a reminder.
pub const STORED_VERSION: u8 = 1;

impl IncidentFeatures {
    /// The bytes to file for this record.
    pub fn to_stored(&self) -> Vec<u8> {
        postcard::to_extend(self, vec![STORED_VERSION]).expect("incident features serialise")
    }

    /// The features filed as `bytes`, if this build wrote them.
    pub fn from_stored(bytes: &[u8]) -> Option<Self> {
        match bytes.split_first() {
            Some((&STORED_VERSION, rest)) => postcard::from_bytes(rest).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use dokaz_model::Coordinates;

    use super::*;

    /// The demo's incidents: every kind of place, time precision, harm and narrative.
    fn demo_features() -> Vec<IncidentFeatures> {
        let spec = dokaz_demo::DemoSpec {
            incidents: 300,
            persons: 0,
            units: 0,
            ..dokaz_demo::DemoSpec::default()
        };
        dokaz_demo::generate(&spec)
            .incidents
            .iter()
            .map(IncidentFeatures::new)
            .collect()
    }

    #[test]
    fn features_come_back_as_they_were_filed() {
        let all = demo_features();
        assert!(all.iter().any(|f| f.killed.is_some()) && all.iter().any(|f| f.killed.is_none()));
        for f in all {
            assert!(!f.words.is_empty(), "the demo's records have words to keep");
            assert_eq!(IncidentFeatures::from_stored(&f.to_stored()), Some(f));
        }
    }

    #[test]
    fn bytes_of_another_version_or_damaged_are_not_read() {
        let f = demo_features().swap_remove(0);
        let mut other = f.to_stored();
        other[0] = STORED_VERSION + 1;
        assert_eq!(IncidentFeatures::from_stored(&other), None);
        let good = f.to_stored();
        assert_eq!(IncidentFeatures::from_stored(&good[..good.len() / 2]), None);
        assert_eq!(IncidentFeatures::from_stored(&[]), None);
    }

    /// The bytes of one fixed record. When this fails the layout changed: raise
    /// `STORED_VERSION`, then update the expected bytes.
    #[test]
    fn the_stored_layout_is_pinned() {
        let mut f = IncidentFeatures::bare(
            Some(Coordinates {
                lat: 50.5438,
                lon: 30.2127,
            }),
            250.0,
            1_648_000_000,
            1_648_086_400,
        );
        f.id = dokaz_model::IncidentId::from_uuid(uuid::Uuid::from_u128(1));
        f.agency = dokaz_model::AgencyId::from_uuid(uuid::Uuid::from_u128(2));
        f.killed = Some(3);
        f.words = vec![7, 300];
        f.entities = vec![u64::MAX];
        let bytes = f.to_stored();
        assert_eq!(
            hex(&bytes),
            "011000000000000000000000000000000001100000000000000000000000000000000201014bc8073d9b\
             454940f5dbd78173363e400000000000406f4008d0b1d183d187d0b080f0d3a30c80b6dea30c000000\
             00000103000207ac0201ffffffffffffffffff01",
            "layout of version {STORED_VERSION}"
        );
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
