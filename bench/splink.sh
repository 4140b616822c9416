#!/usr/bin/env bash
# Person matching beside Splink (issue 5): the same generated persons, the same blocking
# keys, both scored against the corpus's true links in one run. Not part of CI.
#
#   bash bench/splink.sh [PERSONS]          # default 1,000,000; 200000 for a quicker run
#
# 1. a Python venv ($SPLINK_VENV, default /tmp/splink-venv) with bench/splink-requirements.txt
#    (Splink 5 with DuckDB, exact versions);
# 2. two corpora from `dokaz demo --labelled --incidents 0`: calibration (seed 11; at most
#    200,000 records, $SPLINK_CAL_PERSONS to change) and test (seed 12, PERSONS records); `dokaz match calibrate` on the first, then `dokaz match eval --kind person
#    --open-only --json` on the test corpus, timed end to end (process wall clock, reading the
#    files included) under /usr/bin/time -v;
# 3. bench/splink_run.py on the test corpus's persons.csv, timed the same way: name splitting
#    and folding, training (u by random sampling of 2M pairs, m by EM on two blocking rules, 1M pairs each), predict, F1 against the truth at
#    the best threshold, with and without dokaz's one-to-one rule (see that file's doc);
#    then, untimed, Splink's exact count of the pairs its blocking rules produce;
# 4. one table of both.
# Environment: SPLINK_VENV; DOKAZ_BIN (a dokaz binary to use instead of building one);
# DOKAZ_COMMIT (what to call that binary in the output); SPLINK_WORK (keep the corpora there instead of a temporary directory removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
# dokaz's weights are fitted on a separate corpus of at most 200,000 records (another seed):
# enough for its few dozen weights, and calibrating on 1M would take longer than the match.
cal_persons=${SPLINK_CAL_PERSONS:-$(( persons < 200000 ? persons : 200000 ))}
venv=${SPLINK_VENV:-/tmp/splink-venv}

if [ -n "${SPLINK_WORK:-}" ]; then
  work=$SPLINK_WORK; mkdir -p "$work"
else
  work=$(mktemp -d /tmp/dokaz-bench-splink.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 1; }

# About 0.6 KB of files per person record and corpus, two corpora.
need_kib=$(( (persons + cal_persons) * 6 / 10 + 1048576 ))
free_kib=$(df -Pk "$work" | awk 'NR==2 {print $4}')
if [ "$free_kib" -lt "$need_kib" ]; then
  echo "not enough disk in $work: $((free_kib / 1024)) MiB free, about $((need_kib / 1024)) MiB needed" >&2
  exit 1
fi

# --- 1. Splink's venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r bench/splink-requirements.txt
splink_version=$("$venv/bin/python" -c 'import splink; print(splink.__version__)')
newest=$("$venv/bin/pip" index versions splink 2>/dev/null | sed -n 's/^splink (\(.*\))$/\1/p' || true)
echo "== Splink $splink_version (newest on PyPI: ${newest:-unknown}), DuckDB $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
case "$splink_version" in 5.*) ;; *) echo "   note: not Splink 5" ;; esac

# --- 2. dokaz
if [ -n "${DOKAZ_BIN:-}" ]; then
  dokaz=$DOKAZ_BIN
  dokaz_commit=${DOKAZ_COMMIT:-"$DOKAZ_BIN"}
  # Not settings of dokaz: every DOKAZ_ variable is read as one, and an unknown one is refused.
  unset DOKAZ_BIN DOKAZ_COMMIT
else
  cargo build --release --locked -p dokaz >/dev/null 2>&1 || cargo build --release --locked -p dokaz
  dokaz=${CARGO_TARGET_DIR:-target}/release/dokaz
  dokaz_commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
fi
dokaz_version=$("$dokaz" --version | awk '{print $2}')
load() { echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores shared with whatever else runs)"; }

now() { date +%s.%N; }
echo "== generating $cal_persons (calibration) and $persons (test) person records"
t0=$(now)
"$dokaz" demo --labelled "$work/cal" --persons "$cal_persons" --incidents 0 --seed 11 >/dev/null
"$dokaz" demo --labelled "$work/test" --persons "$persons" --incidents 0 --seed 12 >/dev/null
echo "   $(python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.0f}')" "$t0" "$(now)") s; persons.csv $(du -h "$work/test/persons.csv" | cut -f1), persons.jsonl $(du -h "$work/test/persons.jsonl" | cut -f1)"

echo "== dokaz match calibrate (calibration corpus: $cal_persons records, seed 11)"
rm -f "$work/weights.toml"
/usr/bin/time -v -o "$work/calibrate.time" \
  "$dokaz" --json match calibrate "$work/cal" --out "$work/weights.toml" > "$work/calibrate.json"
echo "== dokaz match eval (test corpus, seed 12)"
load
/usr/bin/time -v -o "$work/dokaz.time" \
  "$dokaz" --json match eval "$work/test" --weights "$work/weights.toml" --kind person --open-only \
  > "$work/dokaz.json"

# --- 3. Splink
echo "== Splink (DuckDB) on test/persons.csv"
load
/usr/bin/time -v -o "$work/splink.time" \
  "$venv/bin/python" bench/splink_run.py "$work/test" "$work/splink.json" 2> "$work/splink.log" \
  || { tail -n 30 "$work/splink.log" >&2; exit 1; }
echo "== counting Splink's blocked pairs (untimed)"
"$venv/bin/python" bench/splink_run.py "$work/test" "$work/splink-count.json" --count 2>> "$work/splink.log" \
  || { tail -n 30 "$work/splink.log" >&2; exit 1; }

# --- 4. the table
python3 - "$work" "$dokaz_version" "$dokaz_commit" "$persons" "$cal_persons" <<'EOF'
import json, re, sys
work, dokaz_version, commit, persons, cal_n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def gnu_time(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", text).group(1)) for k in ("User", "System"))
    return secs, rss / 1024, cpu

d = json.load(open(f"{work}/dokaz.json"))["persons"]
s = json.load(open(f"{work}/splink.json"))
sc = json.load(open(f"{work}/splink-count.json"))
cal = json.load(open(f"{work}/calibrate.json"))
d_secs, d_rss, d_cpu = gnu_time(f"{work}/dokaz.time")
s_secs, s_rss, s_cpu = gnu_time(f"{work}/splink.time")
c_secs, c_rss, _ = gnu_time(f"{work}/calibrate.time")
s_cmp = sc["comparisons"]

rows = [
    ("dokaz (one-to-one)", dokaz_version, d["records"], d["comparisons"], d_secs, d_cpu, d_rss,
     d["open"]["precision"], d["open"]["recall"], d["open"]["f1"]),
    ("Splink (one-to-one)", s["version"], s["records"], s_cmp, s_secs, s_cpu, s_rss,
     s["one_to_one"]["precision"], s["one_to_one"]["recall"], s["one_to_one"]["f1"]),
    ("Splink (all pairs)", s["version"], s["records"], s_cmp, s_secs, s_cpu, s_rss,
     s["all_pairs"]["precision"], s["all_pairs"]["recall"], s["all_pairs"]["f1"]),
]
head = ("tool", "version", "records", "comparisons", "comparisons/s", "end-to-end s", "CPU s",
        "peak RSS MiB", "precision", "recall", "F1")
out = [head]
for name, ver, rec, cmp, secs, cpu, rss, p, r, f in rows:
    out.append((name, ver, f"{rec:,}", f"{cmp:,}", f"{cmp / secs:,.0f}", f"{secs:.1f}", f"{cpu:.1f}",
                f"{rss:,.0f}", f"{p:.4f}", f"{r:.4f}", f"{f:.4f}"))
widths = [max(len(r[i]) for r in out) for i in range(len(head))]
print()
for i, r in enumerate(out):
    print("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
    if i == 0:
        print("  ".join("-" * w for w in widths))
print()
print(f"true pairs (cross-agency): {d['true_pairs']:,} (dokaz) / {s['true_pairs']:,} (Splink's count from links.jsonl)")
print(f"dokaz's speed as a multiple of Splink's (Splink's end-to-end s / dokaz's): {s_secs / d_secs:.2f}x (by CPU seconds: {s_cpu / d_cpu:.2f}x);"
      f" comparisons/s dokaz / Splink = {(d['comparisons'] / d_secs) / (s_cmp / s_secs):.1f}x")
print(f"F1 (both one-to-one): dokaz {d['open']['f1']:.4f} vs Splink {s['one_to_one']['f1']:.4f}"
      f" ({'dokaz ≥ Splink' if d['open']['f1'] >= s['one_to_one']['f1'] else 'dokaz < Splink'});"
      f" target ≥ 3x the speed at F1 ≥ Splink's: "
      f"{'met' if s_secs / d_secs >= 3 and d['open']['f1'] >= max(s['one_to_one']['f1'], s['all_pairs']['f1']) else 'NOT met'}")
print(f"dokaz: matching {d['seconds']:.1f} s of {d_secs:.1f} s (the rest reads the corpus and computes its persons' features);"
      f" {d['comparisons'] / d['seconds']:,.0f} comparisons/s while matching; dokaz build: {commit}")
print(f"dokaz calibration (on the seed-11 corpus of {cal_n:,} records, not in the time above): {c_secs:.1f} s, {c_rss:,.0f} MiB;"
      f" person threshold {cal[1]['threshold']}")
print(f"Splink phases: prepare (split + fold names) {s['prepare_seconds']:.1f} s, train {s['train_seconds']:.1f} s,"
      f" predict {s['predict_seconds']:.1f} s, score {s['score_seconds']:.1f} s;"
      f" {s_cmp / s['predict_seconds']:,.0f} comparisons/s while predicting; {s['threads']} DuckDB threads")
print(f"Splink thresholds (best F1 on the test corpus itself): match weight ≥ {s['one_to_one']['threshold']:.2f}"
      f" (one-to-one), ≥ {s['all_pairs']['threshold']:.2f} (all pairs); pairs kept above the floor"
      f" {s['weight_floor']}: {s['pairs_above_floor']:,}, with {s['true_pairs_above_floor']:,} true")
EOF
