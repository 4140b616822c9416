//! Evidence linked to incidents and cases: the links are checked at upload (only the own
//! agency's records), lists filter by them, and a grant on an incident or a case covers the
//! evidence linked to it.

use dokaz_model::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::harness::{random, start};
use crate::common::Kind;
use crate::on_both_backends;

async fn links_are_checked_filtered_and_covered_by_grants(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let own = s
        .incident(&pros, "shelling of a school", "restricted")
        .await;
    let theirs = s.incident(&b_inv, "their incident", "open").await;

    let (st, body) = s
        .upload(&pros, &[("name", "x"), ("incident", &theirs)], random(10))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "incident");

    let (st, linked) = s
        .upload(
            &pros,
            &[("name", "photo.jpg"), ("incident", &own)],
            random(64),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{linked}");
    assert_eq!(linked["evidence"]["incidents"][0], own.as_str());
    let (st, other) = s.upload(&pros, &[("name", "other")], random(64)).await;
    assert_eq!(st, StatusCode::CREATED, "{other}");

    let (_, list) = s
        .get(&format!("/api/v1/evidence?incident={own}"), &pros)
        .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["ern"], linked["ern"]);
    let (st, _) = s.get("/api/v1/evidence?incident=nope", &pros).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    // A grant on the incident covers the evidence linked to it, and only that.
    let (st, g) = s
        .post(
            "/api/v1/grants",
            &pros,
            json!({"grantee": "JITEU", "target": {"kind": "incident", "id": own},
                "level": "download", "purpose": "JIT"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let ern = linked["ern"].as_str().unwrap();
    let resp = s.download(ern, &b_inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let other_ern = other["ern"].as_str().unwrap();
    let (st, _) = s
        .get(&format!("/api/v1/evidence/{other_ern}"), &b_inv)
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, list) = s.get("/api/v1/evidence?agency=UAPGO", &b_inv).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
}

on_both_backends!(links_are_checked_filtered_and_covered_by_grants);
