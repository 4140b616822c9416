//! A real server on 127.0.0.1:0 over a real store (SQLite in a temporary directory, or a
//! fresh PostgreSQL database), two agencies with users of every role, and a small HTTP client.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::Utc;
use dokaz_model::{Agency, AgencyCode, AgencyId, AgencyKind, AuditRecord, Role, User, UserId};
use dokaz_server::handlers::users::create_with_password;
use dokaz_server::{AppState, Settings};
use dokaz_store::{AuditFilter, AuditStore, PageRequest, SessionStore, Store};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub sessions: Arc<dyn SessionStore>,
    pub audit: Arc<dyn AuditStore>,
    pub a: AgencyId,
    pub b: AgencyId,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

async fn open(kind: Kind, dir: &std::path::Path) -> Arc<dyn Store> {
    match kind {
        Kind::Sqlite => {
            let url = format!("sqlite://{}/dokaz.db", dir.display());
            Arc::new(dokaz_store_sqlite::SqliteStore::open(&url).await.unwrap())
        }
        Kind::Postgres => {
            let url = dokaz_store_postgres::testing::TestCluster::shared()
                .await
                .fresh_database()
                .await;
            Arc::new(
                dokaz_store_postgres::PostgresStore::open(&url)
                    .await
                    .unwrap(),
            )
        }
    }
}

fn agency(code: &str) -> Agency {
    Agency {
        id: AgencyId::new(),
        code: code.parse::<AgencyCode>().unwrap(),
        name: format!("{code} office"),
        kind: AgencyKind::NationalProsecutor,
        country: String::new(),
        created_at: Utc::now(),
    }
}

impl Server {
    pub async fn start(kind: Kind) -> Self {
        Self::start_with(kind, Settings::default()).await
    }

    pub async fn start_with(kind: Kind, settings: Settings) -> Self {
        Self::start_full(kind, settings, None).await
    }

    /// A server that matches every write against the other agency's records.
    pub async fn start_matching(kind: Kind) -> Self {
        let matching = dokaz_server::deconflict::Matching {
            weights: Arc::new(dokaz_match::weights::Weights::default()),
            key: [5u8; 32][..].into(),
        };
        Self::start_full(kind, Settings::default(), Some(matching)).await
    }

    async fn start_full(
        kind: Kind,
        settings: Settings,
        matching: Option<dokaz_server::deconflict::Matching>,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = open(kind, dir.path()).await;
        let (a, b) = (agency("UAPGO"), agency("JITEU"));
        store.create_agency(&a).await.unwrap();
        store.create_agency(&b).await.unwrap();
        let mut state = AppState::from_store(
            store.clone(),
            dokaz_server::PseudonymKey(b"test pseudonym key"[..].into()),
            settings,
        );
        if let Some(m) = matching {
            state = state.with_matching(m);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(dokaz_server::launch(state, listener, async {
            let _ = rx.await;
        }));
        Self {
            base,
            http: reqwest::Client::new(),
            sessions: store.clone(),
            audit: store.clone(),
            store,
            a: a.id,
            b: b.id,
            stop: Some(tx),
            _dir: dir,
        }
    }

    /// Adds a user and returns their login and one-time password.
    pub async fn user(
        &self,
        agency: AgencyId,
        login: &str,
        roles: &[Role],
        cleared: bool,
    ) -> (UserId, String) {
        let user = User {
            id: UserId::new(),
            agency,
            login: login.parse().unwrap(),
            display_name: login.into(),
            roles: roles.to_vec(),
            identity_cleared: cleared,
            disabled: false,
            created_at: Utc::now(),
        };
        let pw = create_with_password(self.store.as_ref(), &user)
            .await
            .unwrap();
        (user.id, pw)
    }

    /// Adds a user and logs them in; returns a bearer token.
    pub async fn login_as(
        &self,
        agency: AgencyId,
        login: &str,
        roles: &[Role],
        cleared: bool,
    ) -> String {
        let (_, pw) = self.user(agency, login, roles, cleared).await;
        let (s, body) = self
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"login": login, "password": pw})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// A raw body with a content type, for malformed input.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let resp = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Every audit record, oldest first.
    pub async fn audit_records(&self) -> Vec<AuditRecord> {
        let mut all = vec![];
        let mut page = PageRequest::first(1000);
        loop {
            let p = self
                .audit
                .list_audit(&AuditFilter::default(), page)
                .await
                .unwrap();
            all.extend(p.items);
            match p.next {
                Some(n) => page.after = Some(dokaz_store::Cursor::decode(&n).unwrap()),
                None => return all,
            }
        }
    }

    /// The audit records after `mark` (a cursor from an earlier call; `None` for all), and
    /// the mark after the last of them — so a long test counts new records in O(new).
    pub async fn audit_after(
        &self,
        mark: Option<dokaz_store::Cursor>,
    ) -> (Vec<AuditRecord>, Option<dokaz_store::Cursor>) {
        let mut all = vec![];
        let mut page = PageRequest {
            after: mark,
            limit: 1000,
        };
        loop {
            let p = self
                .audit
                .list_audit(&AuditFilter::default(), page)
                .await
                .unwrap();
            all.extend(p.items);
            match p.next {
                Some(n) => page.after = Some(dokaz_store::Cursor::decode(&n).unwrap()),
                None => break,
            }
        }
        let mark = all
            .last()
            .map(|r| dokaz_store::Cursor(r.id.as_uuid()))
            .or(mark);
        (all, mark)
    }

    /// Creates an incident as `token` and returns its id.
    pub async fn incident(&self, token: &str, title: &str, classification: &str) -> String {
        let (s, body) = self
            .post(
                "/api/v1/incidents",
                token,
                new_incident(title, classification),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body["incident"]["id"].as_str().unwrap().to_owned()
    }
}

pub fn new_incident(title: &str, classification: &str) -> Value {
    json!({
        "title": title,
        "occurred": {"start": "2022-03-09T10:00:00Z", "precision": "hour"},
        "crimes": ["rs-8-2-b-ix"],
        "classification": classification,
        "narratives": [{"lang": "en", "text": "testimony of what happened"}]
    })
}

/// Runs each listed scenario on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Kind::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Kind::Postgres).await
                }
            )*
        }
    };
}
