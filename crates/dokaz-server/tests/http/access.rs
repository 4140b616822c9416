//! Originator control across agencies: grants open and close access at once, sealed records
//! never leave, lists show only what may be seen, protected identities stay protected, and
//! every decision leaves exactly one audit record.

use dokaz_model::{Decision, Role};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Kind, Server};

async fn grant_opens_and_revocation_closes(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let a_pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let restricted = s
        .incident(&a_inv, "restricted incident", "restricted")
        .await;
    let sealed = s.incident(&a_inv, "sealed incident", "sealed").await;
    let path = format!("/api/v1/incidents/{restricted}");

    let before = s.audit_records().await.len();
    let (st, body) = s.get(&path, &b_inv).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no active grant"),
        "{body}"
    );
    let after = s.audit_records().await;
    assert_eq!(after.len(), before + 1, "one decision, one record");
    let last = after.last().unwrap();
    assert_eq!(last.decision, Decision::Deny);
    assert_eq!(last.action, "incident.read");
    assert_eq!(
        last.target.as_deref(),
        Some(format!("incident:{restricted}").as_str())
    );
    assert!(!last.request_id.is_empty() && !last.address.is_empty());

    let grant = json!({
        "grantee": "JITEU",
        "target": {"kind": "incident", "id": restricted},
        "level": "metadata",
        "purpose": "joint analysis of attacks on hospitals"
    });
    let (st, body) = s.post("/api/v1/grants", &a_inv, grant.clone()).await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "an investigator cannot share: {body}"
    );
    let (st, g) = s.post("/api/v1/grants", &a_pros, grant).await;
    assert_eq!(st, StatusCode::CREATED, "{g}");

    let before = s.audit_records().await.len();
    let (st, body) = s.get(&path, &b_inv).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.get("narratives").is_none(), "metadata only");
    assert_eq!(
        s.audit_records().await.len(),
        before + 1,
        "a restricted read is audited"
    );
    let (st, _) = s.get(&format!("{path}/narratives"), &b_inv).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "content needs a content grant");

    let (st, listed) = s.get("/api/v1/grants?direction=received", &b_inv).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    let gid = g["id"].as_str().unwrap();
    let (st, body) = s
        .call(
            Method::DELETE,
            &format!("/api/v1/grants/{gid}"),
            Some(&a_pros),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, _) = s.get(&path, &b_inv).await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "revoked: closed at the next request"
    );

    // Sealed: never shared, never seen by another agency.
    let (st, body) = s
        .post(
            "/api/v1/grants",
            &a_pros,
            json!({"grantee": "JITEU", "target": {"kind": "incident", "id": sealed},
                   "level": "metadata", "purpose": "try"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    let (st, _) = s.get(&format!("/api/v1/incidents/{sealed}"), &b_inv).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = s.get(&format!("/api/v1/incidents/{sealed}"), &a_inv).await;
    assert_eq!(st, StatusCode::OK, "the own agency sees its sealed record");

    // B cannot change A's record.
    let (st, _) = s
        .call(
            Method::PATCH,
            &path,
            Some(&b_inv),
            Some(json!({"title": "mine now"})),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, body) = s
        .call(
            Method::PATCH,
            &path,
            Some(&a_inv),
            Some(json!({"title": "renamed"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["incident"]["title"], "renamed");
}

async fn a_case_grant_covers_its_incidents(kind: Kind) {
    let s = Server::start(kind).await;
    let a_pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_an = s.login_as(s.b, "bella", &[Role::Analyst], false).await;
    let inc = s.incident(&a_pros, "in a case", "restricted").await;
    let (st, case) = s
        .post(
            "/api/v1/cases",
            &a_pros,
            json!({"reference": "12022000000000123", "title": "Mariupol",
            "incidents": [inc]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    assert_eq!(
        s.get(&format!("/api/v1/incidents/{inc}"), &b_an).await.0,
        StatusCode::FORBIDDEN
    );
    let (st, _) = s
        .post(
            "/api/v1/grants",
            &a_pros,
            json!({"grantee": "JITEU",
            "target": {"kind": "case", "id": case["id"]}, "level": "content", "purpose": "JIT"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(
        s.get(&format!("/api/v1/incidents/{inc}"), &b_an).await.0,
        StatusCode::OK
    );
    assert_eq!(
        s.get(&format!("/api/v1/incidents/{inc}/narratives"), &b_an)
            .await
            .0,
        StatusCode::OK
    );
}

async fn lists_show_only_what_may_be_seen(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let mut open = vec![];
    for i in 0..3 {
        s.incident(&a_inv, &format!("restricted {i}"), "restricted")
            .await;
        s.incident(&a_inv, &format!("sealed {i}"), "sealed").await;
        open.push(s.incident(&a_inv, &format!("open {i}"), "open").await);
    }
    // Page one record at a time: exactly the open ones, and no cursor after the last.
    let mut seen = vec![];
    let mut after: Option<String> = None;
    for _ in 0..10 {
        let path = match &after {
            Some(c) => format!("/api/v1/incidents?limit=1&after={c}"),
            None => "/api/v1/incidents?limit=1".into(),
        };
        let (st, page) = s.get(&path, &b_inv).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
            assert_eq!(item["classification"], "open");
        }
        match page.get("next").and_then(|n| n.as_str()) {
            Some(n) => after = Some(n.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen, open,
        "only the open incidents, and the cursor ends with them"
    );
    let (_, page) = s.get("/api/v1/incidents?limit=1000", &b_inv).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert!(page.get("next").is_none());
    let (_, page) = s.get("/api/v1/incidents?limit=1000", &a_inv).await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        9,
        "the own agency sees all"
    );
    let (_, page) = s
        .get("/api/v1/incidents?agency=UAPGO&limit=3", &a_inv)
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert!(page["next"].is_string());
}

async fn protected_persons_are_pseudonymised(kind: Kind) {
    let s = Server::start(kind).await;
    let cleared = s.login_as(s.a, "anna", &[Role::Investigator], true).await;
    let analyst = s.login_as(s.a, "olga", &[Role::Analyst], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], true).await;
    let (st, p) = s
        .post(
            "/api/v1/persons",
            &cleared,
            json!({"roles": ["witness"],
            "names": [{"full": "Коваленко Олена Петрівна"}], "birth_date": "1987-04",
            "protected": true, "classification": "open"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap();
    let path = format!("/api/v1/persons/{id}");
    let (_, own) = s.get(&path, &cleared).await;
    assert_eq!(own["names"][0]["full"], "Коваленко Олена Петрівна");
    assert!(own.get("pseudonym").is_none());
    let (_, hidden) = s.get(&path, &analyst).await;
    let (_, other) = s.get(&path, &b_inv).await;
    for v in [&hidden, &other] {
        assert!(v["names"].as_array().is_none_or(|n| n.is_empty()), "{v}");
        assert!(v.get("birth_date").is_none(), "{v}");
        assert!(v["pseudonym"].as_str().unwrap().starts_with("P-"));
        assert!(!v.to_string().contains("Коваленко"));
    }
    assert_eq!(hidden["pseudonym"], other["pseudonym"], "stable per person");
    let (_, listed) = s.get("/api/v1/persons", &b_inv).await;
    assert!(!listed.to_string().contains("Коваленко"));

    let update = json!({"roles": ["victim"], "names": [{"full": "Коваленко Олена"}],
        "protected": true, "classification": "open"});
    let (st, _) = s
        .call(Method::PUT, &path, Some(&b_inv), Some(update.clone()))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another agency cannot change it");
    let (st, body) = s
        .call(Method::PUT, &path, Some(&cleared), Some(update))
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["roles"][0], "victim");
}

async fn units_stay_with_their_agency_unless_open(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b_an = s.login_as(s.b, "bella", &[Role::Analyst], false).await;
    let mut ids = vec![];
    for c in ["open", "restricted"] {
        let (st, u) = s
            .post(
                "/api/v1/units",
                &a_inv,
                json!({"names": ["64 ОМСБр"], "numbers": ["в/ч 51460"],
                "classification": c}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{u}");
        ids.push(u["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        s.get(&format!("/api/v1/units/{}", ids[0]), &b_an).await.0,
        StatusCode::OK
    );
    assert_eq!(
        s.get(&format!("/api/v1/units/{}", ids[1]), &b_an).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, page) = s.get("/api/v1/units", &b_an).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let (st, body) = s
        .call(
            Method::PUT,
            &format!("/api/v1/units/{}", ids[1]),
            Some(&a_inv),
            Some(json!({"names": ["64th Separate Motor Rifle Brigade"]})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
}

async fn auditors_read_their_own_agency_log(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let a_aud = s.login_as(s.a, "audrey", &[Role::Auditor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let b_aud = s.login_as(s.b, "bob", &[Role::Auditor], false).await;
    let inc = s.incident(&a_inv, "restricted", "restricted").await;
    s.get(&format!("/api/v1/incidents/{inc}"), &b_inv).await;
    let (st, body) = s.get("/api/v1/audit", &a_inv).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    let (st, page) = s
        .get("/api/v1/audit?decision=deny&action=incident.", &b_aud)
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "B's denied read is in B's log: {page}");
    let (_, page) = s.get("/api/v1/audit?action=incident.", &a_aud).await;
    let items = page["items"].as_array().unwrap();
    assert!(
        items.iter().all(|r| r["agency"] == s.a.to_string()),
        "only A's records"
    );
    assert!(items.iter().any(|r| r["action"] == "incident.create"));
}

crate::on_both_backends!(
    grant_opens_and_revocation_closes,
    a_case_grant_covers_its_incidents,
    lists_show_only_what_may_be_seen,
    protected_persons_are_pseudonymised,
    units_stay_with_their_agency_unless_open,
    auditors_read_their_own_agency_log,
);
