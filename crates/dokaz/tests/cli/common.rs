//! Running the real `dokaz` binary, as every test here does: with no database or data
//! directory inherited from the environment of whoever runs the tests.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `dokaz ARGS…` with nothing taken from the caller's environment.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dokaz"))
        .args(args)
        .env_remove("DOKAZ_DATABASE_URL")
        .env_remove("DOKAZ_DATA_DIR")
        .env_remove("DOKAZ_AS")
        .output()
        .expect("run dokaz")
}

/// `dokaz --data-dir DIR ARGS…`.
pub fn dokaz(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_str().expect("a UTF-8 temporary path");
    let mut all = vec!["--data-dir", dir];
    all.extend_from_slice(args);
    run(&all)
}

/// Standard output and standard error, for messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The standard output of a run that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert!(out.status.success(), "dokaz failed: {}", text(out));
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

/// The JSON a run that must have succeeded printed.
pub fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}
