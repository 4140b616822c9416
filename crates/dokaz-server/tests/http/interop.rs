//! Bulk import and export over HTTP: an agency syncs its spreadsheet through the API under its
//! own rights (idempotent, one update for one edited row, a dry run writes nothing, a file
//! with a bad row writes nothing), imported persons of two agencies meet in deconfliction,
//! and an export gives each caller only what their rights allow, audited.

use dokaz_model::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::{Kind, Server};

/// A registry's own layout, Cyrillic names (the shipped `generic` mapping).
const GENERIC: &str = include_str!("../../../dokaz-import/tests/data/generic.csv");
/// Another agency's export in dokaz's layout, Latin names for some of the same people.
const OTHER: &str = include_str!("../../../dokaz-import/tests/data/other-agency.csv");

async fn import(s: &Server, token: &str, query: &str, body: &str) -> (StatusCode, Value) {
    s.raw(
        Method::POST,
        &format!("/api/v1/import/{query}"),
        token,
        body.as_bytes().to_vec(),
    )
    .await
}

async fn export(s: &Server, token: &str, query: &str) -> (StatusCode, String, u64) {
    let resp = s
        .http
        .get(format!("{}/api/v1/export/{query}", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let identities = resp
        .headers()
        .get("x-dokaz-identities-withheld")
        .map(|v| v.to_str().unwrap().parse().unwrap())
        .unwrap_or(0);
    (status, resp.text().await.unwrap(), identities)
}

async fn persons_of(s: &Server, agency: dokaz_model::AgencyId) -> usize {
    s.store
        .list_persons(Some(agency), dokaz_store::PageRequest::first(100))
        .await
        .unwrap()
        .items
        .len()
}

async fn sync_over_http(kind: Kind) {
    let s = Server::start_matching(kind).await;
    let anna = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let q = "persons?mapping=generic&source=registry";

    let (st, v) = import(&s, &anna, q, GENERIC).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        (v["created"].as_u64(), v["written"].as_bool()),
        (Some(3), Some(true)),
        "{v}"
    );
    assert_eq!(persons_of(&s, s.a).await, 3);

    let (st, v) = import(&s, &anna, q, GENERIC).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{v}"
    );

    let edited = GENERIC.replace("Шевчук,Андрій", "Шевчук,Андрiй Олегович");
    let (st, v) = import(&s, &anna, &format!("{q}&dry_run=true"), &edited).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        (v["updated"].as_u64(), v["written"].as_bool()),
        (Some(1), Some(false)),
        "{v}"
    );
    assert_eq!(v["plan"].as_array().unwrap().len(), 3, "{v}");
    let (_, v) = import(&s, &anna, q, &edited).await;
    assert_eq!(
        (v["updated"].as_u64(), v["unchanged"].as_u64()),
        (Some(1), Some(2)),
        "{v}"
    );

    // The other agency's Latin-script list meets the Cyrillic one in deconfliction.
    let bruno = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (st, v) = import(&s, &bruno, "persons?source=hr-list", OTHER).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(v["matches"].as_u64().unwrap() >= 1, "{v}");
    let (_, page) = s.get("/api/v1/matches?kind=person", &anna).await;
    assert!(!page["items"].as_array().unwrap().is_empty(), "{page}");
}

async fn refusals_write_nothing(kind: Kind) {
    let s = Server::start(kind).await;
    let anna = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let alex = s.login_as(s.a, "alex", &[Role::Analyst], false).await;

    // A role that may not write: refused before the body is read, and audited.
    let (st, v) = import(&s, &alex, "persons?mapping=generic", GENERIC).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let audit = s.audit_records().await;
    assert!(
        audit
            .iter()
            .any(|r| r.action == "person.import" && r.decision.code() == "deny"),
        "{audit:?}"
    );

    // One impossible date: the whole file is refused, the row and field named.
    let bad = GENERIC.replace("03.04.1979", "31.02.1979");
    let (st, v) = import(&s, &anna, "persons?mapping=generic", &bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["written"], false);
    let e = &v["errors"][0];
    assert_eq!(e["line"], 2, "{v}");
    // The column as the agency's own file names it.
    assert_eq!(e["field"], "Дата народження", "{v}");
    assert!(e["reason"].as_str().unwrap().contains("31.02.1979"), "{v}");
    assert_eq!(persons_of(&s, s.a).await, 0);
    // … unless the valid rows are wanted.
    let (st, v) = import(&s, &anna, "persons?mapping=generic&skip_invalid=true", &bad).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["created"], 2, "{v}");

    let (st, v) = import(&s, &anna, "people", GENERIC).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, v) = import(&s, &anna, "persons?mapping=excel", GENERIC).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("mapping"), "{v}");
    let (st, v) = import(&s, &anna, "incidents?mapping=generic", GENERIC).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = import(&s, &anna, "incidents", "no,header,we,know\n1,2,3,4\n").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("file"), "{v}");
}

async fn exports_follow_rights(kind: Kind) {
    let s = Server::start(kind).await;
    let anna = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let cleo = s.login_as(s.a, "cleo", &[Role::Investigator], true).await;
    let bruno = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (st, v) = import(
        &s,
        &anna,
        "persons?mapping=generic&source=registry",
        GENERIC,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // Not cleared: the two protected identities are pseudonyms; the external ids are there.
    let (st, csv, withheld) = export(&s, &anna, "persons").await;
    assert_eq!(st, StatusCode::OK, "{csv}");
    assert_eq!(withheld, 2, "{csv}");
    assert!(csv.contains("P-17") && !csv.contains("Коваленко"), "{csv}");
    assert!(csv.contains("Шевчук"), "{csv}");
    // Cleared: every name.
    let (_, jsonl, withheld) = export(&s, &cleo, "persons?format=jsonl").await;
    assert_eq!(withheld, 0);
    assert_eq!(jsonl.lines().count(), 3, "{jsonl}");
    assert!(jsonl.contains("Коваленко"), "{jsonl}");
    // Another agency sees none of the restricted records.
    let (st, csv, _) = export(&s, &bruno, "persons").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");

    let audit = s.audit_records().await;
    let exports: Vec<_> = audit
        .iter()
        .filter(|r| r.action == "person.export")
        .collect();
    assert_eq!(exports.len(), 3, "{audit:?}");
    assert!(
        exports[0].reason.contains("3 persons written"),
        "{:?}",
        exports[0]
    );

    let (st, body, _) = export(&s, &anna, "persons?format=geojson").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, body, _) = export(&s, &anna, "persons?agency=NOWHERE").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

crate::on_both_backends!(
    sync_over_http,
    refusals_write_nothing,
    exports_follow_rights
);
