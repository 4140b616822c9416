#!/usr/bin/env bash
# Peak memory of person matching (issue 5: "10,000,000 records must fit in 24 GiB"). For each
# size, generates a labelled corpus (`dokaz demo --labelled --persons N --incidents 0`), runs
# `dokaz match eval --kind person --open-only` on it under /usr/bin/time -v, and prints its
# peak RSS and wall time; with two or more sizes, also the straight line through them, and
# what it gives at 10,000,000. Each corpus is removed after its run. Not part of CI.
#
#   bash bench/match_memory.sh                    # 10,000,000 (needs ~6 GB of disk)
#   bash bench/match_memory.sh 2000000 5000000    # measure two sizes, extrapolate to 10M
#
# Environment: DOKAZ_BIN (a dokaz binary instead of building one); MATCH_MEMORY_DIR (where to
# write the corpora, default /tmp); MATCH_MEMORY_TIMEOUT (seconds per generation or match,
# default 1800; a match stopped at the limit reports its peak so far, a lower bound).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000000)
limit=${MATCH_MEMORY_TIMEOUT:-1800}
base=${MATCH_MEMORY_DIR:-/tmp}
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 1; }

if [ -n "${DOKAZ_BIN:-}" ]; then
  dokaz=$DOKAZ_BIN
  # Not settings of dokaz: every DOKAZ_ variable is read as one, and an unknown one is refused.
  unset DOKAZ_BIN DOKAZ_COMMIT
else
  cargo build --release --locked -p dokaz >/dev/null 2>&1 || cargo build --release --locked -p dokaz
  dokaz=${CARGO_TARGET_DIR:-target}/release/dokaz
fi

work=$(mktemp -d "$base/dokaz-match-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: > "$results"

field() { sed -n "s/^[[:space:]]*$1: //p" "$2"; }
for n in "${sizes[@]}"; do
  need_kib=$(( n * 6 / 10 + 524288 ))
  free_kib=$(df -Pk "$work" | awk 'NR==2 {print $4}')
  if [ "$free_kib" -lt "$need_kib" ]; then
    echo "$n: not enough disk in $base ($((free_kib / 1024)) MiB free, ~$((need_kib / 1024)) MiB needed)" >&2
    exit 1
  fi
  corpus="$work/c$n"
  /usr/bin/time -v -o "$work/gen.time" timeout "$limit" \
    "$dokaz" demo --labelled "$corpus" --persons "$n" --incidents 0 --seed 21 >/dev/null
  gen_wall=$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$work/gen.time")
  size=$(du -sh "$corpus" | cut -f1)
  rc=0
  /usr/bin/time -v -o "$work/eval.time" timeout "$limit" \
    "$dokaz" --json match eval "$corpus" --kind person --open-only > "$work/eval.json" || rc=$?
  rss_kib=$(field 'Maximum resident set size (kbytes)' "$work/eval.time")
  wall=$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$work/eval.time")
  if [ "$rc" = 124 ]; then
    # Stopped at the limit: the corpus was loaded and matching under way, not finished. The
    # peak so far is a lower bound (at 200k and 1M the peak is reached early in matching).
    f1="unknown: stopped after ${limit} s, matching unfinished, so the peak RSS is a lower bound"
  elif [ "$rc" != 0 ]; then
    echo "dokaz match eval failed ($rc)" >&2; exit 1
  else
    f1=$(python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['persons']; print(f\"{p['open']['f1']:.4f} over {p['comparisons']:,} comparisons\")" "$work/eval.json")
  fi
  printf '%s persons (%s on disk, generated in %s): peak RSS %s MiB, %s wall; F1 %s\n' \
    "$n" "$size" "$gen_wall" "$((rss_kib / 1024))" "$wall" "$f1"
  printf '%s\t%s\n' "$n" "$rss_kib" >> "$results"
  rm -rf "$corpus"
done

if [ ${#sizes[@]} -ge 2 ]; then
  python3 - "$results" <<'EOF'
import sys
pts = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
n = len(pts)
mx = sum(x for x, _ in pts) / n
my = sum(y for _, y in pts) / n
slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
at = lambda x: (my + slope * (x - mx)) / 1024
print(f"linear fit: {slope * 1e6 / 1024:,.0f} MiB per million records + {at(0):,.0f} MiB;"
      f" extrapolated to 10,000,000 records: {at(1e7):,.0f} MiB ({at(1e7) / 1024:.1f} GiB) of 24 GiB")
EOF
fi
