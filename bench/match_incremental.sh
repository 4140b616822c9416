#!/usr/bin/env bash
# Incremental deconfliction: one new incident matched against N stored ones through the
# real store (SQLite), timed per call; target under 50 ms at 1,000,000 stored incidents.
#   bash bench/match_incremental.sh [STORED] [PROBES]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p dokaz-deconflict --example incremental_bench -- "${1:-1000000}" "${2:-200}"
