//! Writing: intakes streamed to staging and hashed in the same pass, then promoted to their
//! content address; small derived objects under `log/`.

use bytes::{Bytes, BytesMut};
use dokaz_model::Sha256;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::Digest;
use tokio::io::{AsyncRead, AsyncReadExt};
use tracing::instrument;

use super::error::{BlobError, BlobResult};
use super::paths::{content_path, log_path, staging_path};
use super::{BlobStore, HEAD_BYTES};

/// Chunks smaller than this are hashed on the calling task: handing them to a blocking
/// thread would cost more than hashing them.
const INLINE_HASH_LIMIT: usize = 64 << 10;

/// An intake's bytes, hashed, not yet evidence. Promote it or discard it; dropping it leaves
/// a staging object that `fsck` reports as a partial intake.
#[derive(Debug)]
pub struct Staged {
    pub sha256: Sha256,
    pub size: u64,
    /// The first [`HEAD_BYTES`] (or fewer), for sniffing the media type.
    pub head: Bytes,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// Items smaller than one part never touch staging: they are held in memory until
    /// promoted, which saves a file, a rename and their fsyncs per small item.
    Memory(Bytes),
    /// `staging/<name>`.
    Object(String),
}

impl Staged {
    /// The staging object's name, if the bytes went to staging.
    pub fn staging_name(&self) -> Option<&str> {
        match &self.body {
            Body::Object(n) => Some(n),
            Body::Memory(_) => None,
        }
    }
}

/// Reads until `buf` holds `want` bytes or the stream ends.
async fn fill<R: AsyncRead + Unpin>(reader: &mut R, want: usize, offset: u64) -> BlobResult<Bytes> {
    let mut buf = BytesMut::with_capacity(want);
    while buf.len() < want {
        let n = reader
            .read_buf(&mut buf)
            .await
            .map_err(|source| BlobError::Read {
                offset: offset + buf.len() as u64,
                source,
            })?;
        if n == 0 {
            break;
        }
    }
    Ok(buf.freeze())
}

fn head_of(chunk: &Bytes) -> Bytes {
    chunk.slice(..chunk.len().min(HEAD_BYTES))
}

impl BlobStore {
    /// Streams `reader` into the store and hashes it in the same pass. Memory stays at about
    /// `part_size × (max_concurrency + 2)` whatever the stream's length.
    #[instrument(skip_all, fields(store = %self.url))]
    pub async fn stage<R: AsyncRead + Unpin + Send>(&self, mut reader: R) -> BlobResult<Staged> {
        let first = fill(&mut reader, self.part_size, 0).await?;
        if first.len() < self.part_size {
            // The whole item fits in one part.
            let sha256 = Sha256(sha2::Sha256::digest(&first).into());
            return Ok(Staged {
                sha256,
                size: first.len() as u64,
                head: head_of(&first),
                body: Body::Memory(first),
            });
        }
        let name = uuid::Uuid::now_v7().to_string();
        let path = staging_path(&name)?;
        let upload = self
            .durable
            .put_multipart(&path)
            .await
            .map_err(|e| BlobError::store("create", &path, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let head = head_of(&first);
        match self.pump(&mut reader, &mut writer, first).await {
            Ok((sha256, size)) => {
                writer
                    .finish()
                    .await
                    .map_err(|e| BlobError::store("complete", &path, e))?;
                Ok(Staged {
                    sha256,
                    size,
                    head,
                    body: Body::Object(name),
                })
            }
            Err(e) => {
                // Best effort: the multipart upload's parts are dropped; whatever the store
                // keeps is under staging/ and fsck reports it.
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// Feeds parts to the writer and to the hasher. Hashing part k runs on a blocking thread
    /// while part k+1 is read and earlier parts are written, so one intake keeps a core busy
    /// hashing and the others doing I/O.
    async fn pump<R: AsyncRead + Unpin + Send>(
        &self,
        reader: &mut R,
        writer: &mut WriteMultipart,
        first: Bytes,
    ) -> BlobResult<(Sha256, u64)> {
        let mut hasher = Some(sha2::Sha256::new());
        let mut hashing: Option<tokio::task::JoinHandle<sha2::Sha256>> = None;
        let mut size = 0u64;
        let mut chunk = first;
        loop {
            if let Some(task) = hashing.take() {
                hasher = Some(task.await.map_err(|e| BlobError::Hashing(e.to_string()))?);
            }
            if chunk.is_empty() {
                break;
            }
            size += chunk.len() as u64;
            writer
                .wait_for_capacity(self.max_concurrency)
                .await
                .map_err(|e| BlobError::Store {
                    op: "write part",
                    path: "staging".into(),
                    source: e,
                })?;
            writer.put(chunk.clone());
            let mut h = hasher
                .take()
                .ok_or_else(|| BlobError::Hashing("lost".into()))?;
            if chunk.len() <= INLINE_HASH_LIMIT {
                h.update(&chunk);
                hasher = Some(h);
            } else {
                let part = chunk.clone();
                hashing = Some(tokio::task::spawn_blocking(move || {
                    h.update(&part);
                    h
                }));
            }
            chunk = fill(reader, self.part_size, size).await?;
        }
        let h = hasher.ok_or_else(|| BlobError::Hashing("lost".into()))?;
        Ok((Sha256(h.finalize().into()), size))
    }

    /// Makes staged bytes evidence: moves them to their content address, durably. Returns
    /// `false` when identical bytes were stored already (the staging copy is then dropped).
    #[instrument(skip_all, fields(sha256 = %staged.sha256))]
    pub async fn promote(&self, staged: Staged) -> BlobResult<bool> {
        let dest = content_path(&staged.sha256);
        if self.exists(&staged.sha256).await? {
            self.discard(staged).await?;
            return Ok(false);
        }
        match staged.body {
            Body::Memory(bytes) => {
                // Plain put, not create-if-absent: not every S3 implementation supports
                // conditional writes, and a concurrent writer can only write the same bytes.
                self.durable
                    .put(&dest, PutPayload::from(bytes))
                    .await
                    .map_err(|e| BlobError::store("put", &dest, e))?;
            }
            Body::Object(name) => {
                let from = staging_path(&name)?;
                self.durable
                    .rename(&from, &dest)
                    .await
                    .map_err(|e| BlobError::store("move", &from, e))?;
            }
        }
        Ok(true)
    }

    /// Drops staged bytes that will not become evidence (refused intake).
    pub async fn discard(&self, staged: Staged) -> BlobResult<()> {
        match staged.body {
            Body::Memory(_) => Ok(()),
            Body::Object(name) => self.delete_staging(&name).await,
        }
    }

    /// Stages and promotes in one call: the stream's digest and size.
    pub async fn put_stream<R: AsyncRead + Unpin + Send>(
        &self,
        reader: R,
    ) -> BlobResult<(Sha256, u64)> {
        let staged = self.stage(reader).await?;
        let out = (staged.sha256, staged.size);
        self.promote(staged).await?;
        Ok(out)
    }

    /// Writes a small derived object at `log/<relative>`, replacing what was there.
    pub async fn put_bytes(&self, relative: &str, bytes: Bytes) -> BlobResult<()> {
        let path = log_path(relative)?;
        self.derived
            .put(&path, PutPayload::from(bytes))
            .await
            .map_err(|e| BlobError::store("put", &path, e))?;
        Ok(())
    }

    /// Deletes the derived object at `log/<relative>`; absent is fine.
    pub async fn delete_bytes(&self, relative: &str) -> BlobResult<()> {
        let path = log_path(relative)?;
        match self.derived.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(BlobError::store("delete", &path, e)),
        }
    }
}
