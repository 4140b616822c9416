//! The baseline for `bench/api.sh`: the smallest axum server, on the same runtime and
//! allocator, so the benchmark shows what dokaz's authentication, decision and storage cost.
//!
//!   cargo run --release -p dokaz-server --example hello -- 127.0.0.1:8701

use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8701".into());
    let app = Router::new().route("/", get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("hello: serving on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
