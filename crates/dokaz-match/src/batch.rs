//! Comparing every record with its candidates, on every core: the shared loop of `dokaz match
//! run`, `dokaz match eval` and the benchmarks, whatever the record type.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A pair of records, by their positions in the caller's list, with its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
    pub score: f64,
}

/// How a batch went, for progress bars and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Candidate pairs scored (each once).
    pub comparisons: u64,
}

/// Records handed to a worker at a time: large enough that the shared counter is not
/// contended, small enough that the cores finish together.
const CHUNK: usize = 512;

/// Runs `per_record(scratch, i, out)` for every `i < n` on `threads` threads, each with its
/// own `scratch` buffers; `per_record` pushes what it finds (pairs: each once — e.g. only
/// with `b > a`), in no particular order, and returns how many candidates it compared. `progress` is called with the
/// number of records done so far.
pub fn run<S: Default, T: Send>(
    n: usize,
    threads: usize,
    per_record: impl Fn(&mut S, u32, &mut Vec<T>) -> u64 + Sync,
    progress: &(dyn Fn(usize) + Sync),
) -> (Vec<T>, BatchStats) {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new((Vec::new(), 0u64));
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                let mut pairs = Vec::new();
                let mut comparisons = 0;
                let mut scratch = S::default();
                loop {
                    let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if from >= n {
                        break;
                    }
                    let to = (from + CHUNK).min(n);
                    for i in from..to {
                        comparisons += per_record(&mut scratch, i as u32, &mut pairs);
                    }
                    progress(done.fetch_add(to - from, Ordering::Relaxed) + to - from);
                }
                let mut r = results.lock().unwrap_or_else(|p| p.into_inner());
                r.0.append(&mut pairs);
                r.1 += comparisons;
            });
        }
    });
    let (found, comparisons) = results.into_inner().unwrap_or_else(|p| p.into_inner());
    (found, BatchStats { comparisons })
}

/// `f` of every item, in order, on `threads` threads: for the per-record work before matching
/// (features, blind encodings), which is otherwise a long single-threaded stretch.
pub fn map<T: Sync, U: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let per_thread = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(per_thread)
            .map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<U>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for part in parts {
            out.extend(part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// The number of worker threads to use: the cores the OS gives this process.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Frees `value` on a thread of its own: the many small allocations of a million records'
/// features take over a second to free, which nothing needs to wait for (a process that exits
/// meanwhile leaves them to the system).
pub fn free_aside<T: Send + 'static>(value: T) {
    // A thread that cannot be started drops its closure, and `value` with it, here.
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// Rearranges `items` in place so that position `k` holds what was at `order[k]` (`order` a
/// permutation of the positions), by following its cycles: no second copy of the items.
pub fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    assert_eq!(items.len(), order.len(), "one position per item");
    for start in 0..order.len() {
        let mut at = start;
        // Each cycle is walked once; a position done is marked by pointing at itself.
        while order[at] as usize != at {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_puts_what_order_names_at_each_position() {
        for n in [0usize, 1, 2, 7, 1000] {
            // A permutation of several cycles and fixed points, from a small LCG.
            let mut order: Vec<u32> = (0..n as u32).collect();
            let mut x = 12345u64;
            for i in (1..n).rev() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(i, (x >> 33) as usize % (i + 1));
            }
            let items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
            let mut permuted = items.clone();
            permute(&mut permuted, order.clone());
            let want: Vec<String> = order.iter().map(|&k| items[k as usize].clone()).collect();
            assert_eq!(permuted, want, "{n} items");
        }
    }
}
