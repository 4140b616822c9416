#!/usr/bin/env bash
# HTTP benchmark (issue 4): authenticated `GET /api/v1/incidents/{id}` on a demo node with
# `dokaz serve`, requests/s and p99 latency from wrk, beside a minimal axum hello-world
# (bench/hello, built here) measured in the same run on the same machine. Target: >= 0.5x.
# Usage: bash bench/http.sh [SECONDS] [CONNECTIONS]
# Builds into $CARGO_TARGET_DIR (default target/). DOKAZ_BIN=path measures that dokaz binary
# instead of building one (to compare two builds back to back).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d /tmp/dokaz-bench-http.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

target=${CARGO_TARGET_DIR:-target}
if [ -z "${DOKAZ_BIN:-}" ]; then cargo build --release -q -p dokaz; fi
cargo build --release -q --manifest-path bench/hello/Cargo.toml --target-dir "$target"
dokaz=${DOKAZ_BIN:-$target/release/dokaz}
# Not a setting of dokaz: every DOKAZ_ variable is read as one, and an unknown one is refused.
unset DOKAZ_BIN
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

"$dokaz" --data-dir "$work/node" --json demo --incidents 2000 > "$work/demo.json"
read -r login password < <(python3 -c "
import json,sys; d=json.load(open('$work/demo.json'))
u=[l for l in d['logins'] if l['roles']=='investigator'][0]; print(u['login'], u['one_time_password'])")
port=$(free_port)
"$dokaz" --data-dir "$work/node" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 & pids+=($!)
hport=$(free_port)
"$target/release/hello" "127.0.0.1:$hport" & pids+=($!)
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

session=$(curl -s -w '\n%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/session" \
  -H 'content-type: application/json' -d "{\"login\":\"$login\",\"password\":\"$password\"}")
[ "${session##*$'\n'}" = 201 ] || { echo "login as $login failed: $session" >&2; cat "$work/serve.log" >&2; exit 1; }
token=$(printf '%s' "${session%$'\n'*}" | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")
# One open incident (no audit record per read) and one restricted (each read is an audit
# record and a durable ledger entry, group-committed): both are what users do.
read -r open_id restricted_id < <(curl -sf "http://127.0.0.1:$port/api/v1/incidents?limit=500" \
  -H "authorization: Bearer $token" | python3 -c "
import json,sys; items=json.load(sys.stdin)['items']
pick=lambda c: next(i['id'] for i in items if i['classification']==c)
print(pick('open'), pick('restricted'))")

run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {printf "%10s req/s  p99 %s\n", rps, p99}'; }
echo "== $secs s, $conns connections, 2 threads"
echo "dokaz GET /api/v1/incidents/{id}, open incident:       $(run -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/incidents/$open_id")"
echo "dokaz GET /api/v1/incidents/{id}, restricted (audited): $(run -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/incidents/$restricted_id")"
echo "reference axum hello-world:                             $(run "http://127.0.0.1:$hport/")"
