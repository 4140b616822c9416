//! Deconfliction matches over HTTP: each agency sees its own side in full and of the other
//! side only what its rights allow; a sealed side is an agency to contact and nothing more; a
//! third agency learns nothing; each side decides for itself, dismissals with a reason.
//! Matches are put in through the store, as the matcher would.

use chrono::Utc;
use dokaz_model::{Agency, AgencyKind, Match, MatchKind, MatchSide, Role};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::common::{Kind, Server};

fn uuid(s: &str) -> Uuid {
    s.parse().unwrap()
}

async fn record(
    s: &Server,
    kind: MatchKind,
    x: (Uuid, dokaz_model::AgencyId, bool),
    y: (Uuid, dokaz_model::AgencyId, bool),
    score: f64,
    reasons: &str,
) -> String {
    let m = Match::new(
        kind,
        MatchSide::new(x.0, x.1, x.2),
        MatchSide::new(y.0, y.1, y.2),
        score,
        reasons.into(),
        Utc::now(),
    );
    s.store
        .record_matches(std::slice::from_ref(&m))
        .await
        .unwrap();
    m.id.to_string()
}

async fn matches_seen_within_rights(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let c = Agency {
        id: dokaz_model::AgencyId::new(),
        code: "THIRD".parse().unwrap(),
        name: "A third agency".into(),
        kind: AgencyKind::NationalProsecutor,
        country: String::new(),
        created_at: Utc::now(),
    };
    s.store.create_agency(&c).await.unwrap();
    let c_inv = s
        .login_as(c.id, "carla", &[Role::Investigator], false)
        .await;

    let a_open = uuid(&s.incident(&a_inv, "school shelled", "open").await);
    let a_restr = uuid(&s.incident(&a_inv, "hospital struck", "restricted").await);
    let b_open = uuid(&s.incident(&b_inv, "hospital hit", "open").await);
    let b_restr = uuid(&s.incident(&b_inv, "clinic fired on", "restricted").await);
    let b_sealed = uuid(
        &s.incident(&b_inv, "Witness Khrystyna Sealed", "sealed")
            .await,
    );

    let open = record(
        &s,
        MatchKind::Incident,
        (a_restr, s.a, false),
        (b_open, s.b, false),
        9.5,
        "same hospital 120 m apart, same day",
    )
    .await;
    let sealed = record(
        &s,
        MatchKind::Incident,
        (a_open, s.a, false),
        (b_sealed, s.b, true),
        12.25,
        "same school, same hour",
    )
    .await;
    let restricted = record(
        &s,
        MatchKind::Incident,
        (a_restr, s.a, false),
        (b_restr, s.b, false),
        4.0,
        "same clinic",
    )
    .await;
    // Records held elsewhere: judged as their agency's, never openable here.
    let person = record(
        &s,
        MatchKind::Person,
        (Uuid::now_v7(), s.a, false),
        (Uuid::now_v7(), s.b, false),
        3.0,
        "same name and birth year",
    )
    .await;

    // The open side: the record, its kind and agency, the reasons, whether it may be opened.
    let (st, v) = s.get(&format!("/api/v1/matches/{open}"), &a_inv).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["own"]["record"], a_restr.to_string());
    assert_eq!(v["own"]["status"], "new");
    assert_eq!(v["other"]["record"], b_open.to_string());
    assert_eq!(v["other"]["kind"], "incident");
    assert_eq!(v["other"]["agency"]["code"], "JITEU");
    assert_eq!(v["other"]["sealed"], false);
    assert_eq!(v["other"]["may_open"], true);
    assert_eq!(v["reasons"], "same hospital 120 m apart, same day");
    assert_eq!(v["score"], 9.5);
    let (_, v) = s
        .get(&format!("/api/v1/matches/{restricted}"), &a_inv)
        .await;
    assert_eq!(v["other"]["record"], b_restr.to_string());
    assert_eq!(
        v["other"]["may_open"], false,
        "no grant on B's restricted record"
    );

    // The sealed side: an agency to contact, nothing else.
    let (st, v) = s.get(&format!("/api/v1/matches/{sealed}"), &a_inv).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v["other"],
        json!({
            "agency": {"code": "JITEU", "name": "JITEU office"},
            "sealed": true,
            "message": "agency JITEU holds a record that matches yours — contact them"
        })
    );
    let text = v.to_string();
    for leak in [
        b_sealed.to_string().as_str(),
        "Khrystyna",
        "same school",
        "12.25",
        "reasons",
        "score",
        "updated_at",
    ] {
        assert!(!text.contains(leak), "{leak:?} leaked: {text}");
    }
    // From the sealed side, its own record is its own; the open side's is shown, the
    // reasons are not (they would speak of the sealed record).
    let (_, v) = s.get(&format!("/api/v1/matches/{sealed}"), &b_inv).await;
    assert_eq!(v["own"]["record"], b_sealed.to_string());
    assert_eq!(v["own"]["sealed"], true);
    assert_eq!(v["other"]["record"], a_open.to_string());
    assert_eq!(v["other"]["may_open"], true);
    assert!(v.get("reasons").is_none(), "{v}");

    // The list shows the same views; the sealed one reveals nothing there either.
    let (st, page) = s.get("/api/v1/matches", &a_inv).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [&open, &sealed, &restricted, &person]);
    assert!(!page.to_string().contains(&b_sealed.to_string()));
    assert_eq!(items[3]["other"]["may_open"], false);

    // A third agency: no such match, and an empty list.
    for path in [
        format!("/api/v1/matches/{open}"),
        format!("/api/v1/matches/{sealed}"),
    ] {
        let (st, body) = s.get(&path, &c_inv).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    }
    let (st, body) = s
        .post(
            &format!("/api/v1/matches/{open}/dismiss"),
            &c_inv,
            json!({"reason": "not ours"}),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    let (_, page) = s.get("/api/v1/matches", &c_inv).await;
    assert_eq!(page["items"], json!([]));
    let (st, _) = s
        .get(&format!("/api/v1/matches/{}", Uuid::now_v7()), &a_inv)
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

async fn lists_filter_and_page(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let mut ids = vec![];
    for n in 0..5 {
        let kind = if n < 3 {
            MatchKind::Incident
        } else {
            MatchKind::Unit
        };
        ids.push(
            record(
                &s,
                kind,
                (Uuid::now_v7(), s.a, false),
                (Uuid::now_v7(), s.b, false),
                f64::from(n),
                "same unit number",
            )
            .await,
        );
    }
    let mut seen = vec![];
    let mut path = "/api/v1/matches?limit=2".to_owned();
    loop {
        let (st, page) = s.get(&path, &a_inv).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|m| m["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            // `cursor` is accepted for `after`.
            Some(n) => path = format!("/api/v1/matches?limit=2&cursor={n}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    let (_, page) = s.get("/api/v1/matches?kind=unit", &a_inv).await;
    let got: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [&ids[3], &ids[4]]);

    let (st, body) = s.get("/api/v1/matches?kind=vehicle", &a_inv).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("\"kind\""), "{body}");
    let (st, body) = s.get("/api/v1/matches?status=maybe", &a_inv).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let (st, _) = s
        .post(
            &format!("/api/v1/matches/{}/confirm", ids[1]),
            &a_inv,
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = s.get("/api/v1/matches?status=confirmed", &a_inv).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], ids[1].as_str());
    let (_, page) = s
        .get("/api/v1/matches?status=new&kind=incident", &a_inv)
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
}

async fn decisions_are_per_side_and_audited(kind: Kind) {
    let s = Server::start(kind).await;
    let a_inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let a_ana = s.login_as(s.a, "alla", &[Role::Analyst], false).await;
    let b_pros = s.login_as(s.b, "boris", &[Role::Prosecutor], false).await;
    let id = record(
        &s,
        MatchKind::Incident,
        (Uuid::now_v7(), s.a, false),
        (Uuid::now_v7(), s.b, false),
        5.0,
        "same village, same day",
    )
    .await;
    let dismiss = format!("/api/v1/matches/{id}/dismiss");
    let confirm = format!("/api/v1/matches/{id}/confirm");

    for body in [json!({}), json!({"reason": "   "})] {
        let (st, b) = s.post(&dismiss, &a_inv, body).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(b.to_string().contains("\"reason\""), "names the field: {b}");
    }
    let (st, b) = s.post(&dismiss, &a_inv, json!({"why": "x"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

    // An analyst may read the match but not decide it; the refusal is audited.
    let (st, _) = s.get(&format!("/api/v1/matches/{id}"), &a_ana).await;
    assert_eq!(st, StatusCode::OK);
    let (st, b) = s.post(&confirm, &a_ana, json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{b}");
    let last = s.audit_records().await.pop().unwrap();
    assert_eq!(last.action, "match.confirm");
    assert_eq!(last.decision, dokaz_model::Decision::Deny);

    let (st, v) = s
        .post(
            &dismiss,
            &a_inv,
            json!({"reason": "різні села — different villages"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["own"]["status"], "dismissed");
    assert_eq!(v["own"]["reason"], "різні села — different villages");
    assert_eq!(v["other"]["status"], "new");
    let last = s.audit_records().await.pop().unwrap();
    assert_eq!(last.action, "match.dismiss");
    assert_eq!(last.decision, dokaz_model::Decision::Allow);
    assert_eq!(last.target.as_deref(), Some(format!("match:{id}").as_str()));

    // B's side is untouched by A's dismissal, and B sees A's status but not A's reason.
    let (_, v) = s.get(&format!("/api/v1/matches/{id}"), &b_pros).await;
    assert_eq!(v["own"]["status"], "new");
    assert_eq!(v["other"]["status"], "dismissed");
    assert!(!v.to_string().contains("різні"), "{v}");
    let (_, page) = s.get("/api/v1/matches?status=new", &b_pros).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);

    let (st, v) = s.post(&confirm, &b_pros, json!({"reason": "same"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["own"]["status"], "confirmed");
    let (_, v) = s.get(&format!("/api/v1/matches/{id}"), &a_inv).await;
    assert_eq!(v["own"]["status"], "dismissed");
    assert_eq!(v["other"]["status"], "confirmed");
    let stored = s.store.match_by_id(id.parse().unwrap()).await.unwrap();
    assert_eq!(stored.side_of(s.a).unwrap().status.code(), "dismissed");
    assert_eq!(stored.side_of(s.b).unwrap().status.code(), "confirmed");
}

crate::on_both_backends!(
    matches_seen_within_rights,
    lists_filter_and_page,
    decisions_are_per_side_and_audited,
);
