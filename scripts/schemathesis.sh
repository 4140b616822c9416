#!/usr/bin/env bash
# Property-based API testing (issue 4): schemathesis generates requests from the served
# OpenAPI document and checks that no response is a 5xx and every response matches the
# schema. Runs against a demo node started here, authenticated as an investigator.
# Usage: bash scripts/schemathesis.sh [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-50}
shift || true
venv=${SCHEMATHESIS_VENV:-/tmp/dokaz-schemathesis}
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
work=$(mktemp -d /tmp/dokaz-schemathesis.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cargo build --release -q -p dokaz
dokaz=target/release/dokaz
"$dokaz" --data-dir "$work/node" --json demo --incidents 300 --persons 100 > "$work/demo.json"
read -r login password < <(python3 -c "
import json; d=json.load(open('$work/demo.json'))
u=[l for l in d['logins'] if l['roles']=='investigator'][0]; print(u['login'], u['one_time_password'])")
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
"$dokaz" --data-dir "$work/node" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 & pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/session" -H 'content-type: application/json' \
  -d "{\"login\":\"$login\",\"password\":\"$password\"}" | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")

# Logout would end the session the run uses; everything else is exercised.
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-path /api/v1/session --exclude-method DELETE \
  --max-examples "$examples" --workers 2 "$@"
echo "server log: no panics" && ! grep -i "panicked" "$work/serve.log"
