//! Alone in its file so that no other test shares the process and disturbs the measurement:
//! ingesting a 4 GiB stream keeps memory bounded, whatever the size.

use std::pin::Pin;
use std::task::{Context, Poll};

use dokaz_store::blob::{BlobOptions, BlobStore};
use tokio::io::{AsyncRead, ReadBuf};

const TOTAL: u64 = 4 << 30;
const BLOCK: usize = 1 << 20;

/// A generated stream (no file behind it): a 1 MiB block of noise, its first 8 bytes replaced
/// by the block number so no two blocks are identical.
struct Generated {
    block: Vec<u8>,
    pos: u64,
}

impl AsyncRead for Generated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        while buf.remaining() > 0 && this.pos < TOTAL {
            let off = (this.pos % BLOCK as u64) as usize;
            if off == 0 {
                let n = this.pos / BLOCK as u64;
                this.block[..8].copy_from_slice(&n.to_le_bytes());
            }
            let n = buf.remaining().min(BLOCK - off);
            buf.put_slice(&this.block[off..off + n]);
            this.pos += n as u64;
        }
        Poll::Ready(Ok(()))
    }
}

/// Peak resident memory so far (kB), from the kernel's own accounting.
fn vm_hwm_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_gib_stream_is_stored_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let options = BlobOptions::default();
    let store = BlobStore::open(dir.path().to_str().unwrap(), &options).unwrap();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let block: Vec<u8> = (0..BLOCK)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let before = vm_hwm_kb();
    let (digest, size) = store.put_stream(Generated { block, pos: 0 }).await.unwrap();
    let after = vm_hwm_kb();
    assert_eq!(size, TOTAL);
    let file = store.local_path(&digest).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), TOTAL);
    let growth_mib = (after - before) / 1024;
    let bound_mib = (options.part_size * (options.max_concurrency + 8)) as u64 >> 20;
    eprintln!("peak RSS growth {growth_mib} MiB for 4 GiB (bound {bound_mib} MiB)");
    assert!(
        growth_mib <= bound_mib,
        "peak RSS grew by {growth_mib} MiB, more than {bound_mib} MiB"
    );
}
