//! The credential cache: what ends a session or a token on this node takes effect on the very
//! next request even though the credential was cached (a time to live of an hour, so only
//! the invalidation can explain a 401); lifetimes hold exactly; changes made behind the
//! node's back (another node, the command line) are seen within the time to live.

use std::time::Duration;

use dokaz_model::{AgencyId, Role, UserId};
use dokaz_server::auth::token;
use dokaz_server::Settings;
use dokaz_store::StoreError;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Kind, Server};

fn cached_for(ttl: Duration) -> Settings {
    Settings {
        credential_cache_ttl: ttl,
        ..Settings::default()
    }
}

const AN_HOUR: Duration = Duration::from_secs(3600);

/// Adds a user and logs them in: their id and session token.
async fn login(s: &Server, agency: AgencyId, name: &str, roles: &[Role]) -> (UserId, String) {
    let (id, pw) = s.user(agency, name, roles, false).await;
    let (st, body) = s
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"login": name, "password": pw})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    (id, body["token"].as_str().unwrap().to_owned())
}

async fn status(s: &Server, token: &str) -> StatusCode {
    s.get("/api/v1/incidents", token).await.0
}

async fn logout_ends_a_cached_session_at_once(kind: Kind) {
    let s = Server::start_with(kind, cached_for(AN_HOUR)).await;
    let (_, t) = login(&s, s.a, "anna", &[Role::Investigator]).await;
    let (_, other) = login(&s, s.a, "boris", &[Role::Investigator]).await;
    for _ in 0..3 {
        assert_eq!(status(&s, &t).await, StatusCode::OK);
    }
    assert_eq!(status(&s, &other).await, StatusCode::OK);
    let (st, _) = s
        .call(Method::DELETE, "/api/v1/session", Some(&t), None)
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(status(&s, &t).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(&s, &other).await,
        StatusCode::OK,
        "other sessions go on"
    );
}

async fn revoking_ends_a_cached_api_token_at_once(kind: Kind) {
    let s = Server::start_with(kind, cached_for(AN_HOUR)).await;
    let (_, t) = login(&s, s.a, "anna", &[Role::Investigator]).await;
    let (st, created) = s
        .post(
            "/api/v1/tokens",
            &t,
            json!({"name": "export", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let api = created["token"].as_str().unwrap().to_owned();
    assert_eq!(status(&s, &api).await, StatusCode::OK);
    assert_eq!(status(&s, &api).await, StatusCode::OK);
    // The scope is still checked on every request, cached or not.
    let (st, _) = s
        .post(
            "/api/v1/incidents",
            &api,
            crate::common::new_incident("x", "open"),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
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
    assert_eq!(status(&s, &api).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&s, &t).await, StatusCode::OK);
}

async fn disabling_a_user_ends_their_cached_credentials_at_once(kind: Kind) {
    let s = Server::start_with(kind, cached_for(AN_HOUR)).await;
    let (_, admin) = login(&s, s.a, "admin", &[Role::Admin]).await;
    let (vera, session) = login(&s, s.a, "vera", &[Role::Analyst]).await;
    let (st, created) = s
        .post(
            "/api/v1/tokens",
            &session,
            json!({"name": "export", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let api = created["token"].as_str().unwrap().to_owned();
    assert_eq!(status(&s, &session).await, StatusCode::OK);
    assert_eq!(status(&s, &api).await, StatusCode::OK);
    let (st, _) = s
        .post(&format!("/api/v1/users/{vera}/disable"), &admin, json!({}))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(status(&s, &session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(&s, &api).await,
        StatusCode::UNAUTHORIZED,
        "the account's API tokens stop with it"
    );
    assert_eq!(status(&s, &admin).await, StatusCode::OK);
}

async fn the_idle_limit_counts_from_the_last_request_exactly(kind: Kind) {
    let s = Server::start_with(
        kind,
        Settings {
            session_idle: chrono::Duration::seconds(2),
            ..cached_for(AN_HOUR)
        },
    )
    .await;
    let (_, t) = login(&s, s.a, "anna", &[Role::Investigator]).await;
    // Used every half second for longer than the idle limit: alive, though the stored
    // last-seen time is written only once a minute.
    for _ in 0..7 {
        assert_eq!(status(&s, &t).await, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let stored = s.sessions.session(&token::digest(&t)).await.unwrap();
    assert_eq!(
        stored.last_seen_at, stored.created_at,
        "no write per request"
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(status(&s, &t).await, StatusCode::UNAUTHORIZED, "idle");
    assert!(
        matches!(
            s.sessions.session(&token::digest(&t)).await,
            Err(StoreError::NotFound { .. })
        ),
        "an idle session is removed"
    );
}

async fn the_absolute_lifetime_holds_for_a_cached_session(kind: Kind) {
    let s = Server::start_with(
        kind,
        Settings {
            session_lifetime: chrono::Duration::seconds(3),
            ..cached_for(AN_HOUR)
        },
    )
    .await;
    let (_, t) = login(&s, s.a, "anna", &[Role::Investigator]).await;
    assert_eq!(status(&s, &t).await, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(status(&s, &t).await, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(status(&s, &t).await, StatusCode::UNAUTHORIZED, "expired");
}

async fn changes_made_elsewhere_are_seen_within_the_time_to_live(kind: Kind) {
    let s = Server::start_with(kind, cached_for(Duration::from_millis(500))).await;
    let (anna, t) = login(&s, s.a, "anna", &[Role::Investigator]).await;
    let (_, u) = login(&s, s.a, "boris", &[Role::Investigator]).await;
    assert_eq!(status(&s, &t).await, StatusCode::OK);
    assert_eq!(status(&s, &u).await, StatusCode::OK);
    // What another node or `dokaz admin user disable` does: the store only.
    s.store.set_user_disabled(anna, true).await.unwrap();
    s.sessions.delete_session(&token::digest(&u)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(status(&s, &t).await, StatusCode::UNAUTHORIZED, "disabled");
    assert_eq!(status(&s, &u).await, StatusCode::UNAUTHORIZED, "logged out");
}

crate::on_both_backends!(
    logout_ends_a_cached_session_at_once,
    revoking_ends_a_cached_api_token_at_once,
    disabling_a_user_ends_their_cached_credentials_at_once,
    the_idle_limit_counts_from_the_last_request_exactly,
    the_absolute_lifetime_holds_for_a_cached_session,
    changes_made_elsewhere_are_seen_within_the_time_to_live,
);
