#!/usr/bin/env bash
# Fuzzes the API against its own OpenAPI document with schemathesis (PyPI): a throwaway node
# (SQLite), a second agency, an investigator-prosecutor with a write token, the server on a
# free local port, then every operation with generated input. Passes when no request gets a
# 5xx, a status the document does not list, or a body that violates its schema.
#
#   crates/dokaz-server/schemathesis.sh [MAX_EXAMPLES]      (default 50 per operation)
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples="${1:-50}"
work="$(mktemp -d)"
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v st >/dev/null 2>&1; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q schemathesis
  export PATH="$work/venv/bin:$PATH"
fi

cargo build -q -p dokaz
dokaz="target/debug/dokaz"
node="$work/node"
"$dokaz" --data-dir "$node" --json init >/dev/null
"$dokaz" --data-dir "$node" --json admin agency add JITEU --name "JIT" --kind joint-investigation-team >/dev/null
"$dokaz" --data-dir "$node" --json admin user add fuzzer --role investigator --role prosecutor --identity-cleared >/dev/null
token="$("$dokaz" --data-dir "$node" --json admin token create --user fuzzer --name schemathesis --scope write \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$dokaz" --data-dir "$node" serve --bind "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.2
done

st run "http://127.0.0.1:$port/api/v1/openapi.json" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "$max_examples" --workers 2
