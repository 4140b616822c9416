//! Records recently read, kept in memory so that a read does not go to the database every
//! time: the node's read cache. [`CachedStore`] puts it in front of the store, so that every
//! write of this process passes it.
//!
//! Staleness is bounded like the credential cache's ([`crate::auth::cache`]). A write through
//! this node forgets the records it touches once the database has them, so the very next
//! read loads the new state; a load that began before such a write is not kept, so a read
//! racing a write cannot bring the old record back. Writes made elsewhere (another node on
//! the same PostgreSQL database, the command line on the same SQLite file) are seen when an
//! entry is reloaded, at most [`Settings::record_cache_ttl`](crate::Settings) after it was
//! read. Only records are kept — an access decision is still made on every request, from
//! the record's facts as of at most that long ago, and grants are never cached.

mod forward;
mod store;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use store::CachedStore;

/// Independent locks: concurrent reads of different records rarely wait for each other.
const SHARDS: usize = 16;

/// A bounded map from id to record, each entry good for a time to live.
pub struct RecordCache<K, V> {
    ttl: Duration,
    /// Entries per shard at most: a bound on memory whatever the number of records.
    per_shard: usize,
    hasher: RandomState,
    shards: Box<[Mutex<Shard<K, V>>]>,
}

struct Shard<K, V> {
    entries: HashMap<K, Entry<V>>,
    /// Bumped by every forget in this shard; a load that began before one is not kept.
    generation: u64,
}

struct Entry<V> {
    value: Arc<V>,
    loaded: Instant,
}

/// What a miss hands back: pass it to [`RecordCache::keep`] with what was loaded.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    shard: usize,
    generation: u64,
}

impl<K, V> std::fmt::Debug for RecordCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the records: they may be restricted or sealed.
        f.debug_struct("RecordCache")
            .field("ttl", &self.ttl)
            .field("capacity", &(self.per_shard * SHARDS))
            .finish_non_exhaustive()
    }
}

impl<K: Hash + Eq + Clone, V> RecordCache<K, V> {
    /// A cache of at most about `capacity` records, each used for `ttl` after it was read.
    /// A zero `ttl` (or capacity) keeps nothing.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            per_shard: capacity.div_ceil(SHARDS),
            hasher: RandomState::new(),
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        entries: HashMap::new(),
                        generation: 0,
                    })
                })
                .collect(),
        }
    }

    fn shard_of(&self, key: &K) -> usize {
        (self.hasher.hash_one(key) % SHARDS as u64) as usize
    }

    fn lock(&self, shard: usize) -> MutexGuard<'_, Shard<K, V>> {
        // A panic while holding the lock leaves only a map behind: still usable.
        self.shards[shard].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The record, if it was read less than the time to live ago; otherwise the ticket to
    /// keep it with once loaded.
    pub fn get(&self, key: &K) -> Result<Arc<V>, Ticket> {
        let shard = self.shard_of(key);
        let s = self.lock(shard);
        match s.entries.get(key) {
            Some(e) if e.loaded.elapsed() < self.ttl => Ok(e.value.clone()),
            _ => Err(Ticket {
                shard,
                generation: s.generation,
            }),
        }
    }

    /// Keeps what was loaded with `ticket`, unless a write forgot something since.
    pub fn keep(&self, key: K, value: Arc<V>, ticket: Ticket) {
        if self.ttl.is_zero() || self.per_shard == 0 {
            return;
        }
        let mut s = self.lock(ticket.shard);
        if s.generation != ticket.generation {
            return;
        }
        if s.entries.len() >= self.per_shard && !s.entries.contains_key(&key) {
            let ttl = self.ttl;
            s.entries.retain(|_, e| e.loaded.elapsed() < ttl);
            if s.entries.len() >= self.per_shard {
                // Still full of fresh entries: drop one, whichever the map yields first.
                let victim = s.entries.keys().next().cloned();
                if let Some(k) = victim {
                    s.entries.remove(&k);
                }
            }
        }
        let loaded = Instant::now();
        s.entries.insert(key, Entry { value, loaded });
    }

    /// Forgets one record: it was written.
    pub fn forget(&self, key: &K) {
        let mut s = self.lock(self.shard_of(key));
        s.generation += 1;
        s.entries.remove(key);
    }

    /// Forgets every record: a write touched records it does not name one by one.
    pub fn forget_all(&self) {
        for shard in 0..SHARDS {
            let mut s = self.lock(shard);
            s.generation += 1;
            s.entries.clear();
        }
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        (0..SHARDS).map(|s| self.lock(s).entries.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(ttl: Duration, capacity: usize) -> RecordCache<u32, String> {
        RecordCache::new(ttl, capacity)
    }

    fn load(c: &RecordCache<u32, String>, key: u32, value: &str) -> Ticket {
        let ticket = c.get(&key).expect_err("not kept yet");
        c.keep(key, Arc::new(value.into()), ticket);
        ticket
    }

    #[test]
    fn a_kept_record_is_read_from_memory_until_forgotten() {
        let c = cache(Duration::from_secs(60), 100);
        load(&c, 1, "one");
        assert_eq!(*c.get(&1).unwrap(), "one");
        c.forget(&1);
        assert!(c.get(&1).is_err());
    }

    #[test]
    fn a_load_that_began_before_a_write_is_not_kept() {
        let c = cache(Duration::from_secs(60), 100);
        let ticket = c.get(&1).unwrap_err();
        // A write lands while the read is at the database: what it read may be the old
        // record.
        c.forget(&1);
        c.keep(1, Arc::new("old".into()), ticket);
        assert!(c.get(&1).is_err());
        load(&c, 1, "new");
        assert_eq!(*c.get(&1).unwrap(), "new");
        let ticket = c.get(&2).unwrap_err();
        c.forget_all();
        c.keep(2, Arc::new("old".into()), ticket);
        assert!(c.get(&2).is_err());
    }

    #[test]
    fn entries_go_stale_and_memory_is_bounded() {
        let c = cache(Duration::from_millis(50), 32);
        for k in 0..1_000 {
            load(&c, k, "x");
        }
        assert!(c.len() <= 32, "{} kept", c.len());
        load(&c, 5_000, "y");
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get(&5_000).is_err(), "stale after the time to live");
    }

    #[test]
    fn a_zero_time_to_live_keeps_nothing() {
        let c = cache(Duration::ZERO, 100);
        load(&c, 1, "one");
        assert!(c.get(&1).is_err());
        assert!(c.is_empty());
        assert!(!format!("{c:?}").contains("one"), "no records in Debug");
    }
}
