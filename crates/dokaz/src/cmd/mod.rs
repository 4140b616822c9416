//! One module per command, each owning its arguments and its output.

pub mod admin;
pub mod case;
pub mod demo;
mod demo_evidence;
pub mod evidence;
pub mod export;
pub mod fsck;
pub mod import;
pub mod import_match;
pub mod incident;
pub mod ingest;
pub mod init;
pub mod interview;
pub mod interview_check;
pub mod ledger;
pub mod matching;
pub mod person;
pub mod serve;
