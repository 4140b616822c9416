//! The access-control property: for generated (classification, grant, viewer agency, viewer
//! role) the real server on 127.0.0.1 must agree with a small reference model written here
//! independently of `dokaz-access` — on a single read, on list membership — and each
//! single-read decision must leave exactly the audit records the model says. Cases:
//! `DOKAZ_ACCESS_CASES` (default on SQLite 10,000 in CI — `CI` set — and 1,000 elsewhere;
//! 200 on PostgreSQL). Its consent dimension (purpose × recipient × identity × withdrawal of
//! a statement's consent, through grants and reads) is the property in `consent.rs`.

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
    // The issue asks for at least 10,000 in CI; 1,000 keeps a developer's run short.
    let in_ci = std::env::var_os("CI").is_some();
    agrees(Kind::Sqlite, if in_ci { 10_000 } else { 1_000 });
}

#[test]
fn the_server_agrees_with_the_reference_model_on_postgres() {
    agrees(Kind::Postgres, 200);
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
    let counter = std::sync::atomic::AtomicI64::new(0);
    // Where the audit log was last read up to, so each case reads only what is new.
    let mark = std::sync::Mutex::new(None);
    let mut runner = TestRunner::new(Config::with_cases(cases_n));
    runner
        .run(&cases(), |c| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            rt.block_on(check_one(&server, &owner, &sharer, &viewers, c, n, &mark));
            Ok(())
        })
        .unwrap();
}

async fn check_one(
    s: &Server,
    owner: &str,
    sharer: &str,
    viewers: &[Vec<String>],
    c: Case,
    n: i64,
    mark: &std::sync::Mutex<Option<dokaz_store::Cursor>>,
) {
    // Each case's incident at its own minute, so a time filter finds exactly it in a list
    // however many cases ran before.
    let at = chrono::DateTime::parse_from_rfc3339("2022-02-24T04:00:00Z").unwrap()
        + chrono::Duration::minutes(n);
    let at = at.with_timezone(&chrono::Utc);
    let mut new = crate::common::new_incident("generated", c.classification);
    new["occurred"] = json!({"start": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)});
    let (st, created) = s.post("/api/v1/incidents", owner, new).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["incident"]["id"].as_str().unwrap().to_owned();
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
                // The API refuses a grant that is already expired, so it goes in as stored
                // history: given a day ago, ended an hour ago.
                let now = chrono::Utc::now();
                let grant = dokaz_model::Grant {
                    id: dokaz_model::GrantId::new(),
                    grantor: s.a,
                    grantee: s.b,
                    target: dokaz_model::GrantTarget::Incident(id.parse().unwrap()),
                    level: dokaz_model::GrantLevel::Download,
                    purpose: "expired".into(),
                    consent_purpose: None,
                    expires_at: Some(now - chrono::Duration::hours(1)),
                    created_by: dokaz_model::UserId::new(),
                    created_at: now - chrono::Duration::days(1),
                    revoked_at: None,
                    revoked_by: None,
                };
                s.store.create_grant(&grant).await.unwrap();
            }
        }
    }
    let viewer = &viewers[usize::from(!c.own_agency)][c.role];
    let expected = model(&c);
    let last = *mark.lock().unwrap();
    let before = s.audit_after(last).await.1;
    let (st, body) = s.get(&format!("/api/v1/incidents/{id}"), viewer).await;
    let (new, after) = s.audit_after(before).await;
    *mark.lock().unwrap() = after;
    let audited = new.len();
    assert_eq!(st == StatusCode::OK, expected, "{c:?}: {st} {body}");
    if expected {
        assert_eq!(st, StatusCode::OK);
    } else {
        assert_eq!(st, StatusCode::FORBIDDEN, "{c:?}: {body}");
    }
    let must_audit = !expected || c.classification != "open";
    assert_eq!(audited, usize::from(must_audit), "{c:?}: audit records");

    // The list agrees with the single read.
    let from = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to = (at + chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (st, page) = s
        .get(&format!("/api/v1/incidents?from={from}&to={to}"), viewer)
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let listed = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id.as_str());
    assert_eq!(listed, expected, "{c:?}: list membership");
}
