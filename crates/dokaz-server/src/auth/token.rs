//! Bearer secrets: 32 bytes from the OS CSPRNG, base64url, with a prefix that says what kind
//! of credential it is (so one lookup suffices and a leaked token is recognisable in a scan).
//! Only the SHA-256 of a secret is ever stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A login session's token.
pub const SESSION_PREFIX: &str = "dks_";
/// A named API token's.
pub const API_TOKEN_PREFIX: &str = "dkt_";

/// A fresh secret with its prefix: 256 bits of entropy.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What the store keeps and looks up.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_hashed() {
        let (a, b) = (generate(SESSION_PREFIX), generate(SESSION_PREFIX));
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 43);
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest(&a), digest(&a));
    }
}
