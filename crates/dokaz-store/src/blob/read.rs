//! Reading and listing: blobs by digest (whole or a byte range), derived `log/` objects,
//! the content and staging listings `fsck` walks, and the two deletions it may make.

use std::ops::Range;

use bytes::Bytes;
use dokaz_model::Sha256;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{GetOptions, ObjectStoreExt};
use sha2::Digest;

use super::error::{BlobError, BlobResult};
use super::paths::{
    content_path, digest_of, log_path, staging_path, CONTENT_PREFIX, STAGING_PREFIX,
};
use super::{BlobMeta, BlobStore, StagingObject};

impl BlobStore {
    /// The blob's bytes as a stream, or the bytes in `range` (end exclusive).
    pub async fn get(
        &self,
        digest: &Sha256,
        range: Option<Range<u64>>,
    ) -> BlobResult<BoxStream<'static, BlobResult<Bytes>>> {
        let path = content_path(digest);
        let options = GetOptions::new().with_range(range);
        let result = self
            .durable
            .get_opts(&path, options)
            .await
            .map_err(|e| not_found_as(digest, BlobError::store("get", &path, e)))?;
        let shown = path.to_string();
        Ok(result
            .into_stream()
            .map_err(move |e| BlobError::Store {
                op: "read",
                path: shown.clone(),
                source: e,
            })
            .boxed())
    }

    /// Size and time of a stored blob.
    pub async fn head(&self, digest: &Sha256) -> BlobResult<BlobMeta> {
        let path = content_path(digest);
        let meta = self
            .durable
            .head(&path)
            .await
            .map_err(|e| not_found_as(digest, BlobError::store("head", &path, e)))?;
        Ok(BlobMeta {
            size: meta.size,
            last_modified: meta.last_modified,
        })
    }

    pub async fn exists(&self, digest: &Sha256) -> BlobResult<bool> {
        match self.head(digest).await {
            Ok(_) => Ok(true),
            Err(BlobError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Reads a blob back and hashes it, calling `progress` with each part's length: what
    /// `fsck` uses to prove the bytes still match their address. Returns digest and size.
    pub async fn rehash(
        &self,
        digest: &Sha256,
        mut progress: impl FnMut(u64) + Send,
    ) -> BlobResult<(Sha256, u64)> {
        let mut stream = self.get(digest, None).await?;
        let mut hasher = sha2::Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.try_next().await? {
            hasher.update(&chunk);
            size += chunk.len() as u64;
            progress(chunk.len() as u64);
        }
        Ok((Sha256(hasher.finalize().into()), size))
    }

    /// Every content-addressed blob in the store. Objects under `sha256/` whose name is not
    /// their own address (stray temporaries) are left out.
    pub fn list_digests(&self) -> BoxStream<'static, BlobResult<(Sha256, BlobMeta)>> {
        let prefix = Path::from(CONTENT_PREFIX);
        self.durable
            .list(Some(&prefix))
            .map_err(move |e| BlobError::store("list", &Path::from(CONTENT_PREFIX), e))
            .try_filter_map(|m| async move {
                Ok(digest_of(&m.location).map(|d| {
                    (
                        d,
                        BlobMeta {
                            size: m.size,
                            last_modified: m.last_modified,
                        },
                    )
                }))
            })
            .boxed()
    }

    /// What is in `staging/`: running intakes and the remains of interrupted ones.
    pub async fn list_staging(&self) -> BlobResult<Vec<StagingObject>> {
        let prefix = Path::from(STAGING_PREFIX);
        self.durable
            .list(Some(&prefix))
            .map_err(|e| BlobError::store("list", &Path::from(STAGING_PREFIX), e))
            .map_ok(|m| StagingObject {
                name: m.location.filename().map(str::to_owned).unwrap_or_default(),
                size: m.size,
                last_modified: m.last_modified,
            })
            .try_collect()
            .await
    }

    /// Removes a staging object (a refused or interrupted intake).
    pub async fn delete_staging(&self, name: &str) -> BlobResult<()> {
        let path = staging_path(name)?;
        match self.durable.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(BlobError::store("delete", &path, e)),
        }
    }

    /// Removes a blob that no registry row refers to — the bytes of an intake that crashed
    /// between blob and SQL. The caller must have checked that nothing refers to it; evidence
    /// is never deleted this way.
    pub async fn delete_unreferenced(&self, digest: &Sha256) -> BlobResult<()> {
        let path = content_path(digest);
        match self.durable.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(BlobError::store("delete", &path, e)),
        }
    }

    /// The derived object at `log/<relative>`, `None` if absent.
    pub async fn get_bytes(&self, relative: &str) -> BlobResult<Option<Bytes>> {
        let path = log_path(relative)?;
        match self.derived.get(&path).await {
            Ok(r) => Ok(Some(
                r.bytes()
                    .await
                    .map_err(|e| BlobError::store("read", &path, e))?,
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(BlobError::store("get", &path, e)),
        }
    }
}

/// Object-level "not found" becomes "blob not found" with its digest.
fn not_found_as(digest: &Sha256, e: BlobError) -> BlobError {
    match e {
        BlobError::ObjectNotFound { .. } => BlobError::NotFound { digest: *digest },
        e => e,
    }
}
