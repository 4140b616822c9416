//! Reviewing deconfliction matches from the command line, with the real binary on a real
//! data directory: each agency lists its own matches, a sealed side shows only its agency, a
//! third agency finds nothing, a dismissal needs a reason, each side decides for itself and
//! every decision is in the audit log. Matches are written straight to the registry, as the
//! matcher would.

use std::path::Path;

use crate::common::{dokaz, json, ok, text};
use chrono::Utc;
use dokaz_model::{AgencyCode, Match, MatchKind, MatchSide};
use dokaz_store::{AgencyStore, AuditFilter, AuditStore, MatchStore, PageRequest, Store};
use dokaz_store_sqlite::SqliteStore;
use uuid::Uuid;

async fn store(dir: &Path) -> SqliteStore {
    let url = format!("sqlite://{}", dir.join("dokaz.db").display());
    SqliteStore::open(&url).await.unwrap()
}

/// An open match and one whose JITEU side is sealed, between UAPGO and JITEU records.
async fn matches(dir: &Path) -> (String, String, Uuid) {
    let s = store(dir).await;
    let code = |c: &str| c.parse::<AgencyCode>().unwrap();
    let a = s.agency_by_code(&code("UAPGO")).await.unwrap().id;
    let b = s.agency_by_code(&code("JITEU")).await.unwrap().id;
    let sealed_record = Uuid::now_v7();
    let open = Match::new(
        MatchKind::Person,
        MatchSide::new(Uuid::now_v7(), a, false),
        MatchSide::new(Uuid::now_v7(), b, false),
        8.0,
        "same name in Cyrillic and Latin, same birth year".into(),
        Utc::now(),
    );
    let sealed = Match::new(
        MatchKind::Person,
        MatchSide::new(Uuid::now_v7(), a, false),
        MatchSide::new(sealed_record, b, true),
        11.0,
        "same name, same village".into(),
        Utc::now(),
    );
    s.record_matches(&[open.clone(), sealed.clone()])
        .await
        .unwrap();
    s.close().await;
    (open.id.to_string(), sealed.id.to_string(), sealed_record)
}

#[test]
fn review_matches_as_each_agency() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    ok(&dokaz(&dir, &["init"]));
    for (code, name) in [
        ("JITEU", "Joint Investigation Team"),
        ("THIRD", "A third agency"),
    ] {
        ok(&dokaz(
            &dir,
            &["admin", "agency", "add", code, "--name", name],
        ));
    }
    for (login, agency, role) in [
        ("anna", "UAPGO", "investigator"),
        ("alla", "UAPGO", "analyst"),
        ("bruno", "JITEU", "prosecutor"),
        ("carla", "THIRD", "investigator"),
    ] {
        ok(&dokaz(
            &dir,
            &[
                "admin", "user", "add", login, "--role", role, "--agency", agency,
            ],
        ));
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (open, sealed, sealed_record) = rt.block_on(matches(&dir));

    let help = ok(&dokaz(&dir, &["match", "--help"]));
    assert!(help.contains("sealed") && help.contains("--as"), "{help}");

    // UAPGO sees both; of the sealed side only the agency and whom to contact.
    let page = json(&dokaz(&dir, &["--json", "match", "list", "--as", "anna"]));
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{page}");
    assert_eq!(items[0]["id"], open.as_str());
    assert_eq!(items[0]["other"]["agency"]["code"], "JITEU");
    assert_eq!(
        items[0]["reasons"],
        "same name in Cyrillic and Latin, same birth year"
    );
    assert_eq!(items[1]["id"], sealed.as_str());
    assert_eq!(items[1]["other"]["sealed"], true);
    let listed = page.to_string();
    assert!(!listed.contains(&sealed_record.to_string()), "{listed}");
    assert!(!listed.contains("same village"), "{listed}");
    let table = ok(&dokaz(&dir, &["match", "list", "--as", "anna"]));
    assert!(table.contains("sealed — contact them"), "{table}");
    let shown = ok(&dokaz(&dir, &["match", "show", &sealed, "--as", "anna"]));
    assert!(
        shown.contains("agency JITEU holds a record that matches yours — contact them"),
        "{shown}"
    );
    assert!(!shown.contains(&sealed_record.to_string()), "{shown}");

    // A third agency: no such match, nothing listed.
    let out = dokaz(&dir, &["match", "show", &open, "--as", "carla"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("no match"), "{}", text(&out));
    let out = dokaz(&dir, &["match", "confirm", &open, "--as", "carla"]);
    assert!(!out.status.success());
    let page = json(&dokaz(&dir, &["--json", "match", "list", "--as", "carla"]));
    assert_eq!(page["items"].as_array().unwrap().len(), 0);

    // A dismissal needs a reason; an analyst may not decide.
    let out = dokaz(&dir, &["match", "dismiss", &open, "--as", "anna"]);
    assert!(!out.status.success(), "--reason is required");
    let out = dokaz(
        &dir,
        &["match", "dismiss", &open, "--as", "anna", "--reason", "  "],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("reason"), "{}", text(&out));
    let out = dokaz(&dir, &["match", "confirm", &open, "--as", "alla"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("refused"), "{}", text(&out));

    let v = json(&dokaz(
        &dir,
        &[
            "--json",
            "match",
            "dismiss",
            &open,
            "--as",
            "anna",
            "--reason",
            "інша людина — different person",
        ],
    ));
    assert_eq!(v["own"]["status"], "dismissed");
    assert_eq!(v["own"]["reason"], "інша людина — different person");

    // JITEU's side is its own: still new, A's status shown, A's reason not.
    let v = json(&dokaz(
        &dir,
        &["--json", "match", "show", &open, "--as", "bruno"],
    ));
    assert_eq!(v["own"]["status"], "new");
    assert_eq!(v["other"]["status"], "dismissed");
    assert!(!v.to_string().contains("інша людина"), "{v}");
    let v = json(&dokaz(
        &dir,
        &["--json", "match", "confirm", &open, "--as", "bruno"],
    ));
    assert_eq!(v["own"]["status"], "confirmed");
    let page = json(&dokaz(
        &dir,
        &[
            "--json",
            "match",
            "list",
            "--as",
            "anna",
            "--status",
            "dismissed",
            "--kind",
            "person",
        ],
    ));
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["other"]["status"], "confirmed");

    // Every decision is in the audit log, the refusal too.
    let actions: Vec<(String, String)> = rt.block_on(async {
        let s = store(&dir).await;
        let page = s
            .list_audit(&AuditFilter::default(), PageRequest::first(1000))
            .await
            .unwrap();
        s.close().await;
        page.items
            .into_iter()
            .filter(|r| r.action.starts_with("match."))
            .map(|r| (r.action, format!("{:?}", r.decision)))
            .collect()
    });
    for want in ["match.dismiss", "match.confirm"] {
        assert!(actions.iter().any(|(a, _)| a == want), "{actions:?}");
    }
    assert!(
        actions
            .iter()
            .any(|(a, d)| a == "match.confirm" && d.contains("Deny")),
        "{actions:?}"
    );
}
