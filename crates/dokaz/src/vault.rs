//! Opening a node's evidence vault: its blob store (from `[blobs]`), its signing key and the
//! log's origin (from `[ledger]`), over the node's registry.

use anyhow::{bail, Context as _};
use dokaz_ledger::Signer;
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_vault::Vault;

use crate::node::Node;

/// The vault of an opened node. Callers `sync` it before exiting so the last checkpoint is
/// published.
pub async fn open(node: &Node) -> anyhow::Result<Vault> {
    let config = &node.config;
    if config.ledger.origin.is_empty() {
        bail!("dokaz.toml has no ledger.origin; was this directory made by `dokaz init`?");
    }
    let s3 = &config.blobs.s3;
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let options = BlobOptions {
        endpoint: some(&s3.endpoint),
        region: some(&s3.region),
        access_key_id: some(&s3.access_key_id),
        secret_access_key: some(&s3.secret_access_key),
        allow_http: s3.allow_http,
        ..BlobOptions::default()
    };
    let url = config.blob_url(&node.data_dir);
    let blobs = BlobStore::open(&url, &options).context("opening the blob store")?;
    let key_path = config.key_path(&node.data_dir);
    let secret = std::fs::read_to_string(&key_path)
        .with_context(|| format!("reading the signing key {}", key_path.display()))?;
    let signer = Signer::parse(secret.trim())
        .with_context(|| format!("{} is not a signing key", key_path.display()))?;
    Vault::open(node.store.clone(), blobs, signer, &config.ledger.origin)
        .await
        .context("opening the evidence vault")
}
