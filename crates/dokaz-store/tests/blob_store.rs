//! The blob store on a local folder: round trips, ranges, deduplication, staging.

use dokaz_model::Sha256;
use dokaz_store::blob::{BlobError, BlobOptions, BlobStore};
use futures::TryStreamExt;
use sha2::Digest;

/// Deterministic bytes that are not a repeating pattern.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn store(dir: &tempfile::TempDir) -> BlobStore {
    let options = BlobOptions {
        part_size: 1 << 20,
        ..BlobOptions::default()
    };
    BlobStore::open(dir.path().join("blobs").to_str().unwrap(), &options).unwrap()
}

async fn read_all(store: &BlobStore, d: &Sha256, range: Option<std::ops::Range<u64>>) -> Vec<u8> {
    let chunks: Vec<_> = store
        .get(d, range)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    chunks.concat()
}

#[tokio::test]
async fn multipart_round_trip_is_exact_and_addressed_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    // Several parts plus a tail, so part boundaries and the pipelined hashing are exercised.
    let data = bytes((5 << 20) + 12_345, 1);
    let (digest, size) = store.put_stream(&data[..]).await.unwrap();
    assert_eq!(digest.0, <[u8; 32]>::from(sha2::Sha256::digest(&data)));
    assert_eq!(size, data.len() as u64);
    assert_eq!(read_all(&store, &digest, None).await, data);
    assert_eq!(
        read_all(&store, &digest, Some(1_000_000..1_100_000)).await,
        &data[1_000_000..1_100_000]
    );
    let hex = digest.to_hex();
    let file = dir
        .path()
        .join("blobs/sha256")
        .join(&hex[0..2])
        .join(&hex[2..4])
        .join(&hex);
    assert_eq!(std::fs::read(&file).unwrap(), data);
    assert_eq!(
        store.local_path(&digest).unwrap().canonicalize().unwrap(),
        file.canonicalize().unwrap()
    );
    assert!(
        store.list_staging().await.unwrap().is_empty(),
        "staging is emptied"
    );
    assert_eq!(store.head(&digest).await.unwrap().size, size);
    let (again, n) = store.rehash(&digest, |_| {}).await.unwrap();
    assert_eq!((again, n), (digest, size));
}

#[tokio::test]
async fn identical_bytes_are_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    for data in [bytes(3 << 20, 7), bytes(10, 8)] {
        let first = store.stage(&data[..]).await.unwrap();
        let digest = first.sha256;
        assert!(store.promote(first).await.unwrap(), "first copy is stored");
        let second = store.stage(&data[..]).await.unwrap();
        assert_eq!(second.sha256, digest);
        assert!(
            !store.promote(second).await.unwrap(),
            "second copy is dropped"
        );
        assert_eq!(read_all(&store, &digest, None).await, data);
    }
    let listed: Vec<_> = store.list_digests().try_collect().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(store.list_staging().await.unwrap().is_empty());
}

#[tokio::test]
async fn staged_bytes_can_be_refused_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let data = bytes(2 << 20, 3);
    let staged = store.stage(&data[..]).await.unwrap();
    let name = staged.staging_name().unwrap().to_owned();
    assert_eq!(store.list_staging().await.unwrap()[0].name, name);
    assert_eq!(&staged.head[..], &data[..staged.head.len()]);
    let digest = staged.sha256;
    store.discard(staged).await.unwrap();
    assert!(store.list_staging().await.unwrap().is_empty());
    assert!(!store.exists(&digest).await.unwrap());
    assert!(matches!(
        store.get(&digest, None).await.err().unwrap(),
        BlobError::NotFound { .. }
    ));
}

#[tokio::test]
async fn an_interrupted_intake_stays_in_staging_until_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let data = bytes(3 << 20, 4);
    let staged = store.stage(&data[..]).await.unwrap();
    drop(staged); // a crash before promotion
    let left = store.list_staging().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].size, data.len() as u64);
    store.delete_staging(&left[0].name).await.unwrap();
    assert!(store.list_staging().await.unwrap().is_empty());
}

#[tokio::test]
async fn derived_objects_live_under_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    store
        .put_bytes("tile/0/000.p/3", bytes::Bytes::from_static(b"abc"))
        .await
        .unwrap();
    assert_eq!(
        store.get_bytes("tile/0/000.p/3").await.unwrap().unwrap(),
        &b"abc"[..]
    );
    assert!(dir.path().join("blobs/log/tile/0/000.p/3").exists());
    assert_eq!(store.get_bytes("checkpoint").await.unwrap(), None);
    assert!(store
        .put_bytes("../sha256/x", bytes::Bytes::new())
        .await
        .is_err());
    store.delete_bytes("tile/0/000.p/3").await.unwrap();
    assert_eq!(store.get_bytes("tile/0/000.p/3").await.unwrap(), None);
}

#[tokio::test]
async fn empty_stream_is_the_empty_digest() {
    let store = BlobStore::in_memory();
    let (d, n) = store.put_stream(&b""[..]).await.unwrap();
    assert_eq!(n, 0);
    assert_eq!(
        d.to_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}
