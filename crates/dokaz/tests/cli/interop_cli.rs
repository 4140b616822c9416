//! `dokaz import` and `dokaz export` as an agency drives them: a Windows-1251 spreadsheet in
//! through a shipped mapping, a nightly re-sync, a dry run, and exports as users with and
//! without identity clearance — on SQLite and on a real PostgreSQL.

use std::path::{Path, PathBuf};

use crate::common::{dokaz, json, ok};
use dokaz_store_postgres::testing::TestCluster;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dokaz-import/tests/data")
        .join(name)
}

fn counts(v: &serde_json::Value) -> [u64; 4] {
    ["created", "updated", "unchanged", "refused"].map(|k| v[k].as_u64().unwrap())
}

/// Import, re-sync, dry run of an edit, the edit: what every backend must do alike.
fn sync_story(dir: &Path, extra: &[&str]) {
    let file = sample("generic-cp1251.csv");
    let file = file.to_str().unwrap();
    let import = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(extra);
        all.extend_from_slice(&["import", "persons", file, "--mapping", "generic"]);
        all.extend_from_slice(args);
        json(&dokaz(dir, &all))
    };
    let first = import(&[]);
    assert_eq!(counts(&first), [3, 0, 0, 0], "{first}");
    assert_eq!(first["source"], "register");
    assert_eq!(counts(&import(&[])), [0, 0, 3, 0], "the nightly re-sync");
}

#[test]
fn an_agency_brings_its_register_in_and_takes_results_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    ok(&dokaz(&dir, &["init"]));
    sync_story(&dir, &[]);

    // An edited row: the dry run says what would change, per row, and writes nothing.
    let text = std::fs::read(sample("generic.csv")).unwrap();
    let edited = tmp.path().join("register.csv");
    std::fs::write(
        &edited,
        String::from_utf8(text)
            .unwrap()
            .replace(",11.2010,", ",12.11.2010,"),
    )
    .unwrap();
    let edited = edited.to_str().unwrap();
    let dry = ok(&dokaz(
        &dir,
        &[
            "import",
            "persons",
            edited,
            "--mapping",
            "generic",
            "--source",
            "register",
            "--dry-run",
        ],
    ));
    assert!(dry.contains("line 2: unchanged P-17"), "{dry}");
    assert!(dry.contains("line 4: update    P-19 (birth_date)"), "{dry}");
    assert!(
        dry.contains("Dry run persons: created 0, updated 1, unchanged 2, refused 0"),
        "{dry}"
    );
    let done = ok(&dokaz(
        &dir,
        &["import", "persons", edited, "--mapping", "generic"],
    ));
    assert!(
        done.contains("created 0, updated 1, unchanged 2, refused 0"),
        "{done}"
    );

    // Incidents with a formula in a cell, exported for a spreadsheet.
    let incidents = sample("incidents.csv");
    ok(&dokaz(
        &dir,
        &[
            "import",
            "incidents",
            incidents.to_str().unwrap(),
            "--source",
            "register",
        ],
    ));

    // Users: a cleared investigator sees the protected identities, an analyst does not.
    for (login, role, cleared) in [
        ("o.kovalenko", "investigator", true),
        ("a.analyst", "analyst", false),
    ] {
        let mut args = vec!["admin", "user", "add", login, "--role", role];
        if cleared {
            args.push("--identity-cleared");
        }
        ok(&dokaz(&dir, &args));
    }
    let out = tmp.path().join("persons-cleared.csv");
    ok(&dokaz(
        &dir,
        &[
            "export",
            "persons",
            "--as",
            "o.kovalenko",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let cleared = std::fs::read_to_string(&out).unwrap();
    assert!(cleared.contains("Коваленко Олена Петрівна"), "{cleared}");
    assert!(cleared.starts_with("external_id,full_name,"), "{cleared}");
    assert!(
        cleared.contains("P-17,"),
        "external ids to join back: {cleared}"
    );

    let out = tmp.path().join("persons-analyst.jsonl");
    let summary = json(&dokaz(
        &dir,
        &[
            "--json",
            "export",
            "persons",
            "--format",
            "jsonl",
            "--as",
            "a.analyst",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert_eq!(summary["written"], 3);
    assert_eq!(summary["identities_withheld"], 2);
    let analyst = std::fs::read_to_string(&out).unwrap();
    assert!(!analyst.contains("Коваленко"), "{analyst}");
    assert!(
        analyst.contains("Шевчук"),
        "an unprotected person is shown: {analyst}"
    );
    assert!(analyst.contains("\"pseudonym\":\"P-"), "{analyst}");

    let out = tmp.path().join("incidents.csv");
    ok(&dokaz(
        &dir,
        &[
            "export",
            "incidents",
            "--from",
            "2022-03-01",
            "--to",
            "2022-04-01",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains(",'=cmd|"), "a formula cell is escaped: {csv}");
    let out = tmp.path().join("incidents.geojson");
    ok(&dokaz(
        &dir,
        &[
            "export",
            "incidents",
            "--format",
            "geojson",
            "--as",
            "o.kovalenko",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 2);

    // A file that is not valid as a whole is refused, with line, field and reason.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(
        &bad,
        "ID,Прізвище,Дата народження\nP-30,Ткаченко,31.02.1990\n",
    )
    .unwrap();
    let out = dokaz(
        &dir,
        &[
            "import",
            "persons",
            bad.to_str().unwrap(),
            "--mapping",
            "generic",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: Дата народження: \"31.02.1990\" is not a day of the calendar"),
        "{err}"
    );
    assert!(err.contains("Nothing imported"), "{err}");
    // A mapping for another kind is refused before anything is read.
    let out = dokaz(
        &dir,
        &[
            "import",
            "units",
            bad.to_str().unwrap(),
            "--mapping",
            "atlos",
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the mapping is for incidents, not units")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_sync_on_postgresql() {
    let url = TestCluster::shared().await.fresh_database().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pg-node");
    tokio::task::spawn_blocking(move || {
        ok(&dokaz(&dir, &["--database-url", &url, "init"]));
        sync_story(&dir, &[]);
    })
    .await
    .unwrap();
}
