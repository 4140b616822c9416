//! The dokaz HTTP API: the spine every agency trusts. A user of agency A must never see what
//! agency B has not granted, and every decision must be on record.
//!
//! - [`auth`]: who is asking (sessions, API tokens, rate-limited login) — the [`Caller`]
//!   extractor, built in one place;
//! - [`authz`]: what they may do — [`authz::Authorized`] carries a record only after
//!   `dokaz_access::decide` allowed it, and [`listing`] filters lists the same way;
//! - [`audit`]: every decision that must be on record, durable before the response;
//! - [`record_cache`]: incidents recently read, in front of the store, forgotten on every
//!   write of this node and expiring for writes of others;
//! - [`error`]: the one mapping from errors to JSON responses;
//! - [`router`] and [`handlers`]: the routes under `/api/v1`.
#![forbid(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod authz;
pub mod consent;
pub mod deconflict;
pub mod error;
pub mod extract;
pub mod handlers;
pub mod listing;
pub mod match_view;
pub mod openapi;
pub mod record_cache;
pub mod records;
pub mod router;
pub mod state;

use std::future::Future;
use std::net::SocketAddr;

pub use auth::Caller;
pub use error::ApiError;
pub use state::{AppState, PseudonymKey, Settings, Shared};

/// Serves the API on `listener` until `shutdown` completes, then lets in-flight requests
/// finish. Tests pass a listener on `127.0.0.1:0`; `dokaz serve` one on the configured
/// address and Ctrl-C / SIGTERM as `shutdown`.
pub async fn launch(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router::build(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
