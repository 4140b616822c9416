//! Opening a store: migrations are idempotent and safe when several nodes start at once, and
//! the store names its backend.

use dokaz_store::conformance::agency;
use dokaz_store::{AgencyStore, Store};
use dokaz_store_postgres::testing::TestCluster;
use dokaz_store_postgres::PostgresStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_keeps_data_and_concurrent_opens_succeed() {
    let url = TestCluster::shared().await.fresh_database().await;
    // Several nodes starting at once against an empty database: one migrates, the rest wait
    // on the migrator's advisory lock and find nothing left to do.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { PostgresStore::open(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for h in handles {
        stores.push(h.await.unwrap().expect("open PostgreSQL store"));
    }
    let first = &stores[0];
    assert_eq!(first.backend(), "postgres");
    let a = agency("REOPEN");
    first.create_agency(&a).await.unwrap();
    for s in &stores {
        s.close().await;
    }
    let again = PostgresStore::open(&url).await.expect("reopen");
    assert_eq!(again.agency(a.id).await.unwrap(), a);
}

#[tokio::test]
async fn fresh_databases_are_distinct_and_empty() {
    let cluster = TestCluster::shared().await;
    let (a, b) = (
        cluster.fresh_database().await,
        cluster.fresh_database().await,
    );
    assert_ne!(a, b);
    let s = PostgresStore::open(&a).await.unwrap();
    s.create_agency(&agency("ONLYA")).await.unwrap();
    let t = PostgresStore::open(&b).await.unwrap();
    let listed = t.list_agencies(Default::default()).await.unwrap();
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn a_bad_url_is_a_backend_error_without_the_password() {
    let err = PostgresStore::open("postgres://u:s3cret@127.0.0.1:port/x")
        .await
        .unwrap_err();
    assert!(matches!(err, dokaz_store::StoreError::Backend(_)), "{err}");
    assert!(!err.to_string().contains("s3cret"), "{err}");
}
