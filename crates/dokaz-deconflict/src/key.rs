//! The deployment's matching key on disk: 32 bytes from the OS's CSPRNG, hex, mode 0600.
//! Whoever holds it can test guesses against stored keys and encodings, so it is kept like
//! the ledger's signing key, and never logged.

use std::io::Write as _;
use std::path::Path;

use rand::RngCore as _;

use crate::KEY_BYTES;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the matching key {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the matching key {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the matching key {path} is not {KEY_BYTES} bytes of hex")]
    Malformed { path: String },
}

/// Reads the key at `path`, making a new one there if there is none.
pub fn load_or_create(path: &Path) -> Result<Vec<u8>, KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(text.trim()).ok_or_else(|| KeyError::Malformed {
            path: path.display().to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(source) => Err(KeyError::Read {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Writes a fresh key to `path`, replacing any (key rotation), and returns it.
pub fn create(path: &Path) -> Result<Vec<u8>, KeyError> {
    let mut key = vec![0u8; KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let err = |source| KeyError::Write {
        path: path.display().to_string(),
        source,
    };
    // Written beside and renamed, so a crash never leaves half a key.
    let tmp = path.with_extension("key.tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(err)?;
    writeln!(f, "{}", hex::encode(&key)).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    Ok(key)
}

fn parse(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok().filter(|k| k.len() == KEY_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("match.key");
        let k = load_or_create(&path).unwrap();
        assert_eq!(k.len(), KEY_BYTES);
        assert_eq!(load_or_create(&path).unwrap(), k);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "abcd\n").unwrap();
        assert!(matches!(
            load_or_create(&path),
            Err(KeyError::Malformed { .. })
        ));
    }
}
