//! Provenance from the command line, with the real binary on a real data directory: a
//! collection record with a page's HTML and screenshot, a declared hash that refuses
//! everything, a translation and the family it joins (with "translation missing" until it
//! exists), consent recorded, shown and withdrawn, and an interview in the register.

use std::path::Path;
use std::process::Command;

use crate::common::{dokaz, json, ok, text};
use chrono::Utc;
use dokaz_model::{
    AgencyCode, Case, CaseId, CaseStatus, Classification, Person, PersonId, PersonName, PersonRole,
};
use dokaz_store::{AgencyStore, CaseStore, PersonStore, Store};
use dokaz_store_sqlite::SqliteStore;

fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// A person and a case (working in English) of the node's agency, written straight to the
/// registry: the command line has no `person add` or `case add` yet.
async fn registry(dir: &Path) -> (PersonId, String) {
    let url = format!("sqlite://{}", dir.join("dokaz.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    let agency = store
        .agency_by_code(&"UAPGO".parse::<AgencyCode>().unwrap())
        .await
        .unwrap();
    let now = Utc::now();
    let person = Person {
        id: PersonId::new(),
        agency: agency.id,
        roles: vec![PersonRole::Witness],
        names: vec![PersonName {
            full: "Коваленко Олена Петрівна".into(),
            ..Default::default()
        }],
        birth_date: None,
        sex: Default::default(),
        citizenship: vec!["UA".into()],
        place_of_origin: String::new(),
        protected: true,
        classification: Classification::Restricted,
        created_at: now,
        updated_at: now,
    };
    store.create_person(&person).await.unwrap();
    let case = Case {
        id: CaseId::new(),
        agency: agency.id,
        reference: "12022100000000123".into(),
        title: "Mariupol maternity hospital".into(),
        status: CaseStatus::Open,
        lead: None,
        incidents: vec![],
        suspects: vec![],
        working_languages: vec!["en".into()],
        classification: Classification::Restricted,
        created_at: now,
        updated_at: now,
    };
    store.create_case(&case).await.unwrap();
    store.close().await;
    (person.id, case.reference)
}

#[test]
fn collection_derivatives_consent_and_interviews() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    ok(&dokaz(&dir, &["init"]));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (person, case) = rt.block_on(registry(&dir));
    let files = tmp.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let statement = files.join("statement.txt");
    std::fs::write(
        &statement,
        "Свідок: о 06:40 колона техніки пройшла селом.\n",
    )
    .unwrap();
    let html = files.join("post.html");
    std::fs::write(&html, "<html><title>Пост</title></html>\n").unwrap();
    let shot = files.join("post.png");
    std::fs::write(&shot, b"\x89PNG\r\n\x1a\n not really a png").unwrap();

    // A wrong declared hash: refused with both hashes, nothing stored — not even the
    // page's HTML and screenshot.
    let wrong = sha256sum(&html);
    let right = sha256sum(&statement);
    let out = dokaz(
        &dir,
        &[
            "ingest",
            statement.to_str().unwrap(),
            "--sha256",
            &wrong,
            "--html",
            html.to_str().unwrap(),
            "--screenshot",
            shot.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(msg.contains(&wrong) && msg.contains(&right), "{msg}");
    let blobs = dir.join("blobs").join("sha256");
    let stored = std::fs::read_dir(&blobs).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "no blob");
    let ledger = ok(&dokaz(&dir, &["ledger", "checkpoint"]));
    assert!(
        ledger.lines().nth(1) == Some("0"),
        "no ledger entry: {ledger}"
    );

    // The same with the right hash and a full collection record.
    let person_s = person.to_string();
    let summary = json(&dokaz(
        &dir,
        &[
            "--json",
            "ingest",
            statement.to_str().unwrap(),
            "--case",
            &case,
            "--sha256",
            &right,
            "--method",
            "testimony",
            "--tool",
            "auto-archiver",
            "--tool-version",
            "0.11.2",
            "--host",
            "10.0.4.17",
            "--collected-at",
            "2022-03-09 10:40",
            "--clock-source",
            "network",
            "--source-url",
            "https://t.me/example/1",
            "--page-title",
            "Пост",
            "--html",
            html.to_str().unwrap(),
            "--screenshot",
            shot.to_str().unwrap(),
            "--lang",
            "uk",
            "--statement-by",
            &person_s,
        ],
    ));
    assert_eq!(summary["new"], 1, "{summary}");
    let ern = summary["items"][0]["ern"].as_str().unwrap().to_owned();
    assert_eq!(
        ern, "UAPGO-12022100000000123-000003",
        "after the HTML and screenshot"
    );

    // Family: the original alone, in Ukrainian in an English case — translation missing.
    let fam = json(&dokaz(&dir, &["--json", "evidence", "family", &ern]));
    let members = fam["members"].as_array().unwrap();
    assert_eq!(members.len(), 1);
    let c = &members[0]["evidence"]["collection"];
    assert_eq!(c["tool"], "auto-archiver");
    assert_eq!(c["clock_source"], "network");
    assert_eq!(c["collected_at"], "2022-03-09T10:40:00Z");
    assert_eq!(c["declared_sha256"], right.as_str());
    assert_eq!(c["html"], "UAPGO-12022100000000123-000001");
    assert_eq!(c["screenshot"], "UAPGO-12022100000000123-000002");
    assert_eq!(c["statement_by"], person_s.as_str());
    assert_eq!(members[0]["translation_missing"], true);

    // A translation: its own ERN with the T suffix; the original unchanged.
    let en = files.join("statement.en.txt");
    std::fs::write(&en, "Witness: at 06:40 a column of vehicles passed.\n").unwrap();
    let d = json(&dokaz(
        &dir,
        &[
            "--json",
            "evidence",
            "derive",
            &ern,
            en.to_str().unwrap(),
            "--kind",
            "translation",
            "--lang",
            "en",
            "--collector",
            "Translator T. Shevchuk",
        ],
    ));
    assert_eq!(d["ern"], format!("{ern}-T1"));
    assert_eq!(d["sha256"], sha256sum(&en));
    let out = dokaz(
        &dir,
        &[
            "evidence",
            "derive",
            &ern,
            en.to_str().unwrap(),
            "--kind",
            "translation",
        ],
    );
    assert!(
        !out.status.success() && text(&out).contains("--lang"),
        "{}",
        text(&out)
    );
    let fam = json(&dokaz(
        &dir,
        &["--json", "evidence", "family", &format!("{ern}-T1")],
    ));
    let members = fam["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        members[0]["translation_missing"], false,
        "a translation exists"
    );
    assert_eq!(
        members[1]["evidence"]["derived_from"]["kind"],
        "translation"
    );
    assert_eq!(
        members[1]["evidence"]["derived_from"]["original_ern"],
        ern.as_str()
    );
    let table = ok(&dokaz(&dir, &["evidence", "family", &ern]));
    assert!(
        table.contains("translation") && table.contains(&format!("{ern}-T1")),
        "{table}"
    );

    // Consent: recorded, shown, withdrawn once.
    let c = json(&dokaz(
        &dir,
        &[
            "--json",
            "person",
            "consent",
            "add",
            &person_s,
            "--purpose",
            "investigation",
            "--purpose",
            "prosecution",
            "--recipient",
            "icc",
            "--recipient",
            "agency:UAPGO",
            "--no-identity",
            "--given-on",
            "2024-05-01",
            "--recorded-by",
            "Investigator O. Kovalenko",
        ],
    ));
    let id = c["id"].as_str().unwrap().to_owned();
    let shown = ok(&dokaz(&dir, &["person", "consent", "show", &person_s]));
    assert!(
        shown.contains("in force") && shown.contains("icc,agency:UAPGO"),
        "{shown}"
    );
    let w = json(&dokaz(
        &dir,
        &[
            "--json",
            "person",
            "consent",
            "withdraw",
            &id,
            "--recorded-by",
            "O. Kovalenko",
        ],
    ));
    assert_eq!(w["withdrawn_on"], Utc::now().date_naive().to_string());
    let again = dokaz(
        &dir,
        &["person", "consent", "withdraw", &id, "--recorded-by", "x"],
    );
    assert!(!again.status.success() && text(&again).contains("already withdrawn"));
    let shown = ok(&dokaz(&dir, &["person", "consent", "show", &person_s]));
    assert!(shown.contains("withdrawn"), "{shown}");

    // An interview: codes only.
    let i = json(&dokaz(
        &dir,
        &[
            "--json",
            "interview",
            "add",
            "--person",
            &person_s,
            "--date",
            "2024-05-02",
            "--role",
            "investigator",
            "--topic",
            "rs-7-1-d",
            "--topic",
            "filtration",
        ],
    ));
    assert_eq!(i["topics"], serde_json::json!(["rs-7-1-d", "filtration"]));
    let bad = dokaz(
        &dir,
        &[
            "interview",
            "add",
            "--person",
            &person_s,
            "--date",
            "2024-05-02",
            "--role",
            "investigator",
            "--topic",
            "she described the filtration camp",
        ],
    );
    assert!(
        !bad.status.success() && text(&bad).contains("interview.topics[0]"),
        "{}",
        text(&bad)
    );
}
