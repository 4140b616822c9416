//! Provenance and consent through the real HTTP server: a statement and its redaction as a
//! family, consent rules (purpose × recipient × identity × withdrawal) applied to grants and
//! to every read by another agency, each refusal naming its rule, a withdrawal effective at
//! the next request while the earlier disclosure stays on the audit record — on SQLite and
//! PostgreSQL; and a property test of the same rules against a reference model written
//! here (`DOKAZ_CONSENT_CASES`, default 150 on SQLite, 25 on PostgreSQL).

use chrono::Utc;
use dokaz_model::{Agency, AgencyId, AgencyKind, Role};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::Kind;
use crate::evidence::harness::{random, start, Ev};
use crate::on_both_backends;

/// A protected witness of agency A.
async fn witness(s: &Ev, token: &str) -> String {
    let (st, p) = s
        .post(
            "/api/v1/persons",
            token,
            json!({"roles": ["witness"], "names": [{"full": "Коваленко Олена"}], "protected": true}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    p["id"].as_str().unwrap().to_owned()
}

async fn derive(
    s: &Ev,
    token: &str,
    ern: &str,
    query: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let resp = s
        .http
        .post(format!(
            "{}/api/v1/evidence/{ern}/derivatives?{query}",
            s.base
        ))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .header("connection", "close")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let st = resp.status();
    (st, resp.json().await.unwrap())
}

fn grant(ern_id: &str, purpose: Option<&str>, grantee: &str) -> Value {
    let mut g = json!({"grantee": grantee, "target": {"kind": "evidence", "id": ern_id},
        "level": "download", "purpose": "JIT analysis"});
    if let Some(p) = purpose {
        g["consent_purpose"] = json!(p);
    }
    g
}

async fn statement_and_consent(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "inv", &[Role::Investigator], true).await;
    let pros = s.login_as(s.a, "pros", &[Role::Prosecutor], false).await;
    let jit = s.login_as(s.b, "jit", &[Role::Analyst], false).await;
    let person = witness(&s, &inv).await;

    // A statement, and its redaction: one family.
    let bytes = "Свідок Коваленко: о 06:40 колона пройшла селом."
        .as_bytes()
        .to_vec();
    let (st, up) = s
        .upload(
            &inv,
            &[
                ("name", "statement.txt"),
                ("method", "testimony"),
                ("statement_by", &person),
                ("language", "uk"),
                ("tool", "ProofMode"),
                ("tool_version", "1.0"),
                ("clock_source", "network"),
                ("collected_at", "2024-05-01T09:00:00Z"),
            ],
            bytes,
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{up}");
    let ern = up["ern"].as_str().unwrap().to_owned();
    let id = up["evidence"]["id"].as_str().unwrap().to_owned();
    assert_eq!(up["evidence"]["collection"]["tool"], "ProofMode");
    assert_eq!(
        up["evidence"]["collection"]["statement_by"],
        person.as_str()
    );
    let (st, red) = derive(
        &s,
        &inv,
        &ern,
        "kind=redacted&name=statement.redacted.txt&what=name",
        "Свідок [...]: о 06:40 колона пройшла селом."
            .as_bytes()
            .to_vec(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{red}");
    let red_ern = red["ern"].as_str().unwrap().to_owned();
    assert_eq!(red_ern, format!("{ern}-R1"));
    let red_id = red["evidence"]["id"].as_str().unwrap().to_owned();
    let (st, fam) = s
        .get(&format!("/api/v1/evidence/{red_ern}/family"), &inv)
        .await;
    assert_eq!(st, StatusCode::OK, "{fam}");
    assert_eq!(fam["root"], ern.as_str());
    assert_eq!(fam["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        fam["members"][1]["evidence"]["derived_from"]["kind"],
        "redacted"
    );
    // Another agency sees no member of a restricted family it has no grant on.
    let (st, _) = s.get(&format!("/api/v1/evidence/{ern}/family"), &jit).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Derivatives are made by the owner's writers only.
    let (st, _) = derive(&s, &jit, &ern, "kind=working-copy&name=x", vec![1]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, e) = derive(&s, &inv, &ern, "kind=translation&name=x", vec![1]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // No consent yet: nothing leaves.
    let (st, e) = s
        .post(
            "/api/v1/grants",
            &pros,
            grant(&red_id, Some("prosecution"), "JITEU"),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("consent.required"),
        "{e}"
    );

    // Consent for prosecution by national prosecutors, identity not to be disclosed.
    let (st, c) = s
        .post(
            &format!("/api/v1/persons/{person}/consents"),
            &inv,
            json!({"purposes": ["prosecution"], "recipients": ["national-courts"],
                   "identity_disclosure": false, "recorded_by": "Investigator O. K."}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let consent = c["id"].as_str().unwrap().to_owned();
    let (st, list) = s
        .get(&format!("/api/v1/persons/{person}/consents"), &inv)
        .await;
    assert_eq!((st, list.as_array().unwrap().len()), (StatusCode::OK, 1));
    let (st, _) = s
        .get(&format!("/api/v1/persons/{person}/consents"), &jit)
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "consents stay with the person's agency"
    );

    let refused = |body: &Value, rule: &str| {
        let m = body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            m.contains(&format!("consent rule {rule}")),
            "{rule}: {body}"
        );
    };
    let (st, e) = s
        .post(
            "/api/v1/grants",
            &pros,
            grant(&id, Some("prosecution"), "JITEU"),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    refused(&e, "consent.identity");
    let (st, e) = s
        .post(
            "/api/v1/grants",
            &pros,
            grant(&red_id, Some("research"), "JITEU"),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    refused(&e, "consent.purpose");
    let (st, e) = s
        .post("/api/v1/grants", &pros, grant(&red_id, None, "JITEU"))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    refused(&e, "consent.purpose-stated");
    let (st, g) = s
        .post(
            "/api/v1/grants",
            &pros,
            grant(&red_id, Some("prosecution"), "JITEU"),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    assert_eq!(g["consent_purpose"], "prosecution");

    // The grantee reads the redaction; the unredacted original stays home.
    let resp = s.download(&red_ern, &jit, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (st, _) = s.get(&format!("/api/v1/evidence/{ern}"), &jit).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let mark = s.audit_after(None).await.1;

    // Withdrawal: the very next read is refused, naming the rule; the earlier download
    // stays on the audit record.
    let (st, w) = s
        .post(
            &format!("/api/v1/consents/{consent}/withdraw"),
            &inv,
            json!({"recorded_by": "Investigator O. K."}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{w}");
    assert_eq!(w["withdrawn_on"], Utc::now().date_naive().to_string());
    let (st, again) = s
        .post(
            &format!("/api/v1/consents/{consent}/withdraw"),
            &inv,
            json!({"recorded_by": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{again}");
    let resp = s.download(&red_ern, &jit, None).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let body: Value = resp.json().await.unwrap();
    refused(&body, "consent.withdrawn");
    // Metadata is no disclosure of the statement.
    let (st, _) = s.get(&format!("/api/v1/evidence/{red_ern}"), &jit).await;
    assert_eq!(st, StatusCode::OK);
    let records = s.audit_records().await;
    assert!(
        records.iter().any(|r| r.action == "evidence.read"
            && r.decision == dokaz_model::Decision::Allow
            && r.target.as_deref() == Some(&format!("evidence:{red_ern}")[..])),
        "the past disclosure is on record"
    );
    let (new, _) = s.audit_after(mark).await;
    assert!(
        new.iter()
            .any(|r| r.decision == dokaz_model::Decision::Deny
                && r.reason.contains("consent.withdrawn")),
        "the refusal is on record"
    );

    // The interview register.
    let (st, i) = s
        .post(
            "/api/v1/interviews",
            &inv,
            json!({"person": person, "date": "2024-05-02", "interviewer_role": "investigator",
                   "topics": ["rs-7-1-d"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{i}");
    let (st, bad) = s
        .post(
            "/api/v1/interviews",
            &inv,
            json!({"person": person, "date": "2024-05-02", "interviewer_role": "investigator",
                   "topics": ["what she said"]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (st, _) = s
        .post(
            "/api/v1/interviews",
            &jit,
            json!({"person": person, "date": "2024-05-02", "interviewer_role": "analyst"}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "only the person's agency keeps its register"
    );
    let (st, list) = s
        .get(&format!("/api/v1/persons/{person}/interviews"), &inv)
        .await;
    assert_eq!((st, list.as_array().unwrap().len()), (StatusCode::OK, 1));
}

async fn collection_record_over_http(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "inv", &[Role::Investigator], false).await;
    let (st, html) = s
        .upload(&inv, &[("name", "post.html")], b"<html></html>".to_vec())
        .await;
    assert_eq!(st, StatusCode::CREATED, "{html}");
    let (st, shot) = s.upload(&inv, &[("name", "post.png")], random(900)).await;
    assert_eq!(st, StatusCode::CREATED, "{shot}");
    let (html, shot) = (html["ern"].as_str().unwrap(), shot["ern"].as_str().unwrap());
    let (st, up) = s
        .upload(
            &inv,
            &[
                ("name", "post.mp4"),
                ("method", "open-source"),
                ("source_url", "https://t.me/example/1"),
                ("tool", "auto-archiver"),
                ("tool_version", "0.11.2"),
                ("host", "10.0.4.17"),
                ("collected_at", "2022-03-09T10:40:00Z"),
                ("clock_source", "device"),
                ("page_title", "Пост"),
                ("html", html),
                ("screenshot", shot),
            ],
            random(2000),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{up}");
    let c = &up["evidence"]["collection"];
    assert_eq!(
        (
            &c["tool"],
            &c["host"],
            &c["clock_source"],
            &c["html"],
            &c["screenshot"]
        ),
        (
            &json!("auto-archiver"),
            &json!("10.0.4.17"),
            &json!("device"),
            &json!(html),
            &json!(shot)
        )
    );
    let ern = up["ern"].as_str().unwrap();
    let (_, custody) = s
        .get(&format!("/api/v1/evidence/{ern}/custody"), &inv)
        .await;
    assert_eq!(
        custody[0]["event"]["details"]["collection.tool"],
        "auto-archiver"
    );
    let before = s.items().await;
    for (field, value) in [
        ("clock_source", "sundial"),
        ("collected_at", "yesterday"),
        ("html", "UAPGO-GEN-999999"),
        ("statement_by", "not-a-person"),
    ] {
        let (st, e) = s
            .upload(&inv, &[("name", "x.bin"), (field, value)], random(10))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        let named = e["error"]["fields"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(named.contains(field), "{field}: {e}");
    }
    assert_eq!(s.items().await, before, "nothing stored");
}

on_both_backends!(statement_and_consent, collection_record_over_http);

// ---- the property ----

const PURPOSES: [&str; 3] = ["investigation", "prosecution", "research"];
const RECIPIENTS: [&str; 4] = ["agency:JITEU", "icc", "national-courts", "eurojust"];
/// The recipients generated: JITEU (a national prosecutor), ICC1 (ICC OTP), EJ1 (Eurojust).
const GRANTEES: [&str; 3] = ["JITEU", "ICC1", "EJ1"];

#[derive(Debug, Clone)]
struct Case {
    consent: Option<(Vec<usize>, Vec<usize>, bool)>,
    withdrawn: bool,
    redacted: bool,
    purpose: Option<usize>,
    grantee: usize,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::option::weighted(
            0.85,
            (
                prop::sample::subsequence((0..3).collect::<Vec<_>>(), 1..=2),
                prop::sample::subsequence((0..4).collect::<Vec<_>>(), 1..=2),
                any::<bool>(),
            ),
        ),
        prop::bool::weighted(0.25),
        any::<bool>(),
        prop::option::weighted(0.9, 0..3usize),
        0..3usize,
    )
        .prop_map(|(consent, withdrawn, redacted, purpose, grantee)| Case {
            consent,
            withdrawn,
            redacted,
            purpose,
            grantee,
        })
}

/// The reference, from the words: a statement goes to a recipient for a purpose
/// when a consent in force names both, and the identity only where the consent allows it.
fn model(c: &Case) -> bool {
    let (Some((purposes, recipients, identity)), Some(p)) = (&c.consent, c.purpose) else {
        return false;
    };
    let named = recipients.iter().any(|&r| match (r, c.grantee) {
        (0, 0) => true,   // agency:JITEU
        (1, 1) => true,   // icc
        (2, g) => g == 0, // national-courts: JITEU is a national prosecutor here
        (3, 2) => true,   // eurojust
        _ => false,
    });
    !c.withdrawn && purposes.contains(&p) && named && (*identity || c.redacted)
}

#[test]
fn consent_through_the_server_agrees_with_the_reference_on_sqlite() {
    agrees(Kind::Sqlite, 150);
}

#[test]
fn consent_through_the_server_agrees_with_the_reference_on_postgres() {
    agrees(Kind::Postgres, 25);
}

fn agrees(kind: Kind, default_cases: u32) {
    let n: u32 = std::env::var("DOKAZ_CONSENT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (s, inv, pros, readers, person) = rt.block_on(async {
        let s = start(kind).await;
        let mut ids: Vec<AgencyId> = vec![s.b];
        for (code, k) in [("ICC1", AgencyKind::IccOtp), ("EJ1", AgencyKind::Eurojust)] {
            let a = Agency {
                id: AgencyId::new(),
                code: code.parse().unwrap(),
                name: code.into(),
                kind: k,
                country: String::new(),
                created_at: Utc::now(),
            };
            s.store.create_agency(&a).await.unwrap();
            ids.push(a.id);
        }
        let inv = s.login_as(s.a, "inv", &[Role::Investigator], true).await;
        let pros = s.login_as(s.a, "pros", &[Role::Prosecutor], false).await;
        let mut readers = vec![];
        for (i, id) in ids.iter().enumerate() {
            readers.push(
                s.login_as(*id, &format!("reader{i}"), &[Role::Analyst], false)
                    .await,
            );
        }
        let person = witness(&s, &inv).await;
        (s, inv, pros, readers, person)
    });
    let mut runner = TestRunner::new(Config::with_cases(n));
    runner
        .run(&cases(), |c| {
            rt.block_on(check_one(&s, &inv, &pros, &readers, &person, &c));
            Ok(())
        })
        .unwrap();
}

async fn check_one(s: &Ev, inv: &str, pros: &str, readers: &[String], person: &str, c: &Case) {
    // A statement of its own for each case, so each case's consent covers only it.
    let (st, up) = s
        .upload(
            inv,
            &[("name", "s.txt"), ("statement_by", person)],
            random(64),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{up}");
    let mut ern = up["ern"].as_str().unwrap().to_owned();
    let mut id = up["evidence"]["id"].as_str().unwrap().to_owned();
    let statement = ern.clone();
    if c.redacted {
        let (st, d) = derive(s, inv, &ern, "kind=redacted&name=r.txt", random(48)).await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        ern = d["ern"].as_str().unwrap().to_owned();
        id = d["evidence"]["id"].as_str().unwrap().to_owned();
    }
    if let Some((purposes, recipients, identity)) = &c.consent {
        let body = json!({
            "purposes": purposes.iter().map(|&i| PURPOSES[i]).collect::<Vec<_>>(),
            "recipients": recipients.iter().map(|&i| RECIPIENTS[i]).collect::<Vec<_>>(),
            "identity_disclosure": identity, "recorded_by": "generated", "statement": statement});
        let (st, k) = s
            .post(&format!("/api/v1/persons/{person}/consents"), inv, body)
            .await;
        assert_eq!(st, StatusCode::CREATED, "{k}");
        if c.withdrawn {
            let path = format!("/api/v1/consents/{}/withdraw", k["id"].as_str().unwrap());
            let (st, w) = s
                .post(&path, inv, json!({"recorded_by": "generated"}))
                .await;
            assert_eq!(st, StatusCode::OK, "{w}");
        }
    }
    let expected = model(c);
    let (st, g) = s
        .post(
            "/api/v1/grants",
            pros,
            grant(&id, c.purpose.map(|p| PURPOSES[p]), GRANTEES[c.grantee]),
        )
        .await;
    assert_eq!(st == StatusCode::CREATED, expected, "{c:?}: {st} {g}");
    let reader = &readers[c.grantee];
    if !expected {
        assert_eq!(st, StatusCode::FORBIDDEN, "{c:?}: {g}");
        let m = g["error"]["message"].as_str().unwrap();
        assert!(m.starts_with("consent rule consent."), "{c:?}: {m}");
        let (st, _) = s
            .call(
                Method::GET,
                &format!("/api/v1/evidence/{ern}"),
                Some(reader),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "no grant, no read");
        return;
    }
    let resp = s.download(&ern, reader, None).await;
    assert_eq!(resp.status(), StatusCode::OK, "{c:?}");
    // Withdrawal of every consent of the case: the next read is refused.
    let (_, all) = s
        .get(&format!("/api/v1/persons/{person}/consents"), inv)
        .await;
    for k in all.as_array().unwrap() {
        if k["statement_ern"] == statement.as_str() && k["withdrawn_on"].is_null() {
            let path = format!("/api/v1/consents/{}/withdraw", k["id"].as_str().unwrap());
            let (st, _) = s
                .post(&path, inv, json!({"recorded_by": "generated"}))
                .await;
            assert_eq!(st, StatusCode::OK);
        }
    }
    let resp = s.download(&ern, reader, None).await;
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "{c:?}: withdrawn at the next request"
    );
}
