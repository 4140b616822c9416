//! Sessions, API tokens, the same answer for unknown logins and wrong passwords, rate limits.

use chrono::{Duration, Utc};
use dokaz_model::{ApiTokenId, Role};
use dokaz_server::auth::token;
use dokaz_store::{ApiToken, Session};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Kind, Server};

mod credentials;

async fn health_and_request_ids(kind: Kind) {
    let s = Server::start(kind).await;
    for path in ["/healthz", "/readyz"] {
        let r = s
            .http
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers().contains_key("x-request-id"),
            "an id is made when none is sent"
        );
    }
    let r = s
        .http
        .get(format!("{}/healthz", s.base))
        .header("x-request-id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "req-42");
    let (st, body) = s
        .call(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

async fn login_use_logout(kind: Kind) {
    let s = Server::start(kind).await;
    let t = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    assert!(t.starts_with("dks_") && t.len() >= 40);
    let (st, _) = s.get("/api/v1/agencies", &t).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s
        .call(Method::DELETE, "/api/v1/session", Some(&t), None)
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = s.get("/api/v1/agencies", &t).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (st, _) = s.call(Method::GET, "/api/v1/agencies", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = s.get("/api/v1/agencies", "dks_not-a-token").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let logins: Vec<_> = s
        .audit_records()
        .await
        .into_iter()
        .filter(|r| r.action == "session.login")
        .collect();
    assert_eq!(logins.len(), 1, "each login is audited once");
}

async fn unknown_login_and_wrong_password_look_the_same(kind: Kind) {
    let s = Server::start(kind).await;
    s.user(s.a, "boris", &[Role::Analyst], false).await;
    let wrong = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": "boris", "password": "nope"})),
        )
        .await;
    let unknown = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": "nobody", "password": "nope"})),
        )
        .await;
    let traversal = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": "../../etc/passwd", "password": "x"})),
        )
        .await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, traversal);
    // All three are on record; the wrong password in the account's agency's log.
    let failed: Vec<_> = s
        .audit_records()
        .await
        .into_iter()
        .filter(|r| r.action == "session.login")
        .collect();
    assert_eq!(failed.len(), 3);
    assert_eq!(failed[0].agency, Some(s.a));
    assert!(failed[1].agency.is_none() && failed[2].agency.is_none());
}

async fn disabled_users_are_refused_and_lose_their_sessions(kind: Kind) {
    let s = Server::start(kind).await;
    let admin = s.login_as(s.a, "admin", &[Role::Admin], false).await;
    let (st, created) = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "vera", "roles": ["analyst"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let pw = created["one_time_password"].as_str().unwrap();
    let (st, body) = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": "vera", "password": pw})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let vera = body["token"].as_str().unwrap().to_owned();
    let id = created["user"]["id"].as_str().unwrap();
    let (st, _) = s
        .post(&format!("/api/v1/users/{id}/disable"), &admin, json!({}))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s.get("/api/v1/agencies", &vera).await;
    assert_eq!(
        st,
        StatusCode::UNAUTHORIZED,
        "the session ended with the account"
    );
    let (st, _) = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": "vera", "password": pw})),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Not an admin: refused, with the reason.
    let analyst = s.login_as(s.a, "olga", &[Role::Analyst], false).await;
    let (st, body) = s.get("/api/v1/users", &analyst).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(body["error"]["message"].as_str().unwrap().contains("admin"));
}

async fn api_tokens_scoped_expiring_revocable(kind: Kind) {
    let s = Server::start(kind).await;
    let t = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, created) = s
        .post(
            "/api/v1/tokens",
            &t,
            json!({"name": "nightly export", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let api = created["token"].as_str().unwrap().to_owned();
    assert!(api.starts_with("dkt_"));
    let (st, _) = s.get("/api/v1/incidents", &api).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body) = s
        .post(
            "/api/v1/incidents",
            &api,
            crate::common::new_incident("x", "open"),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "a read token cannot write: {body}"
    );
    let (st, list) = s.get("/api/v1/tokens", &t).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        list[0].get("token").is_none(),
        "the secret is shown only once"
    );
    let id = created["id"].as_str().unwrap();
    let (st, _) = s
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s.get("/api/v1/incidents", &api).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "revoked");

    // An expired token and an expired session.
    let (user, _) = s.user(s.a, "eve", &[Role::Analyst], false).await;
    let secret = token::generate(token::API_TOKEN_PREFIX);
    let now = Utc::now();
    s.sessions
        .create_api_token(&ApiToken {
            id: ApiTokenId::new(),
            user,
            name: "old".into(),
            token_hash: token::digest(&secret),
            scopes: vec!["read".into()],
            created_at: now - Duration::days(2),
            expires_at: Some(now - Duration::days(1)),
            revoked_at: None,
        })
        .await
        .unwrap();
    let (st, _) = s.get("/api/v1/agencies", &secret).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "expired token");
    let secret = token::generate(token::SESSION_PREFIX);
    s.sessions
        .create_session(&Session {
            token_hash: token::digest(&secret),
            user,
            created_at: now - Duration::hours(1),
            expires_at: now + Duration::hours(11),
            last_seen_at: now - Duration::minutes(31),
            address: "127.0.0.1".into(),
        })
        .await
        .unwrap();
    let (st, _) = s.get("/api/v1/agencies", &secret).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "idle session");
}

async fn failed_logins_are_rate_limited(kind: Kind) {
    let s = Server::start(kind).await;
    s.user(s.a, "dmytro", &[Role::Analyst], false).await;
    for _ in 0..5 {
        let (st, _) = s
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"login": "dmytro", "password": "guess"})),
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let resp = s
        .http
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"login": "dmytro", "password": "guess"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
}

crate::on_both_backends!(
    health_and_request_ids,
    login_use_logout,
    unknown_login_and_wrong_password_look_the_same,
    disabled_users_are_refused_and_lose_their_sessions,
    api_tokens_scoped_expiring_revocable,
    failed_logins_are_rate_limited,
);
