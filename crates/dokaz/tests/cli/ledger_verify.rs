//! `dokaz ledger verify`: a third party's offline check of what a node publishes — the
//! checkpoint, the tiles and an item's proof — with nothing but those files and the key.

use crate::common::{ok, run};
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn published_files_verify_offline_and_tampering_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let node = tmp.path().join("node");
    let d = s(&node);
    ok(&run(&["--data-dir", d, "init"]));
    let file = tmp.path().join("statement.txt");
    std::fs::write(&file, "Свідчення: обстріл о 10:15, двоє загиблих.\n").unwrap();
    let out = ok(&run(&["--data-dir", d, "--json", "ingest", s(&file)]));
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ern = summary["items"][0]["ern"].as_str().unwrap().to_owned();
    let proof = tmp.path().join("proof.json");
    std::fs::write(
        &proof,
        ok(&run(&["--data-dir", d, "ledger", "prove", &ern])),
    )
    .unwrap();

    // Only public files from here on: no --data-dir, no database.
    let key = node.join("node.vkey");
    let log = node.join("blobs").join("log");
    let checkpoint = log.join("checkpoint");
    let out = ok(&run(&[
        "--json",
        "ledger",
        "verify",
        "--key",
        s(&key),
        "--checkpoint",
        s(&checkpoint),
        "--tiles",
        s(&log),
        "--proof",
        s(&proof),
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["size"], 1);
    assert_eq!(v["entries_checked"], 1);
    assert!(v["item"].as_str().unwrap().starts_with(&ern));

    // A checkpoint claiming another size no longer verifies.
    let text = std::fs::read_to_string(&checkpoint).unwrap();
    let forged = tmp.path().join("forged");
    std::fs::write(&forged, text.replacen("\n1\n", "\n2\n", 1)).unwrap();
    let out = run(&[
        "ledger",
        "verify",
        "--key",
        s(&key),
        "--checkpoint",
        s(&forged),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not verify"));

    // An entry bundle edited in the published tiles is found.
    let bundle = walk(&log.join("tile").join("entries"));
    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bundle, bytes).unwrap();
    let out = run(&[
        "ledger",
        "verify",
        "--key",
        s(&key),
        "--checkpoint",
        s(&checkpoint),
        "--tiles",
        s(&log),
    ]);
    assert!(!out.status.success(), "a changed entry must not verify");
}

/// The one file under `dir`.
fn walk(dir: &Path) -> std::path::PathBuf {
    let mut p = dir.to_path_buf();
    while p.is_dir() {
        p = std::fs::read_dir(&p)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
    }
    p
}
