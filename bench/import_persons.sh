#!/usr/bin/env bash
# Persons import benchmark (issue 13): 1,000,000 persons from CSV into SQLite and PostgreSQL
# with `dokaz import persons` (both passes: every row checked, then written with its external
# id and content hash), and the same file re-synced unchanged; each beside the database's own
# bulk loader on the same file (sqlite3 .import, psql \copy into a plain table) in the same
# run. Prints rows/s and the importer's peak memory. Usage: bash bench/import_persons.sh [ROWS]
# Needs about 2.5 GB of free disk for 1,000,000 rows (the SQLite half is removed before the
# PostgreSQL half starts; PostgreSQL's WAL is capped at 256 MB for both loaders).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d /tmp/dokaz-bench-persons.XXXXXX)
chmod 755 "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  if [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# BENCH_DOKAZ: a release binary built elsewhere (skips the build).
if [ -n "${BENCH_DOKAZ:-}" ]; then
  dokaz=$BENCH_DOKAZ
else
  cargo build --release --locked -p dokaz >/dev/null 2>&1 || cargo build --release --locked -p dokaz
  dokaz=target/release/dokaz
fi
python3 bench/gen_persons.py "$rows" > "$work/persons.csv"
echo "== $rows persons, $(du -h "$work/persons.csv" | cut -f1) of CSV"

now() { date +%s.%N; }
rate() { python3 -c "import sys; r,t=int(sys.argv[1]),float(sys.argv[2]); print(f'{r/t:>10,.0f} rows/s  ({t:6.2f} s)')" "$rows" "$1"; }
# Runs dokaz under GNU time when present, for its peak resident memory.
timed() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null
    echo "$(( $(cat "$work/rss") / 1024 )) MiB peak" > "$work/rss.txt"
  else
    "$@" >/dev/null
    echo "peak memory not measured (no /usr/bin/time)" > "$work/rss.txt"
  fi
}

# BENCH_ONLY=sqlite or postgres runs one half.
only=${BENCH_ONLY:-both}
dokaz_sqlite=0 resync_sqlite=0 ref_sqlite=0 dokaz_pg=0 resync_pg=0 ref_pg=0 rss_sqlite=- rss_pg=-

# --- SQLite
if [ "$only" != postgres ]; then
"$dokaz" --data-dir "$work/sqlite" init >/dev/null
t0=$(now); timed "$dokaz" --data-dir "$work/sqlite" import persons "$work/persons.csv"; t1=$(now)
dokaz_sqlite=$(python3 -c "print($t1-$t0)"); rss_sqlite=$(cat "$work/rss.txt")
t0=$(now); "$dokaz" --data-dir "$work/sqlite" import persons "$work/persons.csv" >/dev/null; t1=$(now)
resync_sqlite=$(python3 -c "print($t1-$t0)")
t0=$(now)
sqlite3 "$work/ref.db" -cmd "PRAGMA journal_mode=WAL" -cmd "PRAGMA synchronous=FULL" ".import --csv $work/persons.csv persons" >/dev/null
t1=$(now)
ref_sqlite=$(python3 -c "print($t1-$t0)")
rm -rf "$work/sqlite" "$work/ref.db"*   # disk for the PostgreSQL half
fi

# --- PostgreSQL: a throwaway cluster, as the tests start one
if [ "$only" != sqlite ]; then
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c max_wal_size=256MB" -w start >/dev/null
url="postgres://postgres@127.0.0.1:$port/postgres"
"$dokaz" --data-dir "$work/pgnode" --database-url "$url" init >/dev/null
t0=$(now); timed "$dokaz" --data-dir "$work/pgnode" import persons "$work/persons.csv"; t1=$(now)
dokaz_pg=$(python3 -c "print($t1-$t0)"); rss_pg=$(cat "$work/rss.txt")
t0=$(now); "$dokaz" --data-dir "$work/pgnode" import persons "$work/persons.csv" >/dev/null; t1=$(now)
resync_pg=$(python3 -c "print($t1-$t0)")
cols=$(head -1 "$work/persons.csv" | sed 's/,/ text,/g; s/$/ text/')
psql -q "$url" -c "CREATE TABLE ref_persons ($cols)"
t0=$(now); psql -q "$url" -c "\\copy ref_persons FROM '$work/persons.csv' WITH (FORMAT csv, HEADER true)"; t1=$(now)
ref_pg=$(python3 -c "print($t1-$t0)")
fi

[ "$only" != postgres ] && {
echo "SQLite      dokaz import persons: $(rate "$dokaz_sqlite")  $rss_sqlite"
echo "            re-sync, unchanged:   $(rate "$resync_sqlite")"
echo "            sqlite3 .import:      $(rate "$ref_sqlite")  (reference: no validation, no ids, no history)"
}
[ "$only" != sqlite ] && {
echo "PostgreSQL  dokaz import persons: $(rate "$dokaz_pg")  $rss_pg"
echo "            re-sync, unchanged:   $(rate "$resync_pg")"
echo "            psql \\copy:           $(rate "$ref_pg")  (reference: no validation, no ids, no history)"
}
true
