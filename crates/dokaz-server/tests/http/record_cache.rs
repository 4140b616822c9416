//! The read cache of incidents: a write through the API is seen by the very next read of
//! anyone, though the record was cached for an hour (so only the invalidation can explain
//! it); a write behind the node's back (another node, the command line) is seen once the
//! entry expires, and until then the cache really serves the old record.

use std::time::Duration;

use dokaz_model::{Classification, IncidentId, Role};
use dokaz_server::Settings;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Kind, Server};

fn cached_for(ttl: Duration) -> Settings {
    Settings {
        record_cache_ttl: ttl,
        ..Settings::default()
    }
}

const AN_HOUR: Duration = Duration::from_secs(3600);

/// What another process does: the same database, not this node's store.
async fn behind_the_nodes_back(
    s: &Server,
    id: &str,
    change: impl FnOnce(&mut dokaz_model::Incident),
) {
    let id: IncidentId = id.parse().unwrap();
    let mut i = s.store.incident(id).await.unwrap();
    change(&mut i);
    s.store.update_incident(&i).await.unwrap();
}

async fn a_write_through_the_api_is_seen_by_the_very_next_read(kind: Kind) {
    let s = Server::start_with(kind, cached_for(AN_HOUR)).await;
    let a = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b = s
        .login_as(s.b, "bohdan", &[Role::Investigator], false)
        .await;
    let id = s.incident(&a, "shelling of a school", "open").await;
    let path = format!("/api/v1/incidents/{id}");
    let (st, body) = s.get(&path, &b).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "shelling of a school");

    // Cached: a change in the database alone is not seen within the hour…
    behind_the_nodes_back(&s, &id, |i| i.title = "changed elsewhere".into()).await;
    assert_eq!(s.get(&path, &b).await.1["title"], "shelling of a school");

    // …but a reclassification through the API is, by another user, on the next request.
    let (st, body) = s
        .call(
            Method::PATCH,
            &path,
            Some(&a),
            Some(json!({"classification": "sealed"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, _) = s.get(&path, &b).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "sealed at once");
    let (st, body) = s.get(&path, &a).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["classification"], "sealed");

    // A whole replacement, back to open: seen at once too.
    let mut next = crate::common::new_incident("shelling of school no. 5", "open");
    next["narratives"] = json!([]);
    let (st, body) = s.call(Method::PUT, &path, Some(&a), Some(next)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, body) = s.get(&path, &b).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "shelling of school no. 5");
}

async fn a_write_from_another_process_is_seen_within_the_time_to_live(kind: Kind) {
    let s = Server::start_with(kind, cached_for(Duration::from_millis(300))).await;
    let a = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let b = s
        .login_as(s.b, "bohdan", &[Role::Investigator], false)
        .await;
    let id = s.incident(&a, "strike on a grain silo", "open").await;
    let path = format!("/api/v1/incidents/{id}");
    assert_eq!(s.get(&path, &b).await.0, StatusCode::OK);
    behind_the_nodes_back(&s, &id, |i| i.classification = Classification::Sealed).await;
    // Polled rather than timed: the entry expires 300 ms after it was read; a loaded
    // machine may take longer to get there, never forever.
    let mut tries = 0;
    while s.get(&path, &b).await.0 != StatusCode::FORBIDDEN {
        tries += 1;
        assert!(tries < 600, "the sealing was never seen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

crate::on_both_backends!(
    a_write_through_the_api_is_seen_by_the_very_next_read,
    a_write_from_another_process_is_seen_within_the_time_to_live,
);
