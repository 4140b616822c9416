//! The access-control property: for generated (classification, grant, viewer agency, viewer
//! role) the real server on 127.0.0.1 must agree with a small reference model written here
//! independently of `dokaz-access` — on a single read, on list membership — and each
//! single-read decision must leave exactly the audit records the model says. Cases:
//! `DOKAZ_ACCESS_CASES` (default 200 on SQLite, 50 on PostgreSQL; raise it for a long run).

use dokaz_model::Role;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Kind, Server};

#[derive(Debug, Clone, Copy, PartialEq)]
enum GrantCase {
    None,
    MetadataOnIncident,
    ContentOnCase,
    Revoked,
    Expired,
}

#[derive(Debug, Clone, Copy)]
struct Case {
    classification: &'static str,
    grant: GrantCase,
    own_agency: bool,
    role: usize,
}

const ROLES: [Role; 5] = Role::ALL;

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["open", "restricted", "sealed"]),
        prop::sample::select(vec![
            GrantCase::None,
            GrantCase::MetadataOnIncident,
            GrantCase::ContentOnCase,
            GrantCase::Revoked,
            GrantCase::Expired,
        ]),
        any::<bool>(),
        0..ROLES.len(),
    )
        .prop_map(|(classification, grant, own_agency, role)| Case {
            classification,
            grant,
            own_agency,
            role,
        })
}

/// The reference: may the viewer see the incident's metadata?
fn model(c: &Case) -> bool {
    let role = ROLES[c.role];
    let reader = matches!(role, Role::Investigator | Role::Analyst | Role::Prosecutor);
    if c.own_agency {
        return reader || role == Role::Admin;
    }
    let granted = matches!(
        c.grant,
        GrantCase::MetadataOnIncident | GrantCase::ContentOnCase
    );
    reader
        && match c.classification {
            "open" => true,
            "restricted" => granted,
            _ => false,
        }
}

#[test]
fn the_server_agrees_with_the_reference_model_on_sqlite() {
    agrees(Kind::Sqlite, 200);
}

#[test]
fn the_server_agrees_with_the_reference_model_on_postgres() {
    agrees(Kind::Postgres, 50);
}

fn agrees(kind: Kind, default_cases: u32) {
    let cases_n: u32 = std::env::var("DOKAZ_ACCESS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (server, owner, sharer, viewers) = rt.block_on(async {
        let s = Server::start(kind).await;
        let owner = s.login_as(s.a, "owner", &[Role::Investigator], false).await;
        let sharer = s.login_as(s.a, "sharer", &[Role::Prosecutor], false).await;
        let mut viewers = vec![];
        for (agency, tag) in [(s.a, "a"), (s.b, "b")] {
            let mut row = vec![];
            for r in ROLES {
                row.push(s.login_as(agency, &format!("{tag}-{r}"), &[r], false).await);
            }
            viewers.push(row);
        }
        (s, owner, sharer, viewers)
    });
    let mut runner = TestRunner::new(Config::with_cases(cases_n));
    runner
        .run(&cases(), |c| {
            rt.block_on(check_one(&server, &owner, &sharer, &viewers, c));
            Ok(())
        })
        .unwrap();
}

async fn check_one(s: &Server, owner: &str, sharer: &str, viewers: &[Vec<String>], c: Case) {
    let id = s.incident(owner, "generated", c.classification).await;
    let grant = |target: serde_json::Value, level: &str, expires: Option<&str>| {
        let mut g =
            json!({"grantee": "JITEU", "target": target, "level": level, "purpose": "test"});
        if let Some(e) = expires {
            g["expires_at"] = json!(e);
        }
        g
    };
    if c.classification != "sealed" {
        let incident = json!({"kind": "incident", "id": id});
        match c.grant {
            GrantCase::None => {}
            GrantCase::MetadataOnIncident => {
                let (st, b) = s
                    .post("/api/v1/grants", sharer, grant(incident, "metadata", None))
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{b}");
            }
            GrantCase::ContentOnCase => {
                let reference = format!("C-{}", &id[..8].to_uppercase());
                let reference = format!("{reference}-{}", &id[id.len() - 12..]);
                let (st, case) = s
                    .post(
                        "/api/v1/cases",
                        owner,
                        json!({"reference": reference, "title": "t",
                        "incidents": [id]}),
                    )
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{case}");
                let target = json!({"kind": "case", "id": case["id"]});
                let (st, b) = s
                    .post("/api/v1/grants", sharer, grant(target, "content", None))
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{b}");
            }
            GrantCase::Revoked => {
                let (st, g) = s
                    .post("/api/v1/grants", sharer, grant(incident, "metadata", None))
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{g}");
                let path = format!("/api/v1/grants/{}", g["id"].as_str().unwrap());
                let (st, _) = s.call(Method::DELETE, &path, Some(sharer), None).await;
                assert_eq!(st, StatusCode::OK);
            }
            GrantCase::Expired => {
                // A grant cannot be made already expired; one that expires in a moment can.
                let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(300)).to_rfc3339();
                let (st, b) = s
                    .post(
                        "/api/v1/grants",
                        sharer,
                        grant(incident, "metadata", Some(&soon)),
                    )
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{b}");
                tokio::time::sleep(std::time::Duration::from_millis(350)).await;
            }
        }
    }
    let viewer = &viewers[usize::from(!c.own_agency)][c.role];
    let expected = model(&c);
    let before = s.audit_records().await.len();
    let (st, body) = s.get(&format!("/api/v1/incidents/{id}"), viewer).await;
    let audited = s.audit_records().await.len() - before;
    assert_eq!(st == StatusCode::OK, expected, "{c:?}: {st} {body}");
    if expected {
        assert_eq!(st, StatusCode::OK);
    } else {
        assert_eq!(st, StatusCode::FORBIDDEN, "{c:?}: {body}");
    }
    let must_audit = !expected || c.classification != "open";
    assert_eq!(audited, usize::from(must_audit), "{c:?}: audit records");

    // The list agrees with the single read.
    let (st, page) = s.get("/api/v1/incidents?limit=1000", viewer).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let listed = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id.as_str());
    assert_eq!(listed, expected, "{c:?}: list membership");
}
