//! The vault commands as an operator drives them — `init`, `ingest`, `ledger
//! checkpoint|prove|consistency`, `fsck` — with the real binary on a real data directory, on
//! SQLite and on PostgreSQL. Every checkpoint and proof the binary prints is checked here
//! with `dokaz_ledger` and the node's public key alone, as a third party would.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

use crate::common::{dokaz, json, ok, text};
use dokaz_ledger::{verify_consistency, Checkpoint, Hash, Verifier};
use dokaz_store_postgres::testing::TestCluster;
use serde_json::Value;

/// The SHA-256 of a file, by coreutils: an implementation that is not ours.
fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// Bytes that differ per file and are not all alike.
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[i % 4] ^ seed)
        .collect()
}

fn verifier(dir: &Path) -> Verifier {
    let vkey = std::fs::read_to_string(dir.join("node.vkey")).unwrap();
    Verifier::parse(vkey.trim()).unwrap()
}

/// The latest checkpoint as printed, opened with the node's public key only.
fn checkpoint(dir: &Path) -> Checkpoint {
    let note = ok(&dokaz(dir, &["ledger", "checkpoint"]));
    let v = verifier(dir);
    let (cp, _) = Checkpoint::open(note.as_bytes(), v.name(), &v)
        .unwrap_or_else(|e| panic!("the checkpoint does not verify: {e}\n{note}"));
    cp
}

fn hashes(list: &Value) -> Vec<Hash> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|h| Hash::from_hex(h.as_str().unwrap()).unwrap())
        .collect()
}

/// One story on a node at `dir` made with `init_args`.
fn story(dir: &Path, init_args: &[&str]) {
    ok(&dokaz(dir, init_args));
    let files = dir.parent().unwrap().join("files");
    let folder = files.join("folder");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    let a = files.join("a.bin");
    std::fs::write(&a, bytes(1, 200_000)).unwrap();
    std::fs::write(folder.join("b.txt"), "witness statement, typed\n").unwrap();
    std::fs::write(folder.join("c.bin"), bytes(3, 70_000)).unwrap();
    std::fs::write(folder.join("nested").join("d.bin"), bytes(4, 1)).unwrap();

    // Files and a folder (walked), each with its ERN and hash.
    let paths = [a.to_str().unwrap(), folder.to_str().unwrap()];
    let summary = json(&dokaz(dir, &[&["--json", "ingest"][..], &paths].concat()));
    assert_eq!(
        (&summary["new"], &summary["duplicate"], &summary["failed"]),
        (&Value::from(4), &Value::from(0), &Value::from(0)),
        "{summary}"
    );
    let items = summary["items"].as_array().unwrap();
    for item in items {
        let file = Path::new(item["file"].as_str().unwrap());
        assert_eq!(item["sha256"].as_str().unwrap(), sha256sum(file), "{item}");
        assert!(item["ern"].as_str().unwrap().contains("-GEN-"), "{item}");
    }
    let item_a = items
        .iter()
        .find(|i| i["file"] == a.to_str().unwrap())
        .unwrap();
    let ern_a = item_a["ern"].as_str().unwrap().to_owned();
    let sha_a = item_a["sha256"].as_str().unwrap().to_owned();
    let size_1 = checkpoint(dir).size();

    // The same bytes again: recorded on the first item, no new ERN.
    let copy = files.join("copy of a.bin");
    std::fs::copy(&a, &copy).unwrap();
    let dup = json(&dokaz(dir, &["--json", "ingest", copy.to_str().unwrap()]));
    assert_eq!(
        (&dup["new"], &dup["duplicate"]),
        (&Value::from(0), &Value::from(1))
    );
    assert_eq!(dup["items"][0]["duplicate_of"], ern_a.as_str());
    assert_eq!(dup["items"][0]["ern"], ern_a.as_str());

    // A declared hash that does not match: refused with both hashes, nothing written.
    let e = files.join("e.bin");
    std::fs::write(&e, bytes(5, 10_000)).unwrap();
    let wrong = sha256sum(&a);
    let before = checkpoint(dir).size();
    let out = dokaz(
        dir,
        &["--json", "ingest", "--sha256", &wrong, e.to_str().unwrap()],
    );
    assert!(!out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains(&wrong) && shown.contains(&sha256sum(&e)),
        "{shown}"
    );
    let refused: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(refused["failed"], 1);
    assert_eq!(checkpoint(dir).size(), before, "no ledger entry");
    let e_sha = sha256sum(&e);
    let e_blob = dir
        .join("blobs/sha256")
        .join(&e_sha[..2])
        .join(&e_sha[2..4])
        .join(&e_sha);
    assert!(!e_blob.exists(), "no blob");

    // An item's proof verifies against the signed checkpoint with the public key alone.
    let proof = json(&dokaz(dir, &["ledger", "prove", &ern_a]));
    let item: dokaz_vault::ItemProof = serde_json::from_value(proof).unwrap();
    assert_eq!(item.entries.len(), 2, "intake and duplicate intake");
    let v = verifier(dir);
    item.verify(v.name(), &v).unwrap();

    // The log only grows: the checkpoint after ingest extends the earlier one.
    let cp = checkpoint(dir);
    assert!(cp.size() > size_1);
    let (old, new) = (size_1.to_string(), cp.size().to_string());
    let c = json(&dokaz(dir, &["ledger", "consistency", &old, &new]));
    assert_eq!(c["new_root"].as_str().unwrap(), cp.root().to_hex());
    let (r1, r2) = (
        Hash::from_hex(c["old_root"].as_str().unwrap()).unwrap(),
        Hash::from_hex(c["new_root"].as_str().unwrap()).unwrap(),
    );
    verify_consistency(size_1, cp.size(), &r1, &r2, &hashes(&c["proof"])).unwrap();
    let bad = Hash::from_hex(&sha_a).unwrap();
    assert!(verify_consistency(size_1, cp.size(), &bad, &r2, &hashes(&c["proof"])).is_err());

    // fsck: clean, then one flipped byte in a blob is found and named by its item.
    let out = ok(&dokaz(dir, &["fsck"]));
    assert!(out.contains("No problems found."), "{out}");
    let blob = dir
        .join("blobs/sha256")
        .join(&sha_a[..2])
        .join(&sha_a[2..4])
        .join(&sha_a);
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    perms.set_mode(0o600);
    std::fs::set_permissions(&blob, perms).unwrap();
    let mut content = std::fs::read(&blob).unwrap();
    content[1234] ^= 0x01;
    std::fs::write(&blob, content).unwrap();
    let out = dokaz(dir, &["fsck"]);
    assert!(!out.status.success(), "fsck must fail: {}", text(&out));
    assert!(
        text(&out).contains(&ern_a),
        "names the item: {}",
        text(&out)
    );
    let out = dokaz(dir, &["--json", "fsck"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["ern"] == ern_a.as_str()),
        "{report}"
    );
}

#[test]
fn ingest_prove_and_fsck_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    story(&tmp.path().join("node"), &["init"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_prove_and_fsck_on_postgresql() {
    let url = TestCluster::shared().await.fresh_database().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pg-node");
    tokio::task::spawn_blocking(move || story(&dir, &["--database-url", &url, "init"]))
        .await
        .unwrap();
}
