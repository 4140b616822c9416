//! Matching on write over HTTP, and the interview check: a person recorded by agency B in
//! Latin script is matched at once to agency A's Cyrillic record, both agencies see the match,
//! and A's check before a new interview finds B's interview of her; a sealed person of B is
//! reported by its agency only.

use dokaz_model::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{Kind, Server};

async fn person(s: &Server, token: &str, full: &str, birth: &str, classification: &str) -> String {
    let (st, p) = s
        .post(
            "/api/v1/persons",
            token,
            json!({"roles": ["witness"], "names": [{"full": full}], "birth_date": birth,
                   "sex": "female", "classification": classification}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    p["id"].as_str().unwrap().to_owned()
}

async fn interview(s: &Server, token: &str, person: &str, date: &str) {
    let (st, i) = s
        .post(
            "/api/v1/interviews",
            token,
            json!({"person": person, "date": date, "interviewer_role": "investigator",
                   "topics": ["rs-7-1-d"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{i}");
}

async fn matched_on_write_and_checked_before_an_interview(kind: Kind) {
    let s = Server::start_matching(kind).await;
    let a = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;

    let at_a = person(&s, &a, "Коваленко Елена", "1984-05-17", "restricted").await;
    let at_b = person(&s, &b, "Kovalenko Olena", "1984-05-17", "restricted").await;
    let sealed = person(&s, &b, "Коваленко Олена Петрівна", "1984-05-17", "sealed").await;
    interview(&s, &b, &at_b, "2023-02-01").await;
    interview(&s, &b, &sealed, "2023-06-12").await;

    // Both agencies see the matches found when B wrote its records.
    for token in [&a, &b] {
        let (st, page) = s.get("/api/v1/matches?kind=person", token).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        assert!(!page["items"].as_array().unwrap().is_empty(), "{page}");
    }

    let (st, check) = s
        .get(&format!("/api/v1/persons/{at_a}/interview-check"), &a)
        .await;
    assert_eq!(st, StatusCode::OK, "{check}");
    let others = check["others"].as_array().unwrap();
    assert_eq!(others.len(), 2, "{check}");
    let open: &Value = others.iter().find(|o| o["kind"] == "open").unwrap();
    assert_eq!(open["person"], at_b.as_str());
    assert_eq!(open["interviews"][0]["date"], "2023-02-01");
    let hidden: &Value = others.iter().find(|o| o["kind"] == "sealed").unwrap();
    assert_eq!(
        hidden.as_object().unwrap().len(),
        2,
        "only kind and agency: {hidden}"
    );
    let text = check.to_string();
    assert!(
        !text.contains(&sealed) && !text.contains("2023-06-12"),
        "{text}"
    );

    // Only those who would record the interview may ask: not another agency.
    let (st, _) = s
        .get(&format!("/api/v1/persons/{at_a}/interview-check"), &b)
        .await;
    assert!(
        st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND,
        "{st}"
    );
}

crate::on_both_backends!(matched_on_write_and_checked_before_an_interview);
