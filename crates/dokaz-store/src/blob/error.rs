//! The blob layer's one error type. Every variant names the object (digest or path) and
//! what failed, so an operator can find the file and a court report can cite it.

use dokaz_model::Sha256;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The blob store location could not be understood or opened.
    #[error("blob store {url:?}: {reason}")]
    BadUrl { url: String, reason: String },

    /// No blob with that digest is stored.
    #[error("blob {digest} not found")]
    NotFound { digest: Sha256 },

    /// No object at that path (a derived object such as a tile, or a staging copy).
    #[error("object {path} not found")]
    ObjectNotFound { path: String },

    /// Reading the incoming stream failed; nothing was stored.
    #[error("reading the incoming stream after {offset} bytes: {source}")]
    Read {
        offset: u64,
        #[source]
        source: std::io::Error,
    },

    /// The object store refused or failed an operation.
    #[error("blob store {op} {path}: {source}")]
    Store {
        op: &'static str,
        path: String,
        #[source]
        source: object_store::Error,
    },

    /// A path that the blob layer does not allow (outside `log/`, or not a valid name).
    #[error("object path {path:?} refused: {reason}")]
    BadPath { path: String, reason: &'static str },

    /// A background hashing task died (a panic); the intake is abandoned.
    #[error("hashing task failed: {0}")]
    Hashing(String),
}

impl BlobError {
    /// Wraps an object store error, turning its "not found" into ours so callers branch on
    /// one type.
    pub(crate) fn store(
        op: &'static str,
        path: &object_store::path::Path,
        e: object_store::Error,
    ) -> Self {
        match e {
            object_store::Error::NotFound { .. } => Self::ObjectNotFound {
                path: path.to_string(),
            },
            source => Self::Store {
                op,
                path: path.to_string(),
                source,
            },
        }
    }
}

pub type BlobResult<T> = Result<T, BlobError>;
