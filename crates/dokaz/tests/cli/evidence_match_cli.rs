//! Evidence matching from the command line, with the real binary on a real data directory:
//! a file `dokaz ingest`ed by two agencies becomes one `evidence` match that both agencies
//! list, with its reason.

use crate::common::{dokaz, json, ok};

#[test]
fn the_same_file_ingested_by_two_agencies_is_a_match_for_both() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    ok(&dokaz(&dir, &["init"]));
    ok(&dokaz(
        &dir,
        &["admin", "agency", "add", "JITEU", "--name", "Joint Team"],
    ));
    for (login, agency) in [("anna", "UAPGO"), ("bruno", "JITEU")] {
        ok(&dokaz(
            &dir,
            &[
                "admin",
                "user",
                "add",
                login,
                "--role",
                "investigator",
                "--agency",
                agency,
            ],
        ));
    }
    let file = tmp.path().join("report.pdf");
    std::fs::write(&file, b"%PDF-1.7\nreport on the strike\n%%EOF\n".repeat(20)).unwrap();
    let file = file.to_str().unwrap();

    let first = json(&dokaz(
        &dir,
        &["--json", "ingest", "--agency", "UAPGO", file],
    ));
    assert!(first["items"][0].get("matches").is_none(), "{first}");
    let second = json(&dokaz(
        &dir,
        &["--json", "ingest", "--agency", "JITEU", file],
    ));
    assert_eq!(second["items"][0]["matches"], 1, "{second}");

    for (login, other) in [("anna", "JITEU"), ("bruno", "UAPGO")] {
        let page = json(&dokaz(&dir, &["--json", "match", "list", "--as", login]));
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{page}");
        assert_eq!(items[0]["kind"], "evidence", "{page}");
        assert_eq!(items[0]["other"]["agency"]["code"], other, "{page}");
        assert_eq!(
            items[0]["reasons"], "identical file (same SHA-256)",
            "{page}"
        );
    }
}
