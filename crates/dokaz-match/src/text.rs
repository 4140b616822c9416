//! Text normalisation and transliteration: the machinery that lets Зеленський, Zelenskyi and
//! Selenskyj meet, for person names, place names and unit designations alike.
//!
//! - [`fold`]: one lowercase spelling within a script (NFKC, apostrophes, Latin accents).
//! - [`translit`]: the official romanisations (Ukrainian 2010; Russian GOST, BGN/PCGN, ICAO).
//! - [`latin_key`]: the cross-script matching key; [`skeleton`], its coarser form for
//!   blocking; [`name_similarity`] / [`key_similarity`] score two names against
//!   [`NAME_MATCH_THRESHOLD`].
//! - [`given`]: given names, their variants and diminutives; [`person_name`]: whole names
//!   split into parts and compared part by part.
//! - [`place`]: place names resolved through the embedded gazetteer.
//! - [`unit_designation`]: military unit numbers, ordinals, echelons and branches.
//!
//! Callers should key the raw text (`latin_key(raw)`), not folded text: folding strips the
//! Latin accents that tell ż (ж) from z.

mod fold;
pub mod given;
mod key;
pub mod person_name;
pub mod place;
mod similarity;
pub mod translit;
pub mod unit_designation;

pub use fold::fold;
pub use given::{canonical_given, compare_given_keys, given_readings, GivenRelation};
pub use key::{latin_key, skeleton};
pub use person_name::{compare_name_keys, NameComparison, NameKey};
pub use place::{place_key, PlaceIndex};
pub(crate) use similarity::{jaro_winkler_str, Letters};
pub use similarity::{key_similarity, name_similarity, token_similarity, NAME_MATCH_THRESHOLD};
pub use unit_designation::{
    designation_similarity, DesignationReason, UnitDesignation, DESIGNATION_MATCH_THRESHOLD,
};

#[cfg(test)]
mod props;
