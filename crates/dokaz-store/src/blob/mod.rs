//! The blob store: evidence bytes, content-addressed by SHA-256, in a local folder or any
//! S3-compatible bucket (through `object_store`), plus the derived log objects (tlog tiles,
//! checkpoint) that are published beside them.
//!
//! Bytes enter through [`BlobStore::stage`] — streamed to `staging/`, hashed in the same
//! pass, in bounded parts whatever the size — and become evidence only when
//! [`BlobStore::promote`] moves them to `sha256/ab/cd/<hex>`. Between the two the caller can
//! refuse them (a declared hash that does not match) and nothing remains. Identical bytes are
//! stored once. The program never rewrites or deletes a blob that a registry row refers to.

mod error;
mod options;
mod paths;
mod read;
mod write;

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use object_store::memory::InMemory;
use object_store::ObjectStore;

pub use error::{BlobError, BlobResult};
pub use options::BlobOptions;
pub use paths::{content_path, digest_of, CONTENT_PREFIX, LOG_PREFIX, STAGING_PREFIX};
pub use write::Staged;

/// Bytes kept from the start of every intake, for media type sniffing and EXIF.
pub const HEAD_BYTES: usize = 256 << 10;

/// A handle on one blob store; cheap to clone.
#[derive(Clone)]
pub struct BlobStore {
    /// Evidence and staging: writes are durable when they return.
    durable: Arc<dyn ObjectStore>,
    /// Derived log objects: atomic but not synced (see `options::open_url`).
    derived: Arc<dyn ObjectStore>,
    local_root: Option<PathBuf>,
    url: String,
    part_size: usize,
    max_concurrency: usize,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("url", &self.url)
            .field("part_size", &self.part_size)
            .finish_non_exhaustive()
    }
}

/// What is known about a stored object without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobMeta {
    pub size: u64,
    pub last_modified: DateTime<Utc>,
}

/// A leftover in `staging/`: an intake that is running, or one that a crash interrupted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagingObject {
    pub name: String,
    pub size: u64,
    pub last_modified: DateTime<Utc>,
}

impl BlobStore {
    /// Opens `url`: a folder path or `file:///abs/dir` (created if missing), or
    /// `s3://bucket/prefix` with the connection settings in `options`.
    pub fn open(url: &str, options: &BlobOptions) -> BlobResult<Self> {
        let bad = |reason: &str| BlobError::BadUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        if options.part_size < (5 << 20) && url.starts_with("s3://") {
            return Err(bad("S3 multipart parts must be at least 5 MiB"));
        }
        if options.part_size == 0 || options.max_concurrency == 0 {
            return Err(bad("part_size and max_concurrency must be positive"));
        }
        let opened = options::open_url(url, options)?;
        Ok(Self {
            durable: opened.durable,
            derived: opened.derived,
            local_root: opened.local_root,
            url: url.to_owned(),
            part_size: options.part_size,
            max_concurrency: options.max_concurrency,
        })
    }

    /// A store in memory, for tests of the layers above.
    pub fn in_memory() -> Self {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        Self {
            durable: store.clone(),
            derived: store,
            local_root: None,
            url: "memory://".into(),
            part_size: 1 << 20,
            max_concurrency: 4,
        }
    }

    /// The URL the store was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The folder of a local store, `None` for S3 or memory; for tools and tests that need
    /// the files themselves.
    pub fn local_root(&self) -> Option<&FsPath> {
        self.local_root.as_deref()
    }

    /// Where a blob's file is in a local store.
    pub fn local_path(&self, digest: &dokaz_model::Sha256) -> Option<PathBuf> {
        let root = self.local_root.as_ref()?;
        Some(root.join(content_path(digest).as_ref()))
    }
}
