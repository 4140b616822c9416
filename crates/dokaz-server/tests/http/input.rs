//! Bad input: each a clear JSON error with a fitting status.

use dokaz_model::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{new_incident, Kind, Server};

async fn bad_input_gets_clear_json_errors(kind: Kind) {
    let s = Server::start(kind).await;
    let t = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let admin = s.login_as(s.a, "admin", &[Role::Admin], false).await;

    // Malformed JSON: 400 with the position.
    let (st, body) = s
        .raw(
            Method::POST,
            "/api/v1/incidents",
            &t,
            b"{\"title\": ".to_vec(),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "malformed_json");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1 column"),
        "{body}"
    );

    // A wrong type: 422 naming the field path.
    let mut wrong = new_incident("t", "open");
    wrong["occurred"]["start"] = json!(12);
    let (st, body) = s.post("/api/v1/incidents", &t, wrong).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "occurred.start");

    // An unknown field is refused, not dropped.
    let mut extra = new_incident("t", "open");
    extra["titel"] = json!("typo");
    let (st, body) = s.post("/api/v1/incidents", &t, extra).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Validation: every problem with its path.
    let mut invalid = new_incident("", "open");
    invalid["location"] = json!({"coordinates": {"lat": 123.0, "lon": 30.0}});
    let (st, body) = s.post("/api/v1/incidents", &t, invalid).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<_> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["incident.title", "incident.location.lat"]);

    // Oversized: 413.
    let mut big = new_incident("big", "open");
    big["narratives"] = json!([{"text": "x".repeat(2 * 1024 * 1024)}]);
    // On its own connection: the server answers 413 without reading the rest of the body and
    // closes the connection, which a pooled client could otherwise reuse for the next request.
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/incidents", s.base))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .header("connection", "close")
        .body(serde_json::to_vec(&big).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");

    // Not JSON at all: 415.
    let resp = s
        .http
        .post(format!("{}/api/v1/incidents", s.base))
        .bearer_auth(&t)
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Unknown and malformed ids.
    let (st, body) = s
        .get("/api/v1/incidents/0190b7a4-0000-7000-8000-000000000000", &t)
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
    let (st, body) = s.get("/api/v1/incidents/..%2F..%2Fetc%2Fpasswd", &t).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "bad_request");
    let (st, _) = s.get("/api/v1/incidents/../../etc/passwd", &t).await;
    assert!(
        st == StatusCode::NOT_FOUND || st == StatusCode::BAD_REQUEST,
        "{st}"
    );

    // Path traversal in a name: refused with the field named.
    let (st, body) = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "../../etc/passwd", "roles": ["analyst"]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "login");

    // A bad query parameter and a bad cursor.
    let (st, body) = s.get("/api/v1/incidents?limit=many", &t).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, body) = s.get("/api/v1/incidents?after=@@", &t).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "after");

    // A duplicate reference: 409.
    let mut r = new_incident("one", "open");
    r["reference"] = json!("INC-1");
    assert_eq!(
        s.post("/api/v1/incidents", &t, r.clone()).await.0,
        StatusCode::CREATED
    );
    let (st, body) = s.post("/api/v1/incidents", &t, r).await;
    assert_eq!(st, StatusCode::CONFLICT, "{body}");
}

crate::on_both_backends!(bad_input_gets_clear_json_errors);
