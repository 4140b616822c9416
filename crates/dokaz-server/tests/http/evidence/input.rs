//! Bad input to the evidence endpoints: a declared hash that does not match, names that
//! look like paths, unknown and malformed ERNs, uploads over the limit and bad metadata —
//! each a clear error, with nothing stored.

use dokaz_model::Role;
use reqwest::StatusCode;

use std::time::Duration;

use dokaz_server::Settings;

use super::harness::{hex, random, settings, slow_upload, start, start_with, walk};
use crate::common::Kind;
use crate::on_both_backends;

async fn a_wrong_declared_hash_stores_nothing(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(5000);
    let declared = hex(b"something else");
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "x.bin"), ("sha256", &declared)],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let msg = body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains(&declared) && msg.contains(&hex(&bytes)),
        "{msg}"
    );
    assert_eq!(s.items().await, 0);
    let stored = walk(s.blob_dir.path());
    assert!(!stored.iter().any(|p| p.contains("sha256/")), "{stored:?}");
    let (st, body) = s
        .upload(&inv, &[("name", "x.bin"), ("sha256", &hex(&bytes))], bytes)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
}

async fn names_are_never_paths(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "../../etc/passwd")],
            b"root:x:0:0".to_vec(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    assert_eq!(body["evidence"]["original_name"], "../../etc/passwd");
    let ern = body["ern"].as_str().unwrap();
    let resp = s.download(ern, &inv, None).await;
    let cd = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cd.starts_with("attachment; filename=\"passwd\""), "{cd}");
    let files = walk(s.blob_dir.path());
    assert!(
        files
            .iter()
            .all(|f| !f.contains("passwd") && !f.contains("..")),
        "{files:?}"
    );
}

async fn unknown_and_malformed_erns(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, body) = s.get("/api/v1/evidence/UAPGO-GEN-000999", &inv).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    let resp = s.download("UAPGO-GEN-000999", &inv, None).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let (st, body) = s.get("/api/v1/evidence/not-an-ern", &inv).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    let analyst = s.login_as(s.a, "olga", &[Role::Analyst], false).await;
    let before = s.audit_records().await.len();
    let (st, body) = s
        .upload(&analyst, &[("name", "a.txt")], b"hello".to_vec())
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(s.audit_records().await.len(), before + 1);
    assert_eq!(s.items().await, 0);
}

async fn an_upload_over_the_limit_is_refused(kind: Kind) {
    let s = start_with(
        kind,
        Settings {
            max_upload: 100 << 10,
            ..settings()
        },
    )
    .await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, body) = s
        .upload(&inv, &[("name", "big.bin")], random(200 << 10))
        .await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(s.items().await, 0);
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "x"), ("classification", "secret")],
            random(10),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "classification");
    let (st, body) = s
        .upload(&inv, &[("name", "x"), ("case", "NO-SUCH-CASE")], random(10))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "case");
}

/// An upload lasts as long as the file takes: the request timeout does not end it, only a
/// pause longer than the timeout between two chunks does.
async fn a_slow_upload_outlives_the_request_timeout_but_not_a_stall(kind: Kind) {
    let s = start_with(
        kind,
        Settings {
            request_timeout: Duration::from_millis(800),
            ..settings()
        },
    )
    .await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let status = slow_upload(&s, &inv, 6, Duration::from_millis(300)).await;
    assert_eq!(status, 201, "1.8 s in 300 ms steps, timeout 800 ms");
    let status = slow_upload(&s, &inv, 2, Duration::from_millis(1500)).await;
    assert_eq!(status, 408, "a 1.5 s stall");
    assert_eq!(s.items().await, 1);
}

on_both_backends!(
    a_wrong_declared_hash_stores_nothing,
    names_are_never_paths,
    unknown_and_malformed_erns,
    an_upload_over_the_limit_is_refused,
    a_slow_upload_outlives_the_request_timeout_but_not_a_stall,
);
