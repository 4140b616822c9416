//! Ed25519 note keys: key IDs, the verifier key string
//! `<name>+<hex8>+<base64(0x01 || key)>` and the signer key string
//! `PRIVATE+KEY+<name>+<hex8>+<base64(0x01 || seed)>` used by Go's sumdb/note,
//! tessera and witnesses, so keys can be exchanged with those tools.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{NoteError, ALG_ED25519};

/// Key ID per the spec: the first four bytes of `SHA-256(name || '\n' || type || public key)`.
#[must_use]
pub fn key_id(name: &str, alg: u8, public_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', alg]);
    h.update(public_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

pub(super) fn check_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.contains('+') || name.chars().any(char::is_whitespace) {
        return Err(NoteError::InvalidName(name.to_owned()));
    }
    Ok(())
}

/// A trusted public key: verifies signature lines carrying its name and key ID.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    pub(super) name: String,
    pub(super) key_id: u32,
    key: VerifyingKey,
}

impl Verifier {
    /// A verifier for `key` under `name`.
    pub fn new(name: &str, key: VerifyingKey) -> Result<Self, NoteError> {
        check_name(name)?;
        let key_id = key_id(name, ALG_ED25519, key.as_bytes());
        Ok(Self {
            name: name.to_owned(),
            key_id,
            key,
        })
    }

    /// Parses `<name>+<hex8>+<base64(0x01 || 32-byte key)>`. Only the first two
    /// `+` separate fields: base64 may itself contain `+`.
    pub fn parse(vkey: &str) -> Result<Self, NoteError> {
        let (name, id, key) = split_key(
            vkey,
            NoteError::InvalidVerifierKey,
            "Ed25519 key must be 32 bytes",
        )?;
        check_name(name)?;
        let key = VerifyingKey::from_bytes(&key)
            .map_err(|_| NoteError::InvalidVerifierKey("not an Ed25519 public key"))?;
        let verifier = Self::new(name, key)?;
        if verifier.key_id != id {
            return Err(NoteError::KeyIdMismatch);
        }
        Ok(verifier)
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    #[must_use]
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    #[must_use]
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Whether `signature` is a valid Ed25519 signature of `text` by this key.
    /// Strict verification: rejects small-order keys and non-canonical signatures,
    /// so a signature that verifies here has one meaning only.
    #[must_use]
    pub fn verify(&self, text: &[u8], signature: &[u8]) -> bool {
        Signature::from_slice(signature).is_ok_and(|sig| self.key.verify_strict(text, &sig).is_ok())
    }
}

fn parse_key_id(hex8: &str) -> Option<u32> {
    if hex8.len() != 8 || !hex8.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex8, 16).ok()
}

/// The verifier key string `<name>+<hex8>+<base64(0x01 || key)>`.
impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = vec![ALG_ED25519];
        raw.extend_from_slice(self.key.as_bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(raw)
        )
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({self})")
    }
}

impl FromStr for Verifier {
    type Err = NoteError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A private signing key with its name. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Signer {
    pub(super) name: String,
    pub(super) key_id: u32,
    key: SigningKey,
}

impl Signer {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate(name: &str) -> Result<Self, NoteError> {
        Self::from_signing_key(name, SigningKey::generate(&mut rand::rngs::OsRng))
    }

    /// The key with the given 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        Self::from_signing_key(name, SigningKey::from_bytes(seed))
    }

    fn from_signing_key(name: &str, key: SigningKey) -> Result<Self, NoteError> {
        check_name(name)?;
        let key_id = key_id(name, ALG_ED25519, key.verifying_key().as_bytes());
        Ok(Self {
            name: name.to_owned(),
            key_id,
            key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex8>+<base64(0x01 || seed)>` (the
    /// golang.org/x/mod/sumdb/note encoding).
    pub fn parse(skey: &str) -> Result<Self, NoteError> {
        let rest = skey
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(NoteError::InvalidSignerKey("missing PRIVATE+KEY+ prefix"))?;
        let (name, id, seed) = split_key(
            rest,
            NoteError::InvalidSignerKey,
            "Ed25519 seed must be 32 bytes",
        )?;
        let signer = Self::from_seed(name, &seed)?;
        if signer.key_id != id {
            return Err(NoteError::KeyIdMismatch);
        }
        Ok(signer)
    }

    /// The secret key string `PRIVATE+KEY+...`. Handle like a password.
    #[must_use]
    pub fn to_secret_string(&self) -> String {
        let mut raw = vec![ALG_ED25519];
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(raw)
        )
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    #[must_use]
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The matching public verifier.
    #[must_use]
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// Ed25519 signature of `text`.
    #[must_use]
    pub fn sign(&self, text: &[u8]) -> [u8; 64] {
        self.key.sign(text).to_bytes()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .field("key", &"[REDACTED]")
            .finish()
    }
}

/// Splits `<name>+<hex8 key ID>+<base64(alg || 32 bytes)>`, the shape shared by verifier and
/// signer keys, at the first two `+` only (base64 may itself contain `+`). `invalid` builds the
/// error of the key kind being parsed.
fn split_key<'a>(
    text: &'a str,
    invalid: fn(&'static str) -> NoteError,
    wrong_length: &'static str,
) -> Result<(&'a str, u32, [u8; 32]), NoteError> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("expected <name>+<key ID>+<key>"));
    };
    let id = parse_key_id(id_hex).ok_or(invalid("key ID is not 8 hex digits"))?;
    let raw = BASE64
        .decode(key_b64)
        .map_err(|_| invalid("key is not base64"))?;
    let (&alg, key) = raw.split_first().ok_or(invalid("key is empty"))?;
    if alg != ALG_ED25519 {
        return Err(NoteError::UnsupportedAlgorithm(alg));
    }
    let key: [u8; 32] = key.try_into().map_err(|_| invalid(wrong_length))?;
    Ok((name, id, key))
}
