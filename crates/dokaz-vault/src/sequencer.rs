//! Group commit. Every ledger write — custody events and audit records alike — goes through
//! one task: it takes whatever has queued (up to [`MAX_BATCH`] writes) and appends it in as
//! few transactions as the kinds allow (one fsync for many intakes). A second task takes the
//! committed runs in order, extends the in-memory right edge of the tree, answers each caller
//! with its ledger index and hands tiles and a snapshot to the publisher, while the next
//! transaction is already being written. One writer for both kinds keeps that right edge
//! exact: an entry appended behind its back would force a reload of the whole tree.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dokaz_ledger::{leaf_hash, Checkpoint, Hash, Verifier};
use dokaz_model::AuditRecord;
use dokaz_store::sql::batch::PreparedWrite;
use dokaz_store::{AuditStore, CustodyWrite, LedgerStore, StoreResult};
use tokio::sync::{mpsc, oneshot, watch};

use crate::error::{VaultError, VaultResult};
use crate::frontier::Frontier;
use crate::publisher::{PublishNow, Published, Publisher, TileWork};
use crate::tiles_io::LOAD_CHUNK;

/// Writes per transaction at most.
pub const MAX_BATCH: usize = 10_000;
/// Under continuous load, a snapshot to sign at least this often; the publisher signs it
/// after at most one [`crate::publisher::PUBLISH_INTERVAL`] rest.
const MAX_UNPUBLISHED: Duration = Duration::from_secs(1);
/// Submissions waiting at most; callers beyond it wait to enqueue (back pressure).
const QUEUE: usize = 65_536;

/// Writes of one kind, in order, with each write's ledger entry and leaf hash computed by
/// its caller, so that the one sequencer task, through which every write passes, does as
/// little as possible. Custody writes carry theirs (and their documents) for the store too.
#[derive(Debug)]
enum Batch {
    Custody(Vec<PreparedWrite>),
    Audit(Vec<AuditRecord>, Vec<(Hash, Vec<u8>)>),
}

/// A run of a [`Batch`], as one store call takes it.
#[derive(Clone, Copy)]
enum Part<'a> {
    Custody(&'a [PreparedWrite]),
    Audit(&'a [AuditRecord]),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Self::Custody(w) => w.len(),
            Self::Audit(r, _) => r.len(),
        }
    }

    fn same_kind(&self, other: &Batch) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// Room for `additional` more writes, so that joining thousands of one-write
    /// submissions moves each write once instead of through every doubling of the vector
    /// (a custody write is several hundred bytes; the regrowth was a tenth of the CPU time).
    fn reserve(&mut self, additional: usize) {
        match self {
            Self::Custody(w) => w.reserve_exact(additional),
            Self::Audit(r, l) => {
                r.reserve_exact(additional);
                l.reserve_exact(additional);
            }
        }
    }

    /// Moves `other`'s writes to the end of this batch; the caller checks the kinds match.
    fn append(&mut self, other: Batch) {
        match (self, other) {
            (Self::Custody(a), Self::Custody(b)) => a.extend(b),
            (Self::Audit(a, la), Self::Audit(b, lb)) => {
                a.extend(b);
                la.extend(lb);
            }
            _ => unreachable!("batches are grouped by kind before they are joined"),
        }
    }

    fn part(&self, at: usize, n: usize) -> Part<'_> {
        match self {
            Self::Custody(w) => Part::Custody(&w[at..at + n]),
            Self::Audit(r, _) => Part::Audit(&r[at..at + n]),
        }
    }

    /// The leaves of the writes `at..at + n`, copied, for committing a part on its own.
    fn leaves(&self, at: usize, n: usize) -> Leaves {
        Leaves::Plain(match self {
            Self::Custody(w) => w[at..at + n]
                .iter()
                .map(|w| (Hash(*w.leaf_hash()), w.entry().to_vec()))
                .collect(),
            Self::Audit(_, l) => l[at..at + n].to_vec(),
        })
    }

    /// Every write's leaf, in order, moved out of the batch.
    fn into_leaves(self) -> Leaves {
        match self {
            Self::Custody(w) => Leaves::Custody(w),
            Self::Audit(_, l) => Leaves::Plain(l),
        }
    }
}

/// The leaves of a committed run. Custody writes keep theirs until the tree takes them, one
/// by one: collecting them into a vector of their own first moved every entry once more.
enum Leaves {
    Custody(Vec<PreparedWrite>),
    Plain(Vec<(Hash, Vec<u8>)>),
}

impl Leaves {
    fn for_each(self, mut f: impl FnMut(Hash, Vec<u8>)) {
        match self {
            Self::Custody(w) => w.into_iter().for_each(|w| {
                let (hash, entry) = w.into_leaf();
                f(Hash(hash), entry);
            }),
            Self::Plain(l) => l.into_iter().for_each(|(hash, entry)| f(hash, entry)),
        }
    }
}

struct Submission {
    writes: Batch,
    reply: oneshot::Sender<VaultResult<Vec<u64>>>,
}

/// The handle callers hold; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Sequencer {
    tx: mpsc::Sender<Submission>,
    committed: watch::Receiver<u64>,
    published: watch::Receiver<Published>,
    /// Wakes the publisher for a `sync`, rather than letting it rest.
    publish_now: Arc<PublishNow>,
    /// Why writing is refused, if the log does not match its checkpoint.
    diverged: Option<String>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Submission({} writes)", self.writes.len())
    }
}

/// Loads the right edge from the stored leaf hashes, checking the tree against the latest
/// checkpoint on the way (its root at its size). Returns the frontier and, if the log does
/// not match, why.
pub(crate) async fn load(
    ledger: &Arc<dyn LedgerStore>,
    verifier: &Verifier,
    origin: &str,
) -> VaultResult<(Frontier, Option<String>, Option<u64>)> {
    let size = ledger.ledger_size().await?;
    let mut diverged = None;
    let cp = match ledger.latest_checkpoint().await? {
        // A checkpoint this key cannot verify refuses writes but still opens the vault, so
        // that fsck can run and say so.
        Some(stored) => match Checkpoint::open(stored.note.as_bytes(), origin, verifier) {
            Ok((cp, _)) => Some(cp),
            Err(e) => {
                diverged = Some(format!("latest checkpoint does not verify: {e}"));
                None
            }
        },
        None => None,
    };
    let mut frontier = Frontier::new();
    let mut completed = Vec::new();
    let check = |f: &Frontier, diverged: &mut Option<String>| {
        if let Some(cp) = &cp {
            if f.size() == cp.size() && f.root() != cp.root() {
                *diverged = Some(format!("root at size {} differs", cp.size()));
            }
        }
    };
    check(&frontier, &mut diverged);
    while frontier.size() < size {
        let to = (frontier.size() + LOAD_CHUNK).min(size);
        let hashes = ledger.leaf_hashes(frontier.size(), to).await?;
        if hashes.len() as u64 != to - frontier.size() {
            diverged = Some(format!("leaves missing in {}..{to}", frontier.size()));
            break;
        }
        for h in hashes {
            frontier.push(Hash(h), None, &mut completed);
            check(&frontier, &mut diverged);
        }
        completed.clear();
    }
    if let Some(cp) = &cp {
        if cp.size() > size {
            diverged = Some(format!("log has {size} entries, checkpoint {}", cp.size()));
        }
    }
    let from = frontier.size() - frontier.size() % dokaz_ledger::TILE_WIDTH;
    let entries = ledger.ledger_entries(from, frontier.size()).await?;
    frontier.set_partial_entries(entries.into_iter().map(|e| e.entry).collect());
    Ok((frontier, diverged, cp.map(|c| c.size())))
}

impl Sequencer {
    /// Starts the sequencer and publisher tasks on the current runtime.
    pub async fn start(
        ledger: Arc<dyn LedgerStore>,
        audit: Arc<dyn AuditStore>,
        publisher: impl FnOnce(watch::Sender<Published>, Arc<PublishNow>) -> Publisher,
        verifier: &Verifier,
        origin: &str,
    ) -> VaultResult<Self> {
        let (frontier, diverged, cp_size) = load(&ledger, verifier, origin).await?;
        if let Some(why) = &diverged {
            tracing::error!(reason = %why, "ledger diverged from its checkpoint; writes refused");
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        let (committed_tx, committed) = watch::channel(frontier.size());
        let (published_tx, published) = watch::channel(Published {
            size: cp_size,
            error: None,
        });
        let (tiles_tx, tiles_rx) = mpsc::unbounded_channel();
        if diverged.is_none() && cp_size != Some(frontier.size()) {
            // A crash after a commit and before its checkpoint, or a new log: publish now,
            // rebuilding tiles the crash may have lost.
            let _ = tiles_tx.send(TileWork {
                full: Vec::new(),
                snapshot: Some(frontier.snapshot()),
                rebuild: cp_size.is_some(),
            });
        }
        let publish_now = Arc::new(PublishNow::default());
        tokio::spawn(publisher(published_tx, publish_now.clone()).run(tiles_rx));
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let completion = Completion {
            ledger: ledger.clone(),
            frontier,
            committed: committed_tx,
            tiles: tiles_tx,
            last_snapshot: Instant::now(),
        };
        tokio::spawn(completion.run(done_rx));
        let task = Task {
            ledger,
            audit,
            done: done_tx,
        };
        tokio::spawn(task.run(rx));
        Ok(Self {
            tx,
            committed,
            published,
            publish_now,
            diverged,
        })
    }

    /// Appends the custody writes (in order, consecutively) and returns their ledger indexes
    /// once they are durable.
    pub async fn submit(&self, writes: Vec<CustodyWrite>) -> VaultResult<Vec<u64>> {
        self.refuse_if_diverged()?;
        // Pushed into a vector of its own: collected in place, the writes' buffer was shrunk
        // to the prepared writes' size, one more reallocation and copy per submission.
        let mut prepared = Vec::with_capacity(writes.len());
        for w in writes {
            prepared.push(PreparedWrite::new(w)?);
        }
        self.enqueue(Batch::Custody(prepared)).await
    }

    /// Appends audit records like [`Sequencer::submit`] appends custody writes.
    pub async fn submit_audit(&self, records: Vec<AuditRecord>) -> VaultResult<Vec<u64>> {
        self.refuse_if_diverged()?;
        let leaves = records
            .iter()
            .map(|r| {
                let e = r.ledger_entry();
                (leaf_hash(&e), e)
            })
            .collect();
        self.enqueue(Batch::Audit(records, leaves)).await
    }

    fn refuse_if_diverged(&self) -> VaultResult<()> {
        match &self.diverged {
            Some(why) => Err(VaultError::LedgerDiverged(why.clone())),
            None => Ok(()),
        }
    }

    async fn enqueue(&self, writes: Batch) -> VaultResult<Vec<u64>> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Submission { writes, reply })
            .await
            .map_err(|_| VaultError::Stopped("queue closed".into()))?;
        rx.await
            .map_err(|_| VaultError::Stopped("no reply".into()))?
    }

    /// Waits until everything committed so far is covered by a published checkpoint;
    /// returns that checkpoint's size.
    pub async fn sync(&self) -> VaultResult<u64> {
        let target = *self.committed.borrow();
        let mut published = self.published.clone();
        // Only when not yet covered: a caller reading the checkpoint over and over must not
        // keep the publisher from resting.
        if published.borrow().size.is_none_or(|s| s < target) {
            self.publish_now.request(target);
        }
        let p = published
            .wait_for(|p| p.error.is_some() || p.size.is_some_and(|s| s >= target))
            .await
            .map_err(|_| VaultError::Stopped("publisher gone".into()))?
            .clone();
        match (p.error, p.size) {
            (Some(e), _) => Err(VaultError::Ledger(format!("publishing: {e}"))),
            (None, Some(size)) => Ok(size),
            (None, None) => Err(VaultError::Stopped("nothing published".into())),
        }
    }

    pub fn diverged(&self) -> Option<&str> {
        self.diverged.as_deref()
    }
}

/// The task every write passes through: it groups submissions and appends them, one
/// transaction after another, and hands each committed run to [`Completion`] — so the next
/// transaction starts while the callers of the last are answered.
struct Task {
    ledger: Arc<dyn LedgerStore>,
    audit: Arc<dyn AuditStore>,
    done: mpsc::UnboundedSender<Committed>,
}

/// A run of writes the store committed, in commit order.
struct Committed {
    leaves: Leaves,
    indexes: Vec<u64>,
    /// Each caller's count of writes and where to answer it.
    callers: Vec<(usize, oneshot::Sender<VaultResult<Vec<u64>>>)>,
    /// Nothing is queued behind this run: time to publish.
    idle: bool,
}

impl Committed {
    /// No run, only word that the queue is empty.
    fn idle() -> Self {
        Self {
            leaves: Leaves::Plain(Vec::new()),
            indexes: Vec::new(),
            callers: Vec::new(),
            idle: true,
        }
    }
}

impl Task {
    async fn run(self, mut rx: mpsc::Receiver<Submission>) {
        // One buffer for every batch: grown afresh each time, its doublings up to thousands
        // of submissions touched new memory the kernel had to zero, batch after batch.
        let mut subs: Vec<Submission> = Vec::with_capacity(MAX_BATCH);
        while let Some(first) = rx.recv().await {
            let mut n = first.writes.len();
            subs.push(first);
            while n < MAX_BATCH {
                match rx.try_recv() {
                    Ok(s) => {
                        n += s.writes.len();
                        subs.push(s);
                    }
                    Err(_) => break,
                }
            }
            // Consecutive submissions of one kind share a transaction; kinds keep their order.
            while let Some(head) = subs.first() {
                let same = subs
                    .iter()
                    .position(|s| !s.writes.same_kind(&head.writes))
                    .unwrap_or(subs.len());
                self.commit(subs.drain(..same)).await;
            }
            if rx.is_empty() {
                let _ = self.done.send(Committed::idle());
            }
        }
    }

    async fn store(&self, part: Part<'_>) -> StoreResult<Vec<u64>> {
        match part {
            Part::Custody(w) => self.ledger.append_prepared(w).await,
            Part::Audit(r) => self.audit.append_audit(r).await,
        }
    }

    /// Commits submissions of one kind together.
    async fn commit(&self, subs: std::vec::Drain<'_, Submission>) {
        // Move the writes out of the submissions; each caller keeps its count and reply.
        let total: usize = subs.as_slice().iter().map(|s| s.writes.len()).sum();
        let mut batch: Option<Batch> = None;
        let mut callers = Vec::with_capacity(subs.len());
        for s in subs {
            callers.push((s.writes.len(), s.reply));
            match &mut batch {
                Some(b) => b.append(s.writes),
                None => {
                    let mut first = s.writes;
                    first.reserve(total - first.len());
                    batch = Some(first);
                }
            }
        }
        let Some(batch) = batch else { return };
        let started = Instant::now();
        let result = self.store(batch.part(0, batch.len())).await;
        tracing::debug!(writes = batch.len(), elapsed = ?started.elapsed(), ok = result.is_ok(), "batch appended");
        match result {
            Ok(indexes) => {
                let _ = self.done.send(Committed {
                    leaves: batch.into_leaves(),
                    indexes,
                    callers,
                    idle: false,
                });
            }
            Err(e) if callers.len() == 1 => {
                if let Some((_, reply)) = callers.pop() {
                    let _ = reply.send(Err(e.into()));
                }
            }
            Err(_) => {
                // One bad write fails the whole transaction; find out whose by committing
                // each caller's writes alone, so the others still succeed.
                let mut at = 0;
                for (n, reply) in callers {
                    match self.store(batch.part(at, n)).await {
                        Ok(indexes) => {
                            let _ = self.done.send(Committed {
                                leaves: batch.leaves(at, n),
                                indexes,
                                callers: vec![(n, reply)],
                                idle: false,
                            });
                        }
                        Err(e) => {
                            let _ = reply.send(Err(e.into()));
                        }
                    }
                    at += n;
                }
            }
        }
    }
}

/// Answers the callers of committed runs, in commit order: extends the in-memory right edge
/// of the tree, then replies, and hands tiles and, now and then, a snapshot to the publisher.
struct Completion {
    ledger: Arc<dyn LedgerStore>,
    frontier: Frontier,
    committed: watch::Sender<u64>,
    tiles: mpsc::UnboundedSender<TileWork>,
    last_snapshot: Instant,
}

impl Completion {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Committed>) {
        while let Some(c) = rx.recv().await {
            let mut work = TileWork::default();
            self.extend(c.leaves, &c.indexes, &mut work).await;
            let mut at = 0;
            for (n, reply) in c.callers {
                let _ = reply.send(Ok(c.indexes[at..at + n].to_vec()));
                at += n;
            }
            if (c.idle && rx.is_empty()) || self.last_snapshot.elapsed() >= MAX_UNPUBLISHED {
                work.snapshot = Some(self.frontier.snapshot());
                self.last_snapshot = Instant::now();
            }
            let _ = self.tiles.send(work);
        }
    }

    /// Adds committed leaves to the right edge. If the indexes do not continue it, another
    /// writer appended meanwhile: reload from SQL and have the tiles rebuilt.
    async fn extend(&mut self, leaves: Leaves, indexes: &[u64], work: &mut TileWork) {
        let size = self.frontier.size();
        match indexes.first() {
            None => return,
            Some(&first) if first == size => {}
            // Already in the tree: a reload after an earlier run read them from SQL.
            Some(&first) if first + indexes.len() as u64 <= size => return,
            Some(&got) => {
                tracing::warn!(
                    expected = size,
                    ?got,
                    "ledger grew outside this sequencer; reloading"
                );
                if let Ok(f) = reload(&self.ledger).await {
                    self.frontier = f;
                }
                work.rebuild = true;
                self.committed.send_replace(self.frontier.size());
                return;
            }
        }
        leaves.for_each(|leaf, entry| self.frontier.push(leaf, Some(entry), &mut work.full));
        // Before any caller hears of its index, so that a `sync` it then makes waits for it.
        self.committed.send_replace(self.frontier.size());
    }
}

async fn reload(ledger: &Arc<dyn LedgerStore>) -> VaultResult<Frontier> {
    let size = ledger.ledger_size().await?;
    let mut frontier = Frontier::new();
    let mut sink = Vec::new();
    while frontier.size() < size {
        let to = (frontier.size() + LOAD_CHUNK).min(size);
        let hashes = ledger.leaf_hashes(frontier.size(), to).await?;
        if hashes.is_empty() {
            break; // a gap; fsck reports it
        }
        for h in hashes {
            frontier.push(Hash(h), None, &mut sink);
        }
        sink.clear();
    }
    Ok(frontier)
}
