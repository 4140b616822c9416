//! WAL checkpoints off the write path. SQLite's automatic checkpoint runs inside the COMMIT
//! that crosses its threshold, on the one write connection: after a group commit of custody
//! events that meant copying some 10 MB of pages into the database file and syncing it
//! before the next transaction could start. Here a connection of its own copies them while
//! the writer goes on; commits are as durable as before (each is synced in the WAL, which is
//! what recovery replays), only the copy into the main file moves.

use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::mpsc;

/// A checkpoint at least this often, so that writes that do not wake the checkpointer (the
/// registry's single-row writes) still leave the WAL.
const PERIOD: Duration = Duration::from_secs(1);
/// WAL frames (pages) beyond which the checkpointer waits for the writer and restarts the
/// WAL from its beginning: under continuous load a passive checkpoint never finds the log
/// fully copied and idle, so without this the file would only grow. 16,384 pages of 4 KiB
/// is 64 MiB, a few group commits.
const RESTART_FRAMES: i64 = 16_384;
/// How long the checkpointer waits for a lock before giving up until its next turn. A
/// RESTART checkpoint holds the write lock while it waits for readers to leave the WAL, so
/// with the store's 30 s it could stall every writer behind a long read — and deadlock when
/// that read's consumer is itself waiting on a write (a batch run streams candidates while
/// it files keys): the writer then failed with "database is locked". Giving up after a
/// short wait only postpones the copy; the WAL keeps every commit meanwhile.
pub(crate) const PATIENCE: Duration = Duration::from_millis(50);

/// Wakes the checkpointer after a commit; cheap to clone. When every handle is dropped the
/// checkpointer stops.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoints {
    wake: mpsc::Sender<()>,
}

impl Checkpoints {
    /// Starts the checkpointer on the current runtime with its own connection.
    pub fn start(pool: SqlitePool) -> Self {
        let (wake, rx) = mpsc::channel(1);
        tokio::spawn(run(pool, rx));
        Self { wake }
    }

    /// Asks for a checkpoint soon; one already pending covers this commit too.
    pub fn committed(&self) {
        let _ = self.wake.try_send(());
    }
}

async fn run(pool: SqlitePool, mut wake: mpsc::Receiver<()>) {
    loop {
        tokio::select! {
            woken = wake.recv() => if woken.is_none() { break },
            () = tokio::time::sleep(PERIOD) => {}
        }
        if pool.is_closed() {
            break;
        }
        if let Err(e) = checkpoint(&pool).await {
            // Not fatal: the WAL keeps every commit; the next attempt copies it.
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
    pool.close().await;
}

/// Copies what the WAL holds into the database file without waiting for anyone, and when
/// the WAL has grown large, waits for the writer to finish its transaction and restarts it.
async fn checkpoint(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let (_busy, log, _copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    if log > RESTART_FRAMES {
        let (busy, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(RESTART)")
            .fetch_one(pool)
            .await?;
        tracing::debug!(busy, log, copied, "WAL restarted");
    }
    Ok(())
}
