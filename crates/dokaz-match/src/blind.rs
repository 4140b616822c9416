//! Blind matching of sealed records. A sealed record never leaves its agency in the clear:
//! it takes part through keyed encodings only — HMAC tokens of its blocking keys and of
//! exact values (a birth date, a weapon code), and Bloom-filter encodings of name bigrams
//! and narrative words whose bit positions are keyed too. Comparing two encodings gives the
//! same [`Level`](crate::weights::Level)s as comparing the records, so one set of weights and
//! thresholds serves both, and the other agency is told only "agency X holds a matching
//! record".
//!
//! What an honest-but-curious operator holding the encodings (but not the deployment's
//! matching key) can and cannot learn is set out in the README ("Blind matching").

mod bloom;
mod incident;
mod person;
mod unit;

pub use bloom::Bloom;
pub use incident::BlindIncident;
pub use person::BlindPerson;
pub use unit::BlindUnit;
