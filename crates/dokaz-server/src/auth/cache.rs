//! What the node knows about the bearer secrets it has recently seen — the stored session or
//! API token and its user — kept in memory so that a request does not read them from the
//! database every time. Only facts are kept, never a decision: [`crate::auth::caller`] checks
//! lifetimes, revocation, scopes and the disabled flag on every request as before.
//!
//! Staleness is bounded two ways. On this node, everything that ends a credential or changes
//! a user ([`end_session`], [`revoke_token`], [`disable_user`]) forgets the entries it
//! touches after writing the database, so the very next request reads the new state. Changes
//! made elsewhere (another node on the same PostgreSQL database, the command line) are seen
//! when an entry is reloaded, at most [`Settings::credential_cache_ttl`] after it was read.
//!
//! Entries are keyed by the SHA-256 of the secret, as stored; the secret itself is never kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use dokaz_model::{ApiTokenId, User, UserId};

use crate::error::ApiResult;
use crate::state::{AppState, Settings};

/// More entries than this and the stale ones are dropped (all of them if none is stale):
/// a bound on memory whatever the number of sessions.
const MAX_ENTRIES: usize = 50_000;

/// A session's `last_seen_at` is written at most this often. The idle limit is in minutes;
/// a write per request would make every read a database write. On this node the idle limit
/// counts from the last request exactly (the cache keeps it); another node sees the stored
/// time, at most this much older, and so may end an idle session this much early — never
/// late.
pub const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// The stored credential, as read.
#[derive(Debug, Clone)]
pub enum Stored {
    Session {
        expires_at: DateTime<Utc>,
        /// The last request this node knows of: the later of the stored time and the
        /// requests served here since.
        last_seen: DateTime<Utc>,
        /// What the database holds (or was last told).
        persisted: DateTime<Utc>,
    },
    ApiToken {
        id: ApiTokenId,
        scopes: Vec<String>,
        expires_at: Option<DateTime<Utc>>,
        revoked: bool,
    },
}

/// A credential and its user, as read from the store. The user is shared: every request of
/// the credential hands it to its [`Caller`](crate::auth::Caller) without copying it.
#[derive(Debug, Clone)]
pub struct Known {
    pub user: Arc<User>,
    pub stored: Stored,
}

/// What the cache has for a secret.
#[derive(Debug)]
pub enum Lookup {
    /// Read less than the time to live ago.
    Fresh(Known),
    /// Older: reload, but keep its `last_seen` (requests served here since).
    Stale(Known),
    Missing,
}

#[derive(Debug)]
struct Entry {
    known: Known,
    loaded: Instant,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<[u8; 32], Entry>,
    /// Bumped by every invalidation. A load that began before one is not stored, so a read
    /// racing a logout cannot bring the ended session back.
    generation: u64,
}

/// The node's credential cache.
pub struct CredentialCache {
    ttl: Duration,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for CredentialCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the keys: hashes of live secrets are not for logs.
        f.debug_struct("CredentialCache")
            .field("ttl", &self.ttl)
            .field("entries", &self.lock().entries.len())
            .finish()
    }
}

impl CredentialCache {
    pub fn new(settings: &Settings) -> Self {
        Self {
            ttl: settings.credential_cache_ttl,
            inner: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves only a map behind: still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `hash` and the generation to pass to [`CredentialCache::store`] after
    /// loading, read together.
    pub fn lookup(&self, hash: &[u8; 32]) -> (Lookup, u64) {
        let inner = self.lock();
        let found = match inner.entries.get(hash) {
            Some(e) if e.loaded.elapsed() < self.ttl => Lookup::Fresh(e.known.clone()),
            Some(e) => Lookup::Stale(e.known.clone()),
            None => Lookup::Missing,
        };
        (found, inner.generation)
    }

    /// Keeps what was loaded at `generation`, unless something was invalidated since.
    pub fn store(&self, hash: [u8; 32], known: Known, generation: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES && !inner.entries.contains_key(&hash) {
            let ttl = self.ttl;
            inner.entries.retain(|_, e| e.loaded.elapsed() < ttl);
            if inner.entries.len() >= MAX_ENTRIES {
                inner.entries.clear();
            }
        }
        let loaded = Instant::now();
        inner.entries.insert(hash, Entry { known, loaded });
    }

    /// Records a request of a session at `now`; `true` when the stored `last_seen_at` is due
    /// for a write (and marks it written, so that concurrent requests do not all write).
    pub fn seen(&self, hash: &[u8; 32], now: DateTime<Utc>) -> bool {
        let mut inner = self.lock();
        let Some(Entry {
            known:
                Known {
                    stored:
                        Stored::Session {
                            last_seen,
                            persisted,
                            ..
                        },
                    ..
                },
            ..
        }) = inner.entries.get_mut(hash)
        else {
            return false;
        };
        *last_seen = (*last_seen).max(now);
        if now - *persisted >= TOUCH_EVERY {
            *persisted = now;
            true
        } else {
            false
        }
    }

    /// Forgets whatever `forget` picks; later loads of older reads are not stored.
    fn forget(&self, forget: impl Fn(&[u8; 32], &Known) -> bool) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.retain(|h, e| !forget(h, &e.known));
    }

    /// Forgets one credential.
    pub fn forget_secret(&self, hash: &[u8; 32]) {
        self.forget(|h, _| h == hash);
    }

    /// Forgets one API token.
    pub fn forget_token(&self, id: ApiTokenId) {
        self.forget(|_, k| matches!(k.stored, Stored::ApiToken { id: i, .. } if i == id));
    }

    /// Forgets every credential of a user: their account changed.
    pub fn forget_user(&self, user: UserId) {
        self.forget(|_, k| k.user.id == user);
    }
}

/// Ends a session (logout): in the database, then in the cache.
pub async fn end_session(state: &AppState, token_hash: &[u8; 32]) -> ApiResult<()> {
    let ended = state.sessions.delete_session(token_hash).await;
    state.credentials.forget_secret(token_hash);
    Ok(ended?)
}

/// Revokes an API token: in the database, then in the cache.
pub async fn revoke_token(state: &AppState, id: ApiTokenId, at: DateTime<Utc>) -> ApiResult<()> {
    let revoked = state.sessions.revoke_api_token(id, at).await;
    state.credentials.forget_token(id);
    Ok(revoked?)
}

/// Disables a user and ends their sessions, then forgets their credentials here; returns
/// how many sessions ended.
pub async fn disable_user(state: &AppState, user: UserId) -> ApiResult<u64> {
    let ended =
        crate::handlers::users::disable_user(state.store.as_ref(), state.sessions.as_ref(), user)
            .await;
    state.credentials.forget_user(user);
    ended
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokaz_model::{AgencyId, Role};

    fn cache(ttl: Duration) -> CredentialCache {
        CredentialCache::new(&Settings {
            credential_cache_ttl: ttl,
            ..Settings::default()
        })
    }

    fn session(user: UserId, seen: DateTime<Utc>) -> Known {
        Known {
            user: Arc::new(User {
                id: user,
                agency: AgencyId::new(),
                login: "anna".parse().unwrap(),
                display_name: "Anna".into(),
                roles: vec![Role::Investigator],
                identity_cleared: false,
                disabled: false,
                created_at: seen,
            }),
            stored: Stored::Session {
                expires_at: seen + chrono::Duration::hours(1),
                last_seen: seen,
                persisted: seen,
            },
        }
    }

    #[test]
    fn a_load_that_began_before_an_invalidation_is_not_kept() {
        let c = cache(Duration::from_secs(60));
        let user = UserId::new();
        let (found, generation) = c.lookup(&[1; 32]);
        assert!(matches!(found, Lookup::Missing));
        // A logout lands while the request reads the database.
        c.forget_secret(&[1; 32]);
        c.store([1; 32], session(user, Utc::now()), generation);
        assert!(matches!(c.lookup(&[1; 32]).0, Lookup::Missing));
        // A load begun afterwards is kept.
        let (_, generation) = c.lookup(&[1; 32]);
        c.store([1; 32], session(user, Utc::now()), generation);
        assert!(matches!(c.lookup(&[1; 32]).0, Lookup::Fresh(_)));
    }

    #[test]
    fn users_and_secrets_are_forgotten_and_entries_go_stale() {
        let c = cache(Duration::from_millis(50));
        let (anna, boris) = (UserId::new(), UserId::new());
        for (hash, user) in [([1; 32], anna), ([2; 32], anna), ([3; 32], boris)] {
            let (_, g) = c.lookup(&hash);
            c.store(hash, session(user, Utc::now()), g);
        }
        c.forget_user(anna);
        assert!(matches!(c.lookup(&[1; 32]).0, Lookup::Missing));
        assert!(matches!(c.lookup(&[2; 32]).0, Lookup::Missing));
        assert!(matches!(c.lookup(&[3; 32]).0, Lookup::Fresh(_)));
        std::thread::sleep(Duration::from_millis(60));
        assert!(matches!(c.lookup(&[3; 32]).0, Lookup::Stale(_)));
    }

    #[test]
    fn last_seen_is_kept_here_and_written_once_a_minute() {
        let c = cache(Duration::from_secs(60));
        let t0 = Utc::now();
        let (_, g) = c.lookup(&[1; 32]);
        c.store([1; 32], session(UserId::new(), t0), g);
        assert!(!c.seen(&[1; 32], t0 + chrono::Duration::seconds(30)));
        assert!(c.seen(&[1; 32], t0 + chrono::Duration::seconds(61)));
        assert!(
            !c.seen(&[1; 32], t0 + chrono::Duration::seconds(62)),
            "one write per minute, not one per request"
        );
        let Lookup::Fresh(Known {
            stored: Stored::Session { last_seen, .. },
            ..
        }) = c.lookup(&[1; 32]).0
        else {
            panic!("cached");
        };
        assert_eq!(last_seen, t0 + chrono::Duration::seconds(62));
    }

    #[test]
    fn a_zero_time_to_live_keeps_nothing() {
        let c = cache(Duration::ZERO);
        let (_, g) = c.lookup(&[1; 32]);
        c.store([1; 32], session(UserId::new(), Utc::now()), g);
        assert!(matches!(c.lookup(&[1; 32]).0, Lookup::Missing));
        assert!(!format!("{c:?}").contains("[1"), "no keys in Debug");
    }
}
