#!/usr/bin/env bash
# Vault benchmarks, each printed beside its reference measured in the same run (not in CI):
#   1. ingest of one file (default 1 GiB) vs `openssl dgst -sha256` and `sha256sum` on the
#      same file — the hashing floor an intake that also writes and fsyncs cannot beat;
#      target >= 0.9x openssl;
#   2. 100,000 files of 4 KiB, items/s (each one durable: blob fsynced, row, ledger leaf);
#   3. custody appends with group commit on SQLite, durable appends/s; target >= 100,000/s.
# Proof time at 10M leaves is the criterion bench in dokaz-ledger (cargo bench -p dokaz-ledger).
# Usage: bash bench/ingest.sh [FILE_MIB] [SMALL_FILES] [APPENDS]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
files=${2:-100000}
appends=${3:-200000}
work=$(mktemp -d /tmp/dokaz-bench-ingest.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

cargo build --release -q -p dokaz-vault --example vault_bench
bin=target/release/examples/vault_bench

now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.3f s %.1f MB/s", e - s, b / (e - s) / 1e6 }'; }

echo "== 1. one ${mib} MiB file (page-cached; each tool reads the same file)"
head -c $((mib << 20)) /dev/urandom > "$work/big.bin"
bytes=$(stat -c %s "$work/big.bin")
cat "$work/big.bin" > /dev/null
s=$(now); openssl dgst -sha256 "$work/big.bin" > /dev/null; e=$(now)
openssl_line=$(rate "$bytes" "$s" "$e")
s=$(now); sha256sum "$work/big.bin" > /dev/null; e=$(now)
sum_line=$(rate "$bytes" "$s" "$e")
# The disk's own floor for a durable copy: what any store that fsyncs is bound by.
s=$(now); dd if="$work/big.bin" of="$work/copy.bin" bs=8M conv=fdatasync status=none; e=$(now)
dd_line=$(rate "$bytes" "$s" "$e")
rm -f "$work/copy.bin"
ours_disk=$(TMPDIR=$work "$bin" file "$work/big.bin")
# The same intake with the data directory on tmpfs, where fsync costs nothing: the intake
# pipeline itself (read, SHA-256, write, SQL, ledger) against the hashing tools.
shm=$(mktemp -d /dev/shm/dokaz-bench.XXXXXX)
ours_mem=$(TMPDIR=$shm "$bin" file "$work/big.bin")
rm -rf "$shm"
echo "  openssl dgst -sha256                $openssl_line"
echo "  sha256sum                           $sum_line"
echo "  dd conv=fdatasync (disk floor)      $dd_line"
echo "  dokaz ingest, data dir on disk      ${ours_disk#* }   (hash, write, fsync, row + ledger leaf)"
echo "  dokaz ingest, data dir on tmpfs     ${ours_mem#* }"
ratio() { awk -v o="$(echo "$1" | awk '{print $3}')" -v d="$(echo "$2" | awk '{print $4}')" 'BEGIN { printf "%.2fx", d / o }'; }
echo "  ratio to openssl: tmpfs $(ratio "$openssl_line" "$ours_mem") (target >= 0.90x); disk $(ratio "$openssl_line" "$ours_disk"), disk floor $(awk -v o="$(echo "$openssl_line" | awk '{print $3}')" -v d="$(echo "$dd_line" | awk '{print $3}')" 'BEGIN { printf "%.2fx", d / o }')"
rm -f "$work/big.bin"

echo "== 2. ${files} files of 4 KiB"
"$bin" small "$files" 4096 | sed 's/^/  dokaz ingest          /'

echo "== 3. ${appends} custody events, group commit on SQLite"
"$bin" append "$appends" | sed 's/^/  dokaz ledger          /'
