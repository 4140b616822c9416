//! `dokaz serve`: the HTTP API of this node, with its evidence vault.

use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_server::{AppState, PseudonymKey, Settings};

use crate::node::Node;
use crate::Global;

/// The name of the pseudonym key file in the data directory.
pub const PSEUDONYM_KEY_FILE: &str = "pseudonym.key";

/// Serve the HTTP API (`/api/v1`, OpenAPI at `/api/v1/openapi.json`) until Ctrl-C or SIGTERM.
///
/// Listens on `server.bind` from dokaz.toml (or DOKAZ_SERVER__BIND), 127.0.0.1:8700 by
/// default; `--bind` overrides it. Exposing a node beyond loopback is a decision: put it
/// behind a TLS-terminating proxy. On shutdown, requests in flight are finished first.
///
/// At first start the node's pseudonym key is made (`pseudonym.key` in the data directory,
/// readable by the owner only): protected persons appear to everyone not cleared under
/// pseudonyms keyed with it. Back it up with the signing key; losing it changes every
/// pseudonym.
///
/// A running node keeps credentials and incidents it has read in memory for 2 seconds.
/// Changes made through this node are seen by the very next request; changes made by the
/// command line (`dokaz admin user disable`, `dokaz import`) or by another node
/// on the same PostgreSQL database are seen within those 2 seconds — until then a read may
/// be decided on an incident's previous classification. Grants are always read afresh.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  dokaz serve\n  dokaz serve --bind 0.0.0.0:8700\n  \
    curl -s localhost:8700/readyz\n  curl -s localhost:8700/api/v1/openapi.json"
)]
pub struct Args {
    /// Address and port to listen on, e.g. 127.0.0.1:8700 or [::]:8700.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let bind = args.bind.unwrap_or_else(|| node.config.server.bind.clone());
    let key_path = node.data_path(std::path::Path::new(PSEUDONYM_KEY_FILE));
    let key = PseudonymKey::load_or_create(&key_path)
        .with_context(|| format!("reading or making {}", key_path.display()))?;
    let vault = crate::vault::open(&node).await?;
    let settings = Settings {
        max_upload: node.config.server.max_upload,
        ..Settings::default()
    };
    // Keys an older build filed are not met by this one's probes: say so, loudly, at start.
    for stale in crate::matcher::deconflictor(&node)?.stale_keys().await? {
        tracing::warn!(kind = %stale.kind, filed = ?stale.filed, current = stale.current, "stale match keys");
        eprintln!("dokaz: warning: {stale}");
    }
    let matching = dokaz_server::deconflict::Matching {
        weights: std::sync::Arc::new(crate::matcher::node_weights(&node)?),
        key: crate::matcher::node_key(&node)?.into(),
    };
    let state = AppState::from_store(node.store.clone(), key, settings)
        .with_vault(vault.clone())
        .with_matching(matching);
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("listening on {bind}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = node.store.backend(), "serving the API");
    eprintln!("dokaz: serving the API on http://{addr}/api/v1 (Ctrl-C to stop)");
    dokaz_server::launch(state, listener, shutdown_signal())
        .await
        .context("serving")?;
    // The last intakes' checkpoint is published before the process ends.
    vault.sync().await.context("publishing the checkpoint")?;
    node.store.close().await;
    eprintln!("dokaz: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
