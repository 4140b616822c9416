//! HTTP tests against a real server on 127.0.0.1:0, each scenario on SQLite and PostgreSQL.
//! One test binary, so the shared harness is compiled once.

mod common;

mod access;
mod auth;
mod consent;
mod evidence;
mod input;
mod interop;
mod interview_check;
mod matches;
mod openapi;
mod property;
mod record_cache;
