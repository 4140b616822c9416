//! C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys: the envelope in
//! which checkpoints travel, so that any transparency-log client (Go's
//! `golang.org/x/mod/sumdb/note`, tessera, sigsum witnesses) can check our
//! signatures and we can check theirs.
//!
//! ```text
//! <text ending in a newline>
//!
//! — <key name> base64(key ID (4 bytes, big-endian) || signature)
//! ```

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

/// Signature type byte of Ed25519 in the signed-note registry.
pub const ALG_ED25519: u8 = 0x01;
/// Largest note `open` accepts; the spec asks verifiers to bound the work a note can cause.
pub const MAX_NOTE_SIZE: usize = 1 << 20;
/// Most signature lines `open` accepts (the spec requires at least 16; Go allows 100).
pub const MAX_SIGNATURES: usize = 100;

/// Start of every signature line: EM DASH (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Why a key, note or signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// Key names must be non-empty, without Unicode spaces or `+`.
    #[error("invalid key name {0:?}: must be non-empty, without spaces or '+'")]
    InvalidName(String),
    /// A verifier key string is not `<name>+<hex8 key ID>+<base64(0x01 || key)>`.
    #[error("invalid verifier key: {0}")]
    InvalidVerifierKey(&'static str),
    /// A signer key string is not `PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 || seed)>`.
    #[error("invalid signer key: {0}")]
    InvalidSignerKey(&'static str),
    /// The key ID written in a key string is not the one its name and key imply.
    #[error("key ID does not match the key name and public key")]
    KeyIdMismatch,
    /// The key uses a signature type other than Ed25519.
    #[error("unsupported signature type 0x{0:02x}")]
    UnsupportedAlgorithm(u8),
    /// The note is larger than [`MAX_NOTE_SIZE`].
    #[error("note exceeds {MAX_NOTE_SIZE} bytes")]
    TooLarge,
    /// The note (or text to sign) breaks the format.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A signature line from a trusted key did not verify: the note is rejected.
    #[error("signature by {0} does not verify")]
    InvalidSignature(String),
    /// No signature from a trusted key verified.
    #[error("note has no verified signature from a trusted key")]
    NoVerifiedSignature,
}

mod keys;

use keys::check_name;
pub use keys::{key_id, Signer, Verifier};

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name as written on the line.
    pub name: String,
    /// Key ID (first four bytes of the decoded signature).
    pub key_id: u32,
    /// Signature bytes after the key ID.
    pub signature: Vec<u8>,
}

/// A note whose text was authenticated by at least one trusted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    verified: Vec<NoteSignature>,
    unverified: Vec<NoteSignature>,
}

impl Note {
    /// The signed text, final newline included.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Signatures by trusted keys, all of which verified.
    #[must_use]
    pub fn verified(&self) -> &[NoteSignature] {
        &self.verified
    }

    /// Signatures by keys the caller did not trust (not checked).
    #[must_use]
    pub fn unverified(&self) -> &[NoteSignature] {
        &self.unverified
    }

    /// Whether `verifier` is among the keys whose signature verified.
    #[must_use]
    pub fn is_verified_by(&self, verifier: &Verifier) -> bool {
        self.verified
            .iter()
            .any(|s| s.name == verifier.name && s.key_id == verifier.key_id)
    }
}

/// Rejects text that cannot be a note text: not ending in newline, or with
/// control characters other than newline.
fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed("text must end with a newline"));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("control character in note"));
    }
    Ok(())
}

/// Signs `text` with every signer and returns the signed note.
pub fn sign(text: &str, signers: &[&Signer]) -> Result<String, NoteError> {
    check_text(text)?;
    if signers.is_empty() {
        return Err(NoteError::Malformed("a note needs at least one signature"));
    }
    let mut out = String::with_capacity(text.len() + 1 + signers.len() * 120);
    out.push_str(text);
    out.push('\n');
    for s in signers {
        let mut raw = s.key_id.to_be_bytes().to_vec();
        raw.extend_from_slice(&s.sign(text.as_bytes()));
        out.push_str(SIG_PREFIX);
        out.push_str(&s.name);
        out.push(' ');
        out.push_str(&BASE64.encode(raw));
        out.push('\n');
    }
    Ok(out)
}

/// Parses a signed note and verifies it against the trusted keys `known`.
///
/// Lines from unknown keys (name or key ID not matching a trusted key) are kept
/// unverified and ignored; a failing line from a trusted key rejects the whole
/// note (the spec's SHOULD, taken as a MUST for evidence); at least one trusted
/// signature must verify.
pub fn open(msg: &[u8], known: &[Verifier]) -> Result<Note, NoteError> {
    if msg.len() > MAX_NOTE_SIZE {
        return Err(NoteError::TooLarge);
    }
    let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not valid UTF-8"))?;
    if msg.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("control character in note"));
    }
    let split = msg
        .rfind("\n\n")
        .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let (text, sigs) = (&msg[..=split], &msg[split + 2..]);
    if sigs.is_empty() {
        return Err(NoteError::Malformed("no signature lines"));
    }
    let Some(sigs) = sigs.strip_suffix('\n') else {
        return Err(NoteError::Malformed(
            "signature block must end with a newline",
        ));
    };
    let mut note = Note {
        text: text.to_owned(),
        verified: Vec::new(),
        unverified: Vec::new(),
    };
    for (count, line) in sigs.split('\n').enumerate() {
        if count >= MAX_SIGNATURES {
            return Err(NoteError::Malformed("too many signatures"));
        }
        let sig = parse_signature_line(line)?;
        match known
            .iter()
            .find(|v| v.name == sig.name && v.key_id == sig.key_id)
        {
            None => note.unverified.push(sig),
            Some(v) if v.verify(text.as_bytes(), &sig.signature) => note.verified.push(sig),
            Some(v) => return Err(NoteError::InvalidSignature(v.name.clone())),
        }
    }
    if note.verified.is_empty() {
        return Err(NoteError::NoVerifiedSignature);
    }
    Ok(note)
}

fn parse_signature_line(line: &str) -> Result<NoteSignature, NoteError> {
    let rest = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed(
        "signature line must start with an em dash and a space",
    ))?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or(NoteError::Malformed("signature line lacks a signature"))?;
    check_name(name).map_err(|_| NoteError::Malformed("invalid key name in signature line"))?;
    let raw = BASE64
        .decode(b64)
        .map_err(|_| NoteError::Malformed("signature is not base64"))?;
    if raw.len() < 5 {
        return Err(NoteError::Malformed("signature too short"));
    }
    Ok(NoteSignature {
        name: name.to_owned(),
        key_id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
        signature: raw[4..].to_vec(),
    })
}

#[cfg(test)]
mod tests;
