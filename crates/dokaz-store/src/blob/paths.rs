//! Where things live inside the blob store. Evidence under its content address, intakes in
//! progress under `staging/`, derived log state (tiles, checkpoint) under `log/` — three
//! prefixes that never overlap, so a listing of one can't be confused with another.

use dokaz_model::Sha256;
use object_store::path::Path;

use super::error::{BlobError, BlobResult};

/// Prefix of content-addressed evidence.
pub const CONTENT_PREFIX: &str = "sha256";
/// Prefix of intakes in progress; anything left here after a crash is a partial intake.
pub const STAGING_PREFIX: &str = "staging";
/// Prefix of derived log state (tlog tiles, entry bundles, checkpoint).
pub const LOG_PREFIX: &str = "log";

/// `sha256/ab/cd/<hex>`: two directory levels of 256 each keep any one directory small
/// (10M blobs → ~150 per leaf directory) on file systems that slow down with large ones.
pub fn content_path(digest: &Sha256) -> Path {
    let hex = digest.to_hex();
    Path::from(format!(
        "{CONTENT_PREFIX}/{}/{}/{hex}",
        &hex[0..2],
        &hex[2..4]
    ))
}

/// The digest a content path names, if it is one (and its directories agree with it).
pub fn digest_of(path: &Path) -> Option<Sha256> {
    let parts: Vec<_> = path.parts().collect();
    let [prefix, a, b, name] = parts.as_slice() else {
        return None;
    };
    if prefix.as_ref() != CONTENT_PREFIX {
        return None;
    }
    let digest: Sha256 = name.as_ref().parse().ok()?;
    let hex = digest.to_hex();
    (hex == name.as_ref() && a.as_ref() == &hex[0..2] && b.as_ref() == &hex[2..4]).then_some(digest)
}

/// `staging/<name>` for a staging object name.
pub fn staging_path(name: &str) -> BlobResult<Path> {
    check_name(name)?;
    Ok(Path::from(format!("{STAGING_PREFIX}/{name}")))
}

/// `log/<relative>` for a derived object; refuses anything that could climb out of `log/`.
pub fn log_path(relative: &str) -> BlobResult<Path> {
    let bad = |reason| BlobError::BadPath {
        path: relative.to_owned(),
        reason,
    };
    if relative.is_empty() || relative.starts_with('/') {
        return Err(bad("must be a relative path"));
    }
    if relative
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
    {
        return Err(bad("must not contain empty, '.' or '..' parts"));
    }
    Path::parse(format!("{LOG_PREFIX}/{relative}")).map_err(|_| bad("not a valid object path"))
}

fn check_name(name: &str) -> BlobResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(BlobError::BadPath {
            path: name.to_owned(),
            reason: "staging names are letters, digits, '-', '_', '.'",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_round_trip() {
        let d: Sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            .parse()
            .unwrap();
        let p = content_path(&d);
        assert_eq!(
            p.as_ref(),
            "sha256/e3/b0/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(digest_of(&p), Some(d));
        assert_eq!(
            digest_of(&Path::from(
                "sha256/00/b0/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            )),
            None
        );
        assert_eq!(digest_of(&Path::from("staging/x")), None);
    }

    #[test]
    fn log_paths_stay_under_log() {
        assert_eq!(log_path("tile/0/000").unwrap().as_ref(), "log/tile/0/000");
        assert!(log_path("../sha256/x").is_err());
        assert!(log_path("/etc/passwd").is_err());
        assert!(log_path("tile//0").is_err());
        assert!(staging_path("../x").is_err());
        assert!(staging_path("0192-abc").is_ok());
    }
}
