//! Evidence over HTTP on a server with a vault: streaming upload and download with ranges,
//! originator control per grant level, a revocation cutting a download in progress, and one
//! audit record per decision. Bad input is in `input`, links to incidents and cases in
//! `links`.

pub mod harness;
mod input;
mod links;

use dokaz_model::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::Kind;
use crate::on_both_backends;
use harness::{hex, random, start, ORIGIN};

async fn upload_and_download_round_trip(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(300 << 10);
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "drone video.mp4"), ("method", "forensic")],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    assert_eq!(body["sha256"], hex(&bytes));
    assert_eq!(body["size"], bytes.len() as u64);
    let ern = body["ern"].as_str().unwrap().to_owned();
    assert!(ern.starts_with("UAPGO-"), "{ern}");

    let resp = s.download(&ern, &inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers().clone();
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["etag"], format!("\"{}\"", hex(&bytes)));
    assert_eq!(h["content-type"], body["media_type"].as_str().unwrap());
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"drone video.mp4\""));
    let got = resp.bytes().await.unwrap();
    assert_eq!(hex(&got), hex(&bytes));

    let (st, dup) = s.upload(&inv, &[("name", "copy.mp4")], bytes.clone()).await;
    assert_eq!(st, StatusCode::OK, "{dup}");
    assert_eq!(dup["duplicate_of"], ern.as_str());

    let (st, meta) = s.get(&format!("/api/v1/evidence/{ern}"), &inv).await;
    assert_eq!(st, StatusCode::OK, "{meta}");
    assert_eq!(meta["original_name"], "drone video.mp4");
    let (st, custody) = s
        .get(&format!("/api/v1/evidence/{ern}/custody"), &inv)
        .await;
    assert_eq!(st, StatusCode::OK, "{custody}");
    let actions: Vec<&str> = custody
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["intake", "access", "intake"], "{custody}");
    let (st, proof) = s.get(&format!("/api/v1/evidence/{ern}/proof"), &inv).await;
    assert_eq!(st, StatusCode::OK, "{proof}");
    assert_eq!(proof["entries"].as_array().unwrap().len(), 3);
    assert!(proof["checkpoint"].as_str().unwrap().starts_with(ORIGIN));
    let (st, list) = s.get("/api/v1/evidence?agency=UAPGO", &inv).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn ranges(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(1000);
    let (_, body) = s.upload(&inv, &[("name", "r.bin")], bytes.clone()).await;
    let ern = body["ern"].as_str().unwrap();
    for (range, want, content_range) in [
        ("bytes=0-9", 0..10, "bytes 0-9/1000"),
        ("bytes=990-", 990..1000, "bytes 990-999/1000"),
        ("bytes=-5", 995..1000, "bytes 995-999/1000"),
        ("bytes=500-2000", 500..1000, "bytes 500-999/1000"),
    ] {
        let resp = s.download(ern, &inv, Some(range)).await;
        assert_eq!(resp.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(resp.headers()["content-range"], content_range);
        assert_eq!(&resp.bytes().await.unwrap()[..], &bytes[want]);
    }
    let resp = s.download(ern, &inv, Some("bytes=1000-")).await;
    assert_eq!(resp.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(resp.headers()["content-range"], "bytes */1000");
    let resp = s
        .http
        .head(format!("{}/api/v1/evidence/{ern}/content", s.base))
        .bearer_auth(&inv)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-length"], "1000");
    let (_, custody) = s
        .get(&format!("/api/v1/evidence/{ern}/custody"), &inv)
        .await;
    assert_eq!(
        custody.as_array().unwrap().len(),
        5,
        "an intake and four downloads; neither the 416 nor the HEAD read bytes: {custody}"
    );
}

async fn another_agency_needs_a_grant_at_each_level(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (st, case) = s
        .post(
            "/api/v1/cases",
            &pros,
            json!({"reference": "12022000000000123", "title": "Mariupol"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    let bytes = random(4096);
    let (st, body) = s
        .upload(
            &pros,
            &[("name", "statement.pdf"), ("case", "12022000000000123")],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let ern = body["ern"].as_str().unwrap().to_owned();
    let meta = format!("/api/v1/evidence/{ern}");

    let before = s.audit_records().await.len();
    assert_eq!(s.get(&meta, &b_inv).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        s.download(&ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, list) = s.get("/api/v1/evidence", &b_inv).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing leaks in lists"
    );
    assert_eq!(
        s.audit_records().await.len(),
        before + 2,
        "each denial one record"
    );

    let grant = |level: &str| {
        json!({"grantee": "JITEU", "target": {"kind": "case", "id": case["id"]},
        "level": level, "purpose": "JIT"})
    };
    let (st, g) = s.post("/api/v1/grants", &pros, grant("metadata")).await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let (st, m) = s.get(&meta, &b_inv).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(
        s.download(&ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );

    let (st, _) = s.post("/api/v1/grants", &pros, grant("download")).await;
    assert_eq!(st, StatusCode::CREATED);
    let before = s.audit_records().await.len();
    let resp = s.download(&ern, &b_inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(hex(&resp.bytes().await.unwrap()), hex(&bytes));
    let records = s.audit_records().await;
    assert_eq!(records.len(), before + 1, "one download, one audit record");
    let last = records.last().unwrap();
    assert_eq!(
        last.target.as_deref(),
        Some(format!("evidence:{ern}").as_str())
    );
}

async fn revocation_cuts_a_download_in_progress(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (_, case) = s
        .post(
            "/api/v1/cases",
            &pros,
            json!({"reference": "JIT-2022", "title": "Bucha"}),
        )
        .await;
    let size = 24 << 20;
    let (st, body) = s
        .upload(
            &pros,
            &[("name", "big.bin"), ("case", "JIT-2022")],
            random(size),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let ern = body["ern"].as_str().unwrap();
    let (st, g) = s
        .post(
            "/api/v1/grants",
            &pros,
            json!({"grantee": "JITEU",
            "target": {"kind": "case", "id": case["id"]}, "level": "download", "purpose": "JIT"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");

    let mut resp = s.download(ern, &b_inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut received = resp.chunk().await.unwrap().unwrap().len();
    let gid = g["id"].as_str().unwrap();
    let (st, _) = s
        .call(
            Method::DELETE,
            &format!("/api/v1/grants/{gid}"),
            Some(&pros),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let mut cut = false;
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => received += c.len(),
            Ok(None) => break,
            Err(_) => {
                cut = true;
                break;
            }
        }
    }
    assert!(
        cut && received < size,
        "cut after {received} of {size} bytes"
    );
    let records = s.audit_records().await;
    assert!(records
        .iter()
        .any(|r| r.reason.starts_with("download stopped")
            && r.target.as_deref() == Some(&format!("evidence:{ern}"))));
    assert_eq!(
        s.download(ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn grants_on_the_item_itself_and_open_items(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (_, restricted) = s.upload(&pros, &[("name", "r.bin")], random(2000)).await;
    let ern = restricted["ern"].as_str().unwrap();
    let (st, g) = s
        .post(
            "/api/v1/grants",
            &pros,
            json!({"grantee": "JITEU", "level": "metadata", "purpose": "JIT",
                "target": {"kind": "evidence", "id": restricted["evidence"]["id"]}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let (st, m) = s.get(&format!("/api/v1/evidence/{ern}"), &b_inv).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(
        s.download(ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, list) = s.get("/api/v1/evidence", &b_inv).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");

    // An open item: every agency sees its metadata; a copy of the bytes needs a grant.
    let (_, open) = s
        .upload(
            &pros,
            &[("name", "o.bin"), ("classification", "open")],
            random(100),
        )
        .await;
    let open_ern = open["ern"].as_str().unwrap();
    let (st, _) = s.get(&format!("/api/v1/evidence/{open_ern}"), &b_inv).await;
    assert_eq!(st, StatusCode::OK);
    let before = s.audit_records().await.len();
    assert_eq!(
        s.download(open_ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let resp = s.download(open_ern, &pros, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let records = s.audit_records().await;
    assert_eq!(records.len(), before + 2, "a denial and a download");
    assert_eq!(records.last().unwrap().action, "evidence.download");
}

on_both_backends!(
    upload_and_download_round_trip,
    ranges,
    another_agency_needs_a_grant_at_each_level,
    revocation_cuts_a_download_in_progress,
    grants_on_the_item_itself_and_open_items,
);
