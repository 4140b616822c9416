//! The command line as a user drives it: the real binary on a real data directory, on SQLite
//! and on a real PostgreSQL.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Output;

use crate::common::{dokaz, ok};
use dokaz_store_postgres::testing::TestCluster;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn count(dir: &Path) -> usize {
    let out = ok(&dokaz(
        dir,
        &["--json", "incident", "list", "--limit", "1000"],
    ));
    let page: serde_json::Value = serde_json::from_str(&out).unwrap();
    page["items"].as_array().unwrap().len()
}

#[test]
fn init_makes_a_private_node_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    let out = ok(&dokaz(&dir, &["--json", "init", "--agency-code", "JITUA"]));
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(created["one_time_password"].as_str().unwrap().len(), 20);
    let key_mode = std::fs::metadata(dir.join("node.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600, "the signing key is private");
    let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o077, 0, "the data directory is private");
    assert!(dir.join("dokaz.db").exists() && dir.join("blobs").is_dir());

    let again = dokaz(&dir, &["init"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already holds a dokaz node"));
}

#[test]
fn commands_before_init_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let out = dokaz(tmp.path(), &["incident", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("dokaz init"), "{}", stderr(&out));
}

#[test]
fn add_show_and_list_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(&dokaz(dir, &["init"]));
    let out = ok(&dokaz(
        dir,
        &[
            "--json",
            "incident",
            "add",
            "--title",
            "Удар по пологовому будинку",
            "--occurred",
            "2022-03-09 10:15",
            "--lat",
            "47.0951",
            "--lon",
            "37.5413",
            "--crime",
            "rs-8-2-b-ix;ua-cc-438",
            "--weapon",
            "air-dropped-bomb",
            "--object",
            "maternity-ward",
            "--killed",
            "3",
            "--children",
            "1",
            "--reference",
            "MRP-1",
        ],
    ));
    let added: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        added["crimes"],
        serde_json::json!(["rs-8-2-b-ix", "ua-cc-438"])
    );
    assert_eq!(added["occurred"]["precision"], "minute");

    let doc = tmp.path().join("incident.json");
    std::fs::write(
        &doc,
        r#"{"title":"Shelling of Kharkiv","occurred":{"start":"2022-03-01T08:00:00Z"},
            "location":{"coordinates":{"lat":49.99,"lon":36.23},"place_name":"Харків"},
            "crimes":["rs-8-2-b-i"]}"#,
    )
    .unwrap();
    ok(&dokaz(
        dir,
        &["incident", "add", "--file", doc.to_str().unwrap()],
    ));
    assert_eq!(count(dir), 2);

    let shown = ok(&dokaz(dir, &["--json", "incident", "show", "MRP-1"]));
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["id"], added["id"]);
    let table = ok(&dokaz(dir, &["incident", "list"]));
    assert!(table.contains("Удар по пологовому будинку"), "{table}");
}

#[test]
fn a_bad_incident_is_refused_with_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(&dokaz(dir, &["init"]));
    let out = dokaz(
        dir,
        &[
            "incident",
            "add",
            "--title",
            " ",
            "--occurred",
            "2022-02-30",
            "--lat",
            "123",
            "--lon",
            "30",
            "--crime",
            "rs-99",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    for field in ["occurred_at", "crime", "title", "lat"] {
        assert!(
            err.contains(&format!("{field}:")),
            "{field} not named in: {err}"
        );
    }
    assert_eq!(count(dir), 0, "nothing written");
}

#[test]
fn an_import_with_bad_rows_writes_nothing_unless_told_to_skip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(&dokaz(dir, &["init"]));
    let csv = tmp.path().join("in.csv");
    std::fs::write(
        &csv,
        "title,occurred_at,lat,lon,crime\n\
         Good one,2022-04-01,50.45,30.52,rs-8-2-b-i\n\
         Bad date,2022-13-01,50.45,30.52,rs-8-2-b-i\n\
         Bad lat,2022-04-02,123,30.52,rs-8-2-b-i\n\
         Good two,2022-04-03,,,ua-cc-438\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let out = dokaz(dir, &["import", "incidents", path]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("line 3: occurred_at"), "{err}");
    assert!(err.contains("line 4: lat"), "{err}");
    assert!(err.contains("Nothing imported"), "{err}");
    assert_eq!(count(dir), 0);

    let out = ok(&dokaz(
        dir,
        &["--json", "import", "incidents", path, "--skip-invalid"],
    ));
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["imported"], 2);
    assert_eq!(summary["invalid"], 2);
    assert_eq!(count(dir), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_commands_work_on_postgresql() {
    let url = TestCluster::shared().await.fresh_database().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pg-node");
    let csv = tmp.path().join("in.csv");
    std::fs::write(
        &csv,
        "title,occurred_at,lat,lon,crime,reference\n\
         Shelling,2022-04-01,50.45,30.52,rs-8-2-b-i,A-1\n\
         Обстріл,2022-04-02,49.99,36.23,rs-8-2-b-ii,A-2\n",
    )
    .unwrap();
    let d = dir.clone();
    let path = csv.to_str().unwrap().to_owned();
    tokio::task::spawn_blocking(move || {
        ok(&dokaz(&d, &["--database-url", &url, "init"]));
        let toml = std::fs::read_to_string(d.join("dokaz.toml")).unwrap();
        assert!(
            toml.contains("postgres://"),
            "the node remembers its database"
        );
        ok(&dokaz(&d, &["import", "incidents", &path]));
        assert_eq!(count(&d), 2);
        let shown = ok(&dokaz(&d, &["--json", "incident", "show", "A-2"]));
        assert!(shown.contains("Обстріл"));
    })
    .await
    .unwrap();
}

#[test]
fn the_demo_makes_a_node_with_agencies_overlaps_and_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = ok(&dokaz(
        &dir,
        &[
            "--json",
            "demo",
            "--incidents",
            "300",
            "--persons",
            "60",
            "--agencies",
            "3",
        ],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["agencies"].as_array().unwrap().len(), 3);
    let incidents: u64 = report["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["incidents"].as_u64().unwrap())
        .sum();
    assert_eq!(incidents, 300);
    assert!(report["overlaps"]["incidents"].as_u64().unwrap() > 0);
    assert!(report["evidence"].as_u64().unwrap() > 0);
    assert_eq!(count(&dir), 300);
    ok(&dokaz(&dir, &["fsck"]));
    let again = dokaz(&dir, &["demo"]);
    assert!(
        !again.status.success(),
        "a second demo never overwrites a node"
    );
}
