//! Login rate limiting: token buckets in memory, one per account (failed logins) and one per
//! client address (all attempts), so that neither guessing one account's password nor
//! sweeping many accounts from one address gets far. In memory on purpose: a restart resets
//! them, which costs an attacker nothing they could not get by waiting, and nothing is stored.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::state::Settings;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug)]
struct Buckets {
    capacity: f64,
    /// Tokens regained per second.
    refill: f64,
    map: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    fn new(capacity: u32, window: Duration) -> Self {
        Self {
            capacity: f64::from(capacity),
            refill: f64::from(capacity) / window.as_secs_f64().max(1.0),
            map: Mutex::new(HashMap::new()),
        }
    }

    fn current(&self, b: Bucket, now: Instant) -> Bucket {
        let gained = now.duration_since(b.at).as_secs_f64() * self.refill;
        Bucket {
            tokens: (b.tokens + gained).min(self.capacity),
            at: now,
        }
    }

    /// Seconds until one token is back, or `None` if one is there now.
    fn wait(&self, key: &str, now: Instant) -> Option<u64> {
        let map = self.map.lock().expect("limiter lock");
        let b = self.current(*map.get(key)?, now);
        (b.tokens < 1.0).then(|| ((1.0 - b.tokens) / self.refill).ceil().max(1.0) as u64)
    }

    fn take(&self, key: &str, now: Instant) {
        let mut map = self.map.lock().expect("limiter lock");
        // Forget full buckets now and then, so the map does not grow with every address.
        if map.len() > 10_000 {
            let full: Vec<String> = map
                .iter()
                .filter(|(_, b)| self.current(**b, now).tokens >= self.capacity)
                .map(|(k, _)| k.clone())
                .collect();
            for k in full {
                map.remove(&k);
            }
        }
        let fresh = Bucket {
            tokens: self.capacity,
            at: now,
        };
        let b = self.current(*map.get(key).unwrap_or(&fresh), now);
        map.insert(
            key.to_owned(),
            Bucket {
                tokens: (b.tokens - 1.0).max(0.0),
                at: now,
            },
        );
    }
}

#[derive(Debug)]
pub struct LoginLimiter {
    accounts: Buckets,
    addresses: Buckets,
}

impl LoginLimiter {
    pub fn new(s: &Settings) -> Self {
        Self {
            accounts: Buckets::new(s.account_failures, s.account_window),
            addresses: Buckets::new(s.address_attempts, s.address_window),
        }
    }

    /// Before verifying anything: `Err(retry_after_seconds)` when either bucket is empty.
    /// An attempt from the address is counted here; the account's only on failure.
    pub fn admit(&self, account: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let wait = [
            self.accounts.wait(account, now),
            self.addresses.wait(address, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(w) = wait {
            return Err(w);
        }
        self.addresses.take(address, now);
        Ok(())
    }

    pub fn failed(&self, account: &str) {
        self.accounts.take(account, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_per_account_run_out_and_other_accounts_are_unaffected() {
        let s = Settings::default();
        let l = LoginLimiter::new(&s);
        for _ in 0..5 {
            assert!(l.admit("anna", "10.0.0.1").is_ok());
            l.failed("anna");
        }
        let wait = l.admit("anna", "10.0.0.1").unwrap_err();
        assert!((1..=180).contains(&wait), "{wait}");
        assert!(l.admit("boris", "10.0.0.1").is_ok());
    }

    #[test]
    fn attempts_per_address_run_out() {
        let l = LoginLimiter::new(&Settings::default());
        for i in 0..20 {
            assert!(l.admit(&format!("u{i}"), "10.0.0.2").is_ok());
        }
        assert!(l.admit("u99", "10.0.0.2").is_err());
        assert!(l.admit("u99", "10.0.0.3").is_ok());
    }
}
