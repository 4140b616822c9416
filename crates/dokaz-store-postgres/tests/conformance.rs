//! The storage conformance suite on PostgreSQL, each test on a fresh database of a real
//! server (started by `testing::TestCluster`, or `DOKAZ_TEST_DATABASE_URL`).

use dokaz_store_postgres::testing::TestCluster;
use dokaz_store_postgres::PostgresStore;

async fn fresh() -> PostgresStore {
    let url = TestCluster::shared().await.fresh_database().await;
    PostgresStore::open(&url)
        .await
        .expect("open PostgreSQL store")
}

dokaz_store::conformance_suite!(fresh());
