#!/usr/bin/env bash
# Benchmark: authenticated `GET /api/v1/incidents/{id}` (API token, SQLite node) against a
# minimal axum hello world, measured with wrk in the same run and with the same settings.
# Prints requests/s and p99 latency of each and their ratio (the target is >= 0.5).
#
#   crates/dokaz-server/bench/api.sh                 release build, 10 s per run
#   PROFILE=dev DURATION=3s crates/dokaz-server/bench/api.sh      quick check of the script
#   CLASSIFICATION=restricted …   a record whose every read is audited (a durable write)
set -euo pipefail
cd "$(dirname "$0")/../../.."
profile="${PROFILE:-release}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
classification="${CLASSIFICATION:-open}"
target_dir="target/$([ "$profile" = dev ] && echo debug || echo "$profile")"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build -q --profile "$profile" -p dokaz --bin dokaz
cargo build -q --profile "$profile" -p dokaz-server --example hello

work="$(mktemp -d)"
trap 'kill ${pids:-} 2>/dev/null || true; rm -rf "$work"' EXIT
dokaz="$target_dir/dokaz"
node="$work/node"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

"$dokaz" --data-dir "$node" --json init >/dev/null
"$dokaz" --data-dir "$node" --json admin user add bench --role investigator >/dev/null
token="$("$dokaz" --data-dir "$node" --json admin token create --user bench --name bench --scope write | json '["token"]')"

api_port="$(free_port)"
"$dokaz" --data-dir "$node" serve --bind "127.0.0.1:$api_port" 2>"$work/serve.log" &
pids="$!"
hello_port="$(free_port)"
"$target_dir/examples/hello" "127.0.0.1:$hello_port" 2>/dev/null &
pids="$pids $!"
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$api_port/readyz" >/dev/null && curl -fs "http://127.0.0.1:$hello_port/" >/dev/null && break
  sleep 0.2
done

id="$(curl -fs -X POST "http://127.0.0.1:$api_port/api/v1/incidents" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"title\":\"bench\",\"occurred\":{\"start\":\"2022-03-09T10:00:00Z\"},\"crimes\":[\"rs-8-2-b-ix\"],\"classification\":\"$classification\"}" \
  | json '["incident"]["id"]')"

run() { wrk -t2 -c"$connections" -d"$duration" --latency "$@"; }
api="$(run -H "Authorization: Bearer $token" "http://127.0.0.1:$api_port/api/v1/incidents/$id")"
hello="$(run "http://127.0.0.1:$hello_port/")"
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" {print $2}'; }
api_rps="$(rps <<<"$api")"
hello_rps="$(rps <<<"$hello")"
echo "profile $profile, $connections connections, $duration each, a $classification incident"
printf '%-40s %12s req/s   p99 %s\n' "GET /api/v1/incidents/{id} (token)" "$api_rps" "$(p99 <<<"$api")"
printf '%-40s %12s req/s   p99 %s\n' "axum hello world" "$hello_rps" "$(p99 <<<"$hello")"
python3 -c "print(f'ratio {float(\"$api_rps\") / float(\"$hello_rps\"):.2f} (target >= 0.5)')"
if grep -q '"code":"internal"' "$work/serve.log"; then echo "server errors during the run:"; tail "$work/serve.log"; fi
