//! Proof generation + verification at 10,000,000 leaves, and append rate.
//! Target: at most 100 µs per proof (generate and verify).
//!
//! Run with `cargo bench -p dokaz-ledger`. The 10M-leaf store (~650 MB) is built
//! once, outside the timed loops.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dokaz_ledger::{leaf_hash, verify_consistency, verify_inclusion, Hash, MemoryStore};

const SIZE: u64 = 10_000_000;

/// Deterministic pseudo-random numbers (xorshift64), so runs are comparable.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn leaf(i: u64) -> Hash {
    leaf_hash(&i.to_be_bytes())
}

fn build() -> MemoryStore {
    let start = Instant::now();
    let mut store = MemoryStore::with_capacity(SIZE);
    for i in 0..SIZE {
        store.append(leaf(i));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "built a {SIZE}-leaf store in {secs:.2} s ({:.0} appends/s, including leaf hashing)",
        SIZE as f64 / secs
    );
    store
}

fn proofs(c: &mut Criterion) {
    let store = build();
    let root = store.root();
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);

    c.bench_function("inclusion proof at 10M leaves (generate + verify)", |b| {
        b.iter(|| {
            let idx = rng.below(SIZE);
            let proof = store.inclusion_proof(idx, SIZE).unwrap();
            verify_inclusion(idx, SIZE, &leaf(idx), black_box(&proof), &root).unwrap();
        });
    });

    // Old roots are what a client holds from an earlier checkpoint; computing
    // them is not part of proving, so they are prepared outside the timing.
    let olds: Vec<(u64, Hash)> = (0..1024)
        .map(|_| {
            let m = rng.below(SIZE - 1) + 1;
            (m, store.root_at(m).unwrap())
        })
        .collect();
    let mut next = 0usize;
    c.bench_function(
        "consistency proof m -> 10M leaves (generate + verify)",
        |b| {
            b.iter(|| {
                let (m, old_root) = olds[next % olds.len()];
                next += 1;
                let proof = store.consistency_proof(m, SIZE).unwrap();
                verify_consistency(m, SIZE, &old_root, &root, black_box(&proof)).unwrap();
            });
        },
    );

    c.bench_function("root_at(m) at 10M leaves", |b| {
        b.iter(|| store.root_at(black_box(rng.below(SIZE) + 1)).unwrap());
    });
}

fn append(c: &mut Criterion) {
    const BATCH: u64 = 100_000;
    let leaves: Vec<Hash> = (0..BATCH).map(leaf).collect();
    let mut group = c.benchmark_group("append");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(20);
    group.bench_function("100k leaf hashes into an empty store", |b| {
        b.iter_batched(
            || MemoryStore::with_capacity(BATCH),
            |mut store| {
                for h in &leaves {
                    store.append(*h);
                }
                store
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, proofs, append);
criterion_main!(benches);
