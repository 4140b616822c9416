//! Unit tests of tile paths, inventories, bundles and the tile reader.

use std::collections::HashMap;

use super::*;
use crate::memory::MemoryStore;

#[test]
fn index_encoding() {
    assert_eq!(encode_index(0), "000");
    assert_eq!(encode_index(999), "999");
    assert_eq!(encode_index(1000), "x001/000");
    assert_eq!(encode_index(1_234_067), "x001/x234/067");
    assert_eq!(encode_index(u64::MAX), "x018/x446/x744/x073/x709/x551/615");
}

#[test]
fn paths() {
    let full = TileId {
        level: 0,
        index: 1_234_067,
        width: 256,
    };
    assert_eq!(full.path(), "tile/0/x001/x234/067");
    let partial = TileId {
        level: 1,
        index: 0,
        width: 17,
    };
    assert_eq!(partial.path(), "tile/1/000.p/17");
    assert_eq!(partial.full().path(), "tile/1/000");
    let bundle = TileId {
        level: 0,
        index: 273,
        width: 112,
    };
    assert_eq!(bundle.entries_path(), "tile/entries/273.p/112");
}

#[test]
fn inventory_of_70000() {
    let tiles = tiles_for_size(70_000);
    let full = |l| tiles.iter().filter(|t| t.level == l && t.is_full()).count();
    let partial: Vec<_> = tiles
        .iter()
        .filter(|t| !t.is_full())
        .map(|t| (t.level, t.index, t.width))
        .collect();
    assert_eq!((full(0), full(1), full(2)), (273, 1, 0));
    assert_eq!(partial, vec![(0, 273, 112), (1, 1, 17), (2, 0, 1)]);
    assert!(tiles_for_size(0).is_empty());
}

#[test]
fn bundles_round_trip_and_reject_garbage() {
    let entries: Vec<&[u8]> = vec![b"one", b"", b"three"];
    let bytes = encode_bundle(&entries).unwrap();
    assert_eq!(&bytes[..5], b"\x00\x03one");
    assert_eq!(decode_bundle("p", &bytes).unwrap(), entries);
    assert!(decode_bundle("p", &bytes[..bytes.len() - 1]).is_err());
    assert!(decode_bundle("p", &[0]).is_err());
    assert!(matches!(
        encode_bundle(&[vec![0u8; 65_536]]),
        Err(TileError::EntryTooLong(65_536))
    ));
}

/// A log of `n` entries published as tiles in a map, as a server would.
fn publish(n: u64) -> (MemoryStore, HashMap<String, Vec<u8>>) {
    let mut store = MemoryStore::new();
    let entries: Vec<Vec<u8>> = (0..n).map(|i| format!("entry {i}").into_bytes()).collect();
    for e in &entries {
        store.append_entry(e);
    }
    let mut served = HashMap::new();
    for t in tiles_for_size(n) {
        served.insert(t.path(), build_tile(&store, t).unwrap());
        if t.level == 0 {
            let start = (t.index * TILE_WIDTH) as usize;
            let bundle = encode_bundle(&entries[start..start + usize::from(t.width)]).unwrap();
            served.insert(t.entries_path(), bundle);
        }
    }
    (store, served)
}

#[test]
fn reader_recomputes_roots_and_proofs_from_tiles() {
    for n in [1u64, 255, 256, 257, 70_000] {
        let (store, served) = publish(n);
        let reader = TileReader::new(|p: &str| served.get(p).cloned(), n);
        reader.verify_root(&store.root()).unwrap();
        assert_eq!(reader.verify_entries().unwrap(), n);
        let idx = n / 3;
        assert_eq!(
            crate::proof::inclusion_proof(&reader, idx, n).unwrap(),
            store.inclusion_proof(idx, n).unwrap()
        );
    }
}

#[test]
fn reader_uses_full_tile_when_partial_is_gone_and_reports_tampering() {
    let (store, served) = publish(600);
    // An older checkpoint at 300: its partial level-0 tile and bundle were
    // replaced by full ones; its level-1 tile (width 1) is still served.
    let mut old = served.clone();
    let level1 = TileId {
        level: 1,
        index: 0,
        width: 1,
    };
    old.insert(level1.path(), build_tile(&store, level1).unwrap());
    let reader = TileReader::new(|p: &str| old.get(p).cloned(), 300);
    reader.verify_root(&store.root_at(300).unwrap()).unwrap();
    reader.verify_entries().unwrap();

    // A full level-0 tile does not enter the root directly (its level-1 hash
    // does): tampering shows up against the entries and the level-1 tile.
    let mut bad = served.clone();
    bad.get_mut("tile/0/000").unwrap()[0] ^= 1;
    let reader = TileReader::new(|p: &str| bad.get(p).cloned(), 600);
    reader.verify_root(&store.root()).unwrap();
    assert!(matches!(
        reader.verify_entries(),
        Err(TileError::EntryMismatch(0))
    ));
    assert!(matches!(
        reader.verify_tiles(),
        Err(TileError::TileMismatch(_))
    ));
    assert!(reader.verify_all(&store.root()).is_err());

    let mut bad = served.clone();
    bad.get_mut("tile/0/002.p/88").unwrap()[0] ^= 1;
    let reader = TileReader::new(|p: &str| bad.get(p).cloned(), 600);
    assert!(matches!(
        reader.verify_root(&store.root()),
        Err(TileError::RootMismatch { .. })
    ));

    let reader = TileReader::new(|p: &str| served.get(p).cloned(), 600);
    assert_eq!(reader.verify_all(&store.root()).unwrap(), 600);

    let mut short = served.clone();
    short.get_mut("tile/0/002.p/88").unwrap().pop();
    let reader = TileReader::new(|p: &str| short.get(p).cloned(), 600);
    assert!(reader.root().is_err());
    let empty = |_: &str| None;
    assert!(TileReader::new(empty, 5).root().is_err());
    assert!(TileReader::new(empty, 5).tile_hashes(0, 1).is_err());
}
