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
pub use key::latin_key;
pub use similarity::{key_similarity, name_similarity, token_similarity, NAME_MATCH_THRESHOLD};

#[cfg(test)]
mod props;
