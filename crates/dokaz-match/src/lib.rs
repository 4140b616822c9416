//! Deconfliction: finding the records of different agencies that describe the same incident,
//! person, unit or piece of media, so that no two agencies investigate the same event or
//! interview the same witness without knowing of each other.
//!
//! The crate is pure computation — no I/O, no SQL — so that the same code scores pairs in the
//! server's incremental path, in `dokaz match run`, in `dokaz match eval`, and in benchmarks.
#![forbid(unsafe_code)]

pub mod batch;
pub mod blind;
pub mod block;
pub mod calibrate;
pub mod engine;
pub mod eval;
pub mod evaluate;
pub mod evidence;
pub mod geo;
pub mod incident;
pub mod incident_keys;
pub mod keys;
pub mod person;
pub mod signal;
pub mod text;
pub mod tokens;
pub mod unit;
pub mod weights;
