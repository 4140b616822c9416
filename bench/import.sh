#!/usr/bin/env bash
# Import benchmark (issue 2): 100,000 incidents from CSV into SQLite and PostgreSQL with
# `dokaz import incidents`, each beside the database's own bulk loader on the same file
# (sqlite3 .import, psql \copy into a plain table): the floor no validating importer can
# beat. Prints rows/s. Usage: bash bench/import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
work=$(mktemp -d /tmp/dokaz-bench-import.XXXXXX)
chmod 755 "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  if [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --locked -p dokaz >/dev/null 2>&1 || cargo build --release --locked -p dokaz
dokaz=target/release/dokaz
python3 bench/gen_incidents.py "$rows" > "$work/incidents.csv"
echo "== $rows incidents, $(du -h "$work/incidents.csv" | cut -f1) of CSV"

now() { date +%s.%N; }
rate() { python3 -c "import sys; r,t=int(sys.argv[1]),float(sys.argv[2]); print(f'{r/t:>10,.0f} rows/s  ({t:.2f} s)')" "$rows" "$1"; }

# --- SQLite
"$dokaz" --data-dir "$work/sqlite" init >/dev/null
t0=$(now); "$dokaz" --data-dir "$work/sqlite" import incidents "$work/incidents.csv" >/dev/null; t1=$(now)
dokaz_sqlite=$(python3 -c "print($t1-$t0)")
t0=$(now)
sqlite3 "$work/ref.db" -cmd "PRAGMA journal_mode=WAL" -cmd "PRAGMA synchronous=FULL" ".import --csv $work/incidents.csv incidents" >/dev/null
t1=$(now)
ref_sqlite=$(python3 -c "print($t1-$t0)")

# --- PostgreSQL: a throwaway cluster, as the tests start one
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
url="postgres://postgres@127.0.0.1:$port/postgres"
"$dokaz" --data-dir "$work/pgnode" --database-url "$url" init >/dev/null
t0=$(now); "$dokaz" --data-dir "$work/pgnode" import incidents "$work/incidents.csv" >/dev/null; t1=$(now)
dokaz_pg=$(python3 -c "print($t1-$t0)")
cols=$(head -1 "$work/incidents.csv" | sed 's/,/ text,/g; s/$/ text/')
psql -q "$url" -c "CREATE TABLE ref_incidents ($cols)"
t0=$(now); psql -q "$url" -c "\\copy ref_incidents FROM '$work/incidents.csv' WITH (FORMAT csv, HEADER true)"; t1=$(now)
ref_pg=$(python3 -c "print($t1-$t0)")

echo "SQLite      dokaz import: $(rate "$dokaz_sqlite")   reference sqlite3 .import (no validation): $(rate "$ref_sqlite")"
echo "PostgreSQL  dokaz import: $(rate "$dokaz_pg")   reference psql \\copy (no validation):      $(rate "$ref_pg")"
