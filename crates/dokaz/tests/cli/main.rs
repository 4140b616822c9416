//! The command line as users drive it: the real binary on real data directories, on SQLite and
//! on a real PostgreSQL. One test binary, so that the command-line tests link once.

mod common;

mod cli;
mod evidence_match_cli;
mod import_match;
mod interop_cli;
mod labelled;
mod ledger_verify;
mod match_eval;
mod matches_cli;
mod provenance_cli;
mod serve;
mod vault_cli;
