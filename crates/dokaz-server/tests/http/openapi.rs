//! The committed OpenAPI document is the one the server serves. When the API changes,
//! regenerate it with `DOKAZ_UPDATE_OPENAPI=1 cargo test -p dokaz-server --test http openapi`.

use crate::common::{Kind, Server};

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

#[tokio::test]
async fn served_document_matches_the_committed_file() {
    let server = Server::start(Kind::Sqlite).await;
    let resp = server
        .http
        .get(format!("{}/api/v1/openapi.json", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let served = resp.text().await.unwrap();
    assert_eq!(served, dokaz_server::openapi::document());
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "OpenAPI 3.1"
    );
    if std::env::var_os("DOKAZ_UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == served,
        "crates/dokaz-server/openapi.json differs from the served document; regenerate it with \
         `DOKAZ_UPDATE_OPENAPI=1 cargo test -p dokaz-server --test http openapi` and commit it"
    );
}
