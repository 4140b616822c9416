//! C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed statement "the log
//! named `<origin>` had `<size>` entries with root `<hash>`", carried in a signed note.
//!
//! ```text
//! <origin>
//! <decimal tree size>
//! <base64 root hash>
//! [extension lines]
//! ```

use std::fmt;

use crate::hash::{Hash, HashError};
use crate::note::{self, Note, NoteError, Signer, Verifier};

/// Why a checkpoint body or signed checkpoint was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The body does not follow the checkpoint format.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The root line is not a 32-byte base64 hash.
    #[error("malformed checkpoint root: {0}")]
    Root(#[from] HashError),
    /// The checkpoint is for another log.
    #[error("checkpoint origin {found:?} is not the expected {expected:?}")]
    WrongOrigin {
        /// Origin the caller trusts.
        expected: String,
        /// Origin in the checkpoint.
        found: String,
    },
    /// The signed note around the checkpoint is bad.
    #[error(transparent)]
    Note(#[from] NoteError),
}

/// A parsed checkpoint body. Fields are validated on construction, so a value of
/// this type always formats to a body that parses back to itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
    extensions: Vec<String>,
}

/// A line of a checkpoint: non-empty, no newline (control characters are refused
/// by the note layer already, but a checkpoint may be built outside a note).
fn check_line(line: &str, what: &'static str) -> Result<(), CheckpointError> {
    if line.is_empty() || line.chars().any(|c| c < ' ') {
        return Err(CheckpointError::Malformed(what));
    }
    Ok(())
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: &str, size: u64, root: Hash) -> Result<Self, CheckpointError> {
        check_line(origin, "origin must be a non-empty line")?;
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        })
    }

    /// Adds an extension line (opaque to this crate; must be a non-empty line).
    pub fn with_extension(mut self, line: &str) -> Result<Self, CheckpointError> {
        check_line(line, "extension lines must be non-empty lines")?;
        self.extensions.push(line.to_owned());
        Ok(self)
    }

    /// The log's origin line (its identity).
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Number of entries in the tree.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Merkle Tree Hash of the tree.
    #[must_use]
    pub fn root(&self) -> Hash {
        self.root
    }

    /// Extension lines, in order.
    #[must_use]
    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }

    /// Parses a checkpoint body (the note text, final newline included).
    pub fn parse(body: &str) -> Result<Self, CheckpointError> {
        let Some(body) = body.strip_suffix('\n') else {
            return Err(CheckpointError::Malformed("body must end with a newline"));
        };
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::Malformed("fewer than three lines"));
        };
        let mut checkpoint = Self::new(origin, parse_size(size)?, Hash::from_base64(root)?)?;
        for line in lines {
            checkpoint = checkpoint.with_extension(line)?;
        }
        Ok(checkpoint)
    }

    /// Signs the body as a note with every signer.
    pub fn sign(&self, signers: &[&Signer]) -> Result<String, CheckpointError> {
        Ok(note::sign(&self.to_string(), signers)?)
    }

    /// Opens a signed checkpoint: the note must verify with `verifier`, and the
    /// origin must be `origin` (a valid signature for another log proves nothing).
    pub fn open(
        signed: &[u8],
        origin: &str,
        verifier: &Verifier,
    ) -> Result<(Self, Note), CheckpointError> {
        let note = note::open(signed, std::slice::from_ref(verifier))?;
        let checkpoint = Self::parse(note.text())?;
        if checkpoint.origin != origin {
            return Err(CheckpointError::WrongOrigin {
                expected: origin.to_owned(),
                found: checkpoint.origin,
            });
        }
        Ok((checkpoint, note))
    }
}

/// Decimal without sign or leading zeros, as the spec requires (so every size
/// has exactly one encoding and signed bodies are canonical).
fn parse_size(text: &str) -> Result<u64, CheckpointError> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(CheckpointError::Malformed(
            "tree size must be canonical decimal",
        ));
    }
    text.parse()
        .map_err(|_| CheckpointError::Malformed("tree size does not fit in 64 bits"))
}

/// The checkpoint body, final newline included.
impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        )?;
        for line in &self.extensions {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn sign_open_round_trip() {
        let signer = Signer::generate("example.com/dokaz").unwrap();
        let cp = Checkpoint::new("example.com/dokaz", 42, leaf_hash(b"x"))
            .unwrap()
            .with_extension("ext")
            .unwrap();
        let signed = cp.sign(&[&signer]).unwrap();
        let (opened, _) =
            Checkpoint::open(signed.as_bytes(), "example.com/dokaz", &signer.verifier()).unwrap();
        assert_eq!(opened, cp);
        assert!(matches!(
            Checkpoint::open(signed.as_bytes(), "example.com/other", &signer.verifier()),
            Err(CheckpointError::WrongOrigin { .. })
        ));
    }

    #[test]
    fn sizes_must_be_canonical() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "",
            "01",
            "+1",
            "-1",
            " 1",
            "1 ",
            "0x10",
            "18446744073709551616",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bad_fields_are_refused() {
        let root = leaf_hash(b"");
        assert!(Checkpoint::new("", 1, root).is_err());
        assert!(Checkpoint::new("a\nb", 1, root).is_err());
        assert!(Checkpoint::new("a", 1, root)
            .unwrap()
            .with_extension("")
            .is_err());
    }
}
