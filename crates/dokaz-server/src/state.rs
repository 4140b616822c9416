//! What every handler shares: the store, the node's pseudonym key, the lifetimes and limits,
//! the login rate limiter and the credential cache.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use dokaz_store::{AuditStore, GrantStore, SessionStore, Store};

use crate::auth::cache::CredentialCache;
use crate::auth::limiter::LoginLimiter;
use crate::record_cache::CachedStore;

/// Tunables, with the defaults the issue asks for.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends this long after login, whatever the activity.
    pub session_lifetime: chrono::Duration,
    /// … or after this long without a request.
    pub session_idle: chrono::Duration,
    /// The longest a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Failed logins allowed per account in [`Settings::account_window`].
    pub account_failures: u32,
    pub account_window: Duration,
    /// Login attempts allowed per client address in [`Settings::address_window`].
    pub address_attempts: u32,
    pub address_window: Duration,
    /// The largest evidence upload, in bytes; uploads stream, so this bounds disk, not memory.
    pub max_upload: u64,
    /// A download re-checks the caller's access after each this many bytes, so that a
    /// revoked grant ends a download in progress.
    pub download_check_bytes: u64,
    /// How long a session or API token and its user, once read, are used from memory (see
    /// [`crate::auth::cache`]). Logout, revocation and disabling on this node take effect
    /// at once whatever this is; changes made by another node or the command line are seen
    /// within it. Zero reads them on every request.
    pub credential_cache_ttl: Duration,
    /// How long an incident, once read, is served from memory (see [`crate::record_cache`]).
    /// Writes through this node are seen by the very next request whatever this is; changes
    /// made by another node or the command line within it — a reclassification included, so
    /// an access decision may rest on a classification or owner this old. Zero reads the
    /// database on every request.
    pub record_cache_ttl: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_lifetime: chrono::Duration::hours(12),
            session_idle: chrono::Duration::minutes(30),
            request_timeout: Duration::from_secs(30),
            account_failures: 5,
            account_window: Duration::from_secs(15 * 60),
            address_attempts: 20,
            address_window: Duration::from_secs(60),
            max_upload: 64 << 30,
            download_check_bytes: 1 << 20,
            credential_cache_ttl: Duration::from_secs(2),
            record_cache_ttl: Duration::from_secs(2),
        }
    }
}

/// The node's secret for pseudonyms; `Debug` never shows it.
#[derive(Clone)]
pub struct PseudonymKey(pub Arc<[u8]>);

impl PseudonymKey {
    /// The node's key in `path`, made at first start: 32 bytes from the OS CSPRNG, hex, in a
    /// file only the owner can read. A lost key changes every pseudonym, so it is never
    /// replaced once it exists.
    pub fn load_or_create(path: &std::path::Path) -> std::io::Result<Self> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        match std::fs::read_to_string(path) {
            Ok(s) => {
                let key = s.trim();
                if key.len() < 32 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} is too short to be a pseudonym key", path.display()),
                    ));
                }
                Ok(Self(key.as_bytes().into()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use rand::RngCore as _;
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)?;
                f.write_all(hex.as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_all()?;
                Ok(Self(hex.as_bytes().into()))
            }
            Err(e) => Err(e),
        }
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(<redacted>)")
    }
}

/// What every handler shares, behind one `Arc`: axum clones the state for every request
/// (each route's service holds a copy), and one reference count is cheaper than a dozen.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The storage the server needs, split by aggregate (as the store's traits are): one
/// backend usually implements all four, but a handler names only what it touches.
#[derive(Clone)]
pub struct Shared {
    /// The registry: agencies, users, incidents, cases, persons, units — behind the read
    /// cache ([`CachedStore`]), through which every write of this process goes.
    pub store: Arc<dyn Store>,
    /// The same store, as what it is: for the reads that must not come from the cache.
    pub cached: Arc<CachedStore>,
    /// Login sessions and API tokens (hashes only).
    pub sessions: Arc<dyn SessionStore>,
    pub grants: Arc<dyn GrantStore>,
    /// The audit log; written only through [`crate::audit`].
    pub audit: Arc<dyn AuditStore>,
    pub pseudonym_key: PseudonymKey,
    pub settings: Arc<Settings>,
    pub limiter: Arc<LoginLimiter>,
    /// Sessions and API tokens recently seen, with their users.
    pub credentials: Arc<CredentialCache>,
    /// The evidence vault; `None` on a node without one (evidence endpoints answer 503).
    pub vault: Option<dokaz_vault::Vault>,
    /// Deconfliction on every write; `None` leaves matching to `dokaz match run`.
    pub matching: Option<crate::deconflict::Matching>,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.backend())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over one backend that implements every store.
    pub fn new<B>(backend: Arc<B>, pseudonym_key: PseudonymKey, settings: Settings) -> Self
    where
        B: Store + SessionStore + GrantStore + AuditStore + 'static,
    {
        Self::with_stores(
            backend.clone(),
            backend.clone(),
            backend.clone(),
            backend,
            pseudonym_key,
            settings,
        )
    }

    /// State over the node's store, which implements every part.
    pub fn from_store(
        store: Arc<dyn Store>,
        pseudonym_key: PseudonymKey,
        settings: Settings,
    ) -> Self {
        Self::with_stores(
            store.clone(),
            store.clone(),
            store.clone(),
            store,
            pseudonym_key,
            settings,
        )
    }

    /// State over separate stores (tests put doubles in).
    pub fn with_stores(
        store: Arc<dyn Store>,
        sessions: Arc<dyn SessionStore>,
        grants: Arc<dyn GrantStore>,
        audit: Arc<dyn AuditStore>,
        pseudonym_key: PseudonymKey,
        settings: Settings,
    ) -> Self {
        let limiter = LoginLimiter::new(&settings);
        let credentials = CredentialCache::new(&settings);
        // Every write of this process goes through `store`, and so through the cache.
        let cached = Arc::new(CachedStore::new(store, settings.record_cache_ttl));
        Self(Arc::new(Shared {
            store: cached.clone(),
            cached,
            sessions,
            grants,
            audit,
            pseudonym_key,
            settings: Arc::new(settings),
            limiter: Arc::new(limiter),
            credentials: Arc::new(credentials),
            vault: None,
            matching: None,
        }))
    }

    /// The same state with matching on every write.
    pub fn with_matching(mut self, matching: crate::deconflict::Matching) -> Self {
        Arc::make_mut(&mut self.0).matching = Some(matching);
        self
    }

    /// The same state with the evidence vault, which the evidence endpoints need.
    pub fn with_vault(mut self, vault: dokaz_vault::Vault) -> Self {
        Arc::make_mut(&mut self.0).vault = Some(vault);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn the_pseudonym_key_is_made_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pseudonym.key");
        let a = PseudonymKey::load_or_create(&path).unwrap();
        let b = PseudonymKey::load_or_create(&path).unwrap();
        assert_eq!(a.0, b.0, "read back, not replaced");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!format!("{a:?}").contains(std::str::from_utf8(&a.0).unwrap()));
    }
}
