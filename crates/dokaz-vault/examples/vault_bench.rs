//! Benchmarks of the vault on SQLite and a local folder, called by `bench/ingest.sh`:
//!
//! - `file <path>`: ingest one file; prints MB/s.
//! - `small <count> <bytes>`: ingest `count` generated items concurrently; prints items/s.
//! - `append <count> [callers]`: `count` custody events recorded concurrently on one item
//!   by `callers` (default 16,384) callers; prints durable appends/s (group commit at
//!   work). Fewer callers give smaller batches, each of which may leave the queue empty.
//!
//! Each run uses a fresh data directory under `$TMPDIR` (removed afterwards).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use dokaz_ledger::Signer;
use dokaz_model::{
    Agency, AgencyId, AgencyKind, Classification, CollectionMethod, CustodyAction, CustodyEvent,
};
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_store::AgencyStore;
use dokaz_store_sqlite::SqliteStore;
use dokaz_vault::{IntakeRequest, Vault};

/// The allocator of the dokaz binary, so that the figures are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ORIGIN: &str = "dokaz.bench/vault";
/// Intakes in flight at once.
const INTAKES_IN_FLIGHT: usize = 64;
/// Custody events in flight at once (by default for `append`): what the sequencer can group
/// into one transaction.
const EVENTS_IN_FLIGHT: usize = 16_384;

fn request(agency: &Agency, name: &str) -> IntakeRequest {
    IntakeRequest {
        agency: agency.id,
        agency_code: agency.code.clone(),
        case: None,
        original_name: name.to_owned(),
        collector: "bench".into(),
        method: CollectionMethod::Documentary,
        source_url: None,
        incidents: Vec::new(),
        classification: Classification::Restricted,
        actor: None,
        declared_sha256: None,
        collection: None,
    }
}

async fn open(dir: &std::path::Path) -> (Vault, Agency) {
    let url = format!("sqlite://{}", dir.join("dokaz.db").display());
    let store = Arc::new(SqliteStore::open(&url).await.expect("open SQLite"));
    let agency = Agency {
        id: AgencyId::new(),
        code: "BENCH".parse().expect("agency code"),
        name: "Bench".into(),
        kind: AgencyKind::Ngo,
        country: String::new(),
        created_at: chrono::Utc::now(),
    };
    store.create_agency(&agency).await.expect("agency");
    let blobs = BlobStore::open(
        dir.join("blobs").to_str().expect("utf-8 path"),
        &BlobOptions::default(),
    )
    .expect("blob store");
    let signer = Signer::generate(ORIGIN).expect("key");
    let vault = Vault::open(store, blobs, signer, ORIGIN)
        .await
        .expect("vault");
    (vault, agency)
}

/// Runs `count` jobs with at most `in_flight` at once.
async fn run_all<F, Fut>(count: usize, in_flight: usize, job: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for i in 0..count {
        if set.len() >= in_flight {
            set.join_next().await.expect("a task").expect("task ok");
        }
        set.spawn(job(i));
    }
    while let Some(r) = set.join_next().await {
        r.expect("task ok");
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let (vault, agency) = open(dir.path()).await;
    match args.get(1).map(String::as_str) {
        Some("file") => {
            let path = args.get(2).expect("file path");
            let file = tokio::fs::File::open(path).await.expect("open file");
            let size = file.metadata().await.expect("metadata").len();
            let t = Instant::now();
            let r = vault
                .ingest(file, request(&agency, "big.bin"))
                .await
                .expect("ingest");
            let s = t.elapsed().as_secs_f64();
            println!("{} {:.3} s {:.1} MB/s", r.sha256, s, size as f64 / s / 1e6);
        }
        Some("small") => {
            let count: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
            let bytes: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(4096);
            let t = Instant::now();
            run_all(count, INTAKES_IN_FLIGHT, |i| {
                let (v, req) = (vault.clone(), request(&agency, &format!("f{i}")));
                async move {
                    let mut data = vec![0u8; bytes];
                    data[..8].copy_from_slice(&(i as u64).to_le_bytes());
                    v.ingest(&data[..], req).await.expect("ingest");
                }
            })
            .await;
            vault.sync().await.expect("sync");
            let s = t.elapsed().as_secs_f64();
            println!(
                "{count} items of {bytes} B in {s:.2} s: {:.0} items/s",
                count as f64 / s
            );
        }
        Some("append") => {
            let count: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200_000);
            let callers: usize = args
                .get(3)
                .and_then(|a| a.parse().ok())
                .unwrap_or(EVENTS_IN_FLIGHT);
            let item = vault
                .ingest(&b"bench item"[..], request(&agency, "item"))
                .await
                .expect("ingest")
                .evidence;
            // `callers` callers, each appending one event at a time and waiting for it
            // to be durable, as concurrent users would: the sequencer groups whatever is
            // queued into one transaction.
            let t = Instant::now();
            let per_caller = count / callers;
            let count = per_caller * callers;
            run_all(callers, callers, |c| {
                let (v, item) = (vault.clone(), item.clone());
                async move {
                    for i in 0..per_caller {
                        let mut e = CustodyEvent::new(
                            item.id,
                            item.ern.clone(),
                            item.sha256,
                            CustodyAction::Access,
                            None,
                            item.agency,
                        );
                        e.reason = format!("read {c}.{i}");
                        v.append_events(vec![e]).await.expect("append");
                    }
                }
            })
            .await;
            let committed = t.elapsed().as_secs_f64();
            let size = vault.sync().await.expect("sync");
            let published = t.elapsed().as_secs_f64();
            println!(
                "{count} custody events, one per caller: {:.0} durable appends/s ({committed:.2} s); checkpoint at {size} after {published:.2} s",
                count as f64 / committed
            );
            // The same through `record`, which first reads the item (state, ids) from SQL.
            let n = count / 4;
            let ern = item.ern.clone();
            let t = Instant::now();
            run_all(n, EVENTS_IN_FLIGHT, |i| {
                let (v, ern) = (vault.clone(), ern.clone());
                async move {
                    v.record(
                        &ern,
                        CustodyAction::Access,
                        None,
                        &format!("read {i}"),
                        BTreeMap::new(),
                    )
                    .await
                    .expect("record");
                }
            })
            .await;
            println!(
                "{n} events through record (item read first): {:.0} appends/s",
                n as f64 / t.elapsed().as_secs_f64()
            );
        }
        _ => eprintln!(
            "usage: vault_bench file <path> | small <count> <bytes> | append <count> [callers]"
        ),
    }
}
