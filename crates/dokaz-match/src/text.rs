//! Text normalisation and transliteration: the machinery that lets Зеленський, Zelenskyi and
//! Selenskyj meet, for person names, place names and unit designations alike.

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
pub use similarity::{key_similarity, name_similarity, token_similarity, NAME_MATCH_THRESHOLD};
pub use unit_designation::{
    designation_similarity, DesignationReason, UnitDesignation, DESIGNATION_MATCH_THRESHOLD,
};

#[cfg(test)]
mod props;
