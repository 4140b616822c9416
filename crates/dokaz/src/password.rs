//! Passwords: generated from the operating system's CSPRNG, stored only as argon2id hashes.

use argon2::password_hash::{PasswordHasher, SaltString};
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

/// The argon2id PHC string for a password, with a random salt and the crate's recommended
/// parameters (19 MiB, 2 passes).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHash, PasswordVerifier};

    #[test]
    fn generated_passwords_differ_and_verify() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 20);
        let h = hash(&a).unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(Argon2::default()
            .verify_password(a.as_bytes(), &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b.as_bytes(), &parsed)
            .is_err());
    }
}
