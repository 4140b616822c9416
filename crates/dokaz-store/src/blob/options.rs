//! How a blob store is reached: a local folder by path or `file://` URL, or an
//! S3-compatible bucket by `s3://bucket/prefix` with the connection settings below.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;

use super::error::{BlobError, BlobResult};

/// Connection settings for S3-compatible stores (AWS, Garage, MinIO, Ceph) and tuning for
/// every store. Secrets are redacted in `Debug` so that a logged configuration leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct BlobOptions {
    /// e.g. `http://127.0.0.1:3900` for Garage; `None` means AWS itself.
    pub endpoint: Option<String>,
    /// e.g. `garage` or `eu-central-1`; S3 signatures need one.
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// Plain HTTP endpoints (a store on the same host or private network).
    pub allow_http: bool,
    /// Size of each multipart part. S3 needs at least 5 MiB; larger parts mean fewer
    /// requests, smaller ones less memory per intake.
    pub part_size: usize,
    /// Parts in flight per intake. Memory per intake is about
    /// `part_size × (max_concurrency + 2)`, whatever the item's size.
    pub max_concurrency: usize,
}

impl Default for BlobOptions {
    fn default() -> Self {
        Self {
            endpoint: None,
            region: None,
            access_key_id: None,
            secret_access_key: None,
            session_token: None,
            allow_http: false,
            part_size: 8 << 20,
            max_concurrency: 4,
        }
    }
}

impl fmt::Debug for BlobOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("BlobOptions")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &redact(&self.secret_access_key))
            .field("session_token", &redact(&self.session_token))
            .field("allow_http", &self.allow_http)
            .field("part_size", &self.part_size)
            .field("max_concurrency", &self.max_concurrency)
            .finish()
    }
}

/// What `open` built: the store for evidence and staging, the store for derived objects,
/// and the local root when there is one.
pub(crate) struct Opened {
    pub durable: Arc<dyn ObjectStore>,
    pub derived: Arc<dyn ObjectStore>,
    pub local_root: Option<PathBuf>,
}

pub(crate) fn open_url(url: &str, options: &BlobOptions) -> BlobResult<Opened> {
    let bad = |reason: String| BlobError::BadUrl {
        url: url.to_owned(),
        reason,
    };
    if let Some(rest) = url.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("no bucket name after s3://".into()));
        }
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_allow_http(options.allow_http);
        if let Some(v) = &options.endpoint {
            b = b.with_endpoint(v);
        }
        if let Some(v) = &options.region {
            b = b.with_region(v);
        }
        if let Some(v) = &options.access_key_id {
            b = b.with_access_key_id(v);
        }
        if let Some(v) = &options.secret_access_key {
            b = b.with_secret_access_key(v);
        }
        if let Some(v) = &options.session_token {
            b = b.with_token(v);
        }
        let s3 = b.build().map_err(|e| bad(e.to_string()))?;
        let store: Arc<dyn ObjectStore> = match prefix.trim_matches('/') {
            "" => Arc::new(s3),
            p => Arc::new(PrefixStore::new(s3, p)),
        };
        // An S3 PUT is durable when acknowledged; the same store serves both roles.
        return Ok(Opened {
            durable: store.clone(),
            derived: store,
            local_root: None,
        });
    }
    let path = match url.strip_prefix("file://") {
        Some(p) => PathBuf::from(p),
        None if url.contains("://") => {
            return Err(bad(
                "expected a folder, file:///abs/dir or s3://bucket/prefix".into(),
            ))
        }
        None => PathBuf::from(url),
    };
    if path.as_os_str().is_empty() {
        return Err(bad("empty path".into()));
    }
    std::fs::create_dir_all(&path).map_err(|e| bad(format!("creating the folder: {e}")))?;
    let root = path
        .canonicalize()
        .map_err(|e| bad(format!("resolving the folder: {e}")))?;
    let local = |fsync| {
        LocalFileSystem::new_with_prefix(&root)
            .map(|s| s.with_fsync(fsync))
            .map_err(|e| bad(e.to_string()))
    };
    // Evidence must survive a power cut the moment intake reports success. object_store
    // 0.14 does not fsync by default; `with_fsync` makes it sync the written file before
    // publishing it by rename, and then every directory whose entries changed (each one it
    // created, and the parent of the renamed file) — the full set a crash-safe write needs,
    // so no hand-written fsync is required here.
    let durable: Arc<dyn ObjectStore> = Arc::new(local(true)?);
    // Tiles and the checkpoint copy are derived from SQL and rebuilt by fsck if lost; each is
    // still published atomically by rename, so a crash leaves an old or a missing file, never
    // a torn one. Syncing them would cost two fsyncs per tile for nothing.
    let derived: Arc<dyn ObjectStore> = Arc::new(local(false)?);
    Ok(Opened {
        durable,
        derived,
        local_root: Some(root),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let o = BlobOptions {
            access_key_id: Some("GK123".into()),
            secret_access_key: Some("very-secret".into()),
            session_token: Some("tok".into()),
            ..BlobOptions::default()
        };
        let s = format!("{o:?}");
        assert!(s.contains("GK123"));
        assert!(!s.contains("very-secret") && !s.contains("\"tok\""));
        assert!(s.contains("<redacted>"));
    }

    #[test]
    fn urls_are_checked() {
        let o = BlobOptions::default();
        assert!(open_url("s3://", &o).is_err());
        assert!(open_url("gs://bucket", &o).is_err());
        assert!(open_url("", &o).is_err());
        let dir = tempfile::tempdir().unwrap();
        let url = format!("file://{}", dir.path().join("blobs").display());
        let opened = open_url(&url, &o).unwrap();
        assert!(opened.local_root.unwrap().ends_with("blobs"));
    }
}
