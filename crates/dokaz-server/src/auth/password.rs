//! Passwords: generated from the operating system's CSPRNG, stored only as argon2id hashes,
//! verified in constant work whether or not the account exists. The command line uses these
//! same functions, so there is one piece of code that hashes.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::Rng;

/// Letters and digits that cannot be mistaken for each other when read aloud or copied from
/// paper (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A fresh password of 20 characters: about 116 bits of entropy.
pub fn generate() -> String {
    let mut rng = OsRng;
    (0..20)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

#[derive(Debug, thiserror::Error)]
#[error("hashing the password: {0}")]
pub struct HashError(String);

/// The argon2id PHC string for a password, with a random salt and the crate's recommended
/// parameters (19 MiB, 2 passes).
pub fn hash(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored hash; an unreadable hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Verifies against a fixed hash of a random password, so that a login with an unknown
/// account costs the same argon2 work as a wrong password: timing tells nothing.
pub fn verify_dummy(password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let h = DUMMY.get_or_init(|| hash(&generate()).expect("hashing a generated password"));
    // The result is thrown away; only the work matters.
    std::hint::black_box(verify(password, h));
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_differ_and_verify() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 20);
        let h = hash(&a).unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify(&a, &h));
        assert!(!verify(&b, &h));
        assert!(!verify(&a, "not a hash"));
        assert!(!verify_dummy(&a));
    }
}
