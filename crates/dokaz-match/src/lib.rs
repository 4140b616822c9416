//! Deconfliction: finding the records of different agencies that describe the same incident,
//! person, unit or piece of media, so that no two agencies investigate the same event or
//! interview the same witness without knowing of each other.
//!
//! The crate is pure computation — no I/O, no SQL — so that the same code scores pairs in the
//! server's incremental path, in `dokaz match run`, in `dokaz match eval`, and in benchmarks.
#![forbid(unsafe_code)]

pub mod text;
