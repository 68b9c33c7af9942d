#!/usr/bin/env bash
# Benchmarks ndr against a parse-only floor and DuckDB on generated exports of
# 1M and 10M rows (and 100M with --huge), prints wall and CPU seconds, peak
# RSS, rows/s and MB/s for each, then prints each target of
# docs/performance.md beside the value measured, from this one run. Ratios to
# the parse-only read are paired: the two commands run alternately and the
# median of the per-pair ratios is taken. Exits 1 if DuckDB's numbers differ
# from ndr's or a target is missed.
#
#   bench/run.sh [--huge]      (from anywhere; builds the Release build first)
#   NDR_BENCH_DIR=/big/disk bench/run.sh     where the data goes (default bench/data)
#   NDR_BENCH_RUNS=5                          runs per measurement (median; default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
data=${NDR_BENCH_DIR:-$root/bench/data}
runs=${NDR_BENCH_RUNS:-3}
huge=${1:-}
mkdir -p "$data"
make -C "$root" build >/dev/null
ndr=$build/ndr
results=$(mktemp)
trap 'rm -f "$results"' EXIT

generate() {  # generate NAME CUSTOMERS: 36 month-ends, grouped by date
  local file=$data/$1.csv
  [ -s "$file" ] || "$build/ndr-gen" --customers "$2" --months 36 --seed 1 -o "$file"
  echo "$file"
}
rows_of() { echo $(( $(wc -l < "$1") - 1 )); }
measure() {  # measure LABEL FILE COMMAND...
  local label=$1 file=$2
  shift 2
  python3 "$root/bench/measure.py" "$label" "$(rows_of "$file")" "$(stat -c %s "$file")" "$runs" -- "$@" \
    | tee -a "$results" | awk -F'\t' '{ printf "  %-28s %7.3f s wall %7.3f s cpu (%5.2f kernel) %8.1f MiB %10.0f rows/s %7.1f MB/s\n",
                                          $1, $4, $5, $7, $6 / 1024, $2 / $4, $3 / $4 / 1e6 }'
}
paired() {  # paired LABEL FILE BASELINE... -- COMMAND...: ratios to the baseline, run alternately
  local label=$1 file=$2
  shift 2
  # At least 5 pairs: on a shared host one slow pair of 3 moves the median.
  python3 "$root/bench/measure.py" --paired "$label" "$(rows_of "$file")" "$(stat -c %s "$file")" "$(( runs > 5 ? runs : 5 ))" -- "$@" \
    | tee -a "$results" | awk -F'\t' '{ printf "  %-28s %7.2fx wall %7.2fx cpu (paired runs, median ratio)\n", $1, $4, $5 }'
}

# DuckDB from the npm registry, in a scratch folder; skipped when unavailable.
duck_dir=$data/duckdb
duck=""
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ -d "$duck_dir/node_modules/@duckdb/node-api" ] ||
     (mkdir -p "$duck_dir" && cd "$duck_dir" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1); then
    cp "$root/bench/duckdb_ndr.mjs" "$duck_dir/"
    duck="node $duck_dir/duckdb_ndr.mjs $ndr"
  fi
fi
[ -n "$duck" ] || echo "DuckDB: skipped (node/npm missing or @duckdb/node-api could not be installed)"

sizes=("1M 48000" "10M 480000")
[ "$huge" = "--huge" ] && sizes+=("100M 4800000")
for size in "${sizes[@]}"; do
  set -- $size
  file=$(generate "$1" "$2")
  echo "$1 rows: $file ($(rows_of "$file") rows, $(( $(stat -c %s "$file") / 1000000 )) MB)"
  cat "$file" > /dev/null  # into the page cache
  last=$("$ndr" report "$file" --format csv | tail -n 1 | cut -d, -f1)
  measure "$1 baseline-parse" "$file" "$build/ndr-parse-baseline" "$file"
  measure "$1 ndr" "$file" "$ndr" report "$file" --format csv
  paired "$1 ndr/parse" "$file" "$build/ndr-parse-baseline" "$file" -- "$ndr" report "$file" --format csv
  measure "$1 ndr-window12" "$file" "$ndr" report "$file" --format csv --window 12
  [ "$1" = 100M ] && continue
  # ndr sql on PostgreSQL, the table loaded: the query alone (issue 13).
  if [ "$1" = 1M ] && command -v psql >/dev/null; then
    bash "$root/bench/postgres_sql.sh" "$root" "$ndr" "$file" "$runs" "$1" | tee -a "$results" |
      awk -F'\t' '{ printf "  %-28s %7.3f s wall %7.3f s cpu (%5.2f kernel) %8.1f MiB %10.0f rows/s (the table already loaded)\n",
                    $1, $4, $5, $7, $6 / 1024, $2 / $4 }'
  fi
  measure "$1 ndr-segment-by" "$file" "$ndr" report "$file" --format csv --segment-by plan
  measure "$1 ndr-movements" "$file" "$ndr" movements "$file" --at "$last" --format csv
  # Each against the plain report, alternately: a noisy machine slows both.
  if [ "$1" = 10M ]; then
    paired "$1 window12/ndr" "$file" "$ndr" report "$file" --format csv -- \
      "$ndr" report "$file" --format csv --window 12
    paired "$1 segment-by/ndr" "$file" "$ndr" report "$file" --format csv -- \
      "$ndr" report "$file" --format csv --segment-by plan
    paired "$1 movements/ndr" "$file" "$ndr" report "$file" --format csv -- \
      "$ndr" movements "$file" --at "$last" --format csv
  fi
  if [ -n "$duck" ]; then
    measure "$1 duckdb-ndr-sql" "$file" $duck "$file" 1
    measure "$1 duckdb-ndr-sql-window12" "$file" $duck "$file" 12
    if [ "$1" = 1M ]; then
      for w in 1 12; do
        if cmp -s <("$ndr" report "$file" --format csv --window $w) <($duck "$file" $w); then
          echo "  DuckDB's result of ndr sql (window $w) is byte-identical to ndr report's"
        else
          echo "  FAIL: DuckDB's result of ndr sql (window $w) differs from ndr report's"; exit 1
        fi
      done
    fi
  fi
done

# Currencies and subscription exports (docs/inputs.md): the 10M export with a
# currency column (one currency per customer: 60 % USD, 20 % EUR, 20 % JPY),
# and a generated export of 200,000 subscriptions.
cur=$data/10M-currency.csv
subs=$data/subscriptions-200k.csv
rates=$data/fx-rates.csv
[ -s "$subs" ] || python3 "$root/bench/gen_subscriptions.py" 200000 "$subs" "$rates"
[ -s "$cur" ] || awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "currency"; next }
  { n = substr($1, 2) + 0; print $0, (n % 5 == 0 ? "EUR" : n % 5 == 1 ? "JPY" : "USD") }' \
  "$data/10M.csv" > "$cur"
echo "10M rows with currencies: $cur"
measure "10M ndr-fx-constant" "$cur" "$ndr" report "$cur" --fx "$rates" --format csv
measure "10M ndr-fx-spot" "$cur" "$ndr" report "$cur" --fx "$rates" --fx-mode spot --format csv
plain=$data/10M.csv
paired "10M fx-constant/ndr" "$cur" "$ndr" report "$plain" --format csv -- \
  "$ndr" report "$cur" --fx "$rates" --format csv
paired "10M fx-spot/ndr" "$cur" "$ndr" report "$plain" --format csv -- \
  "$ndr" report "$cur" --fx "$rates" --fx-mode spot --format csv
derived=$(( $("$ndr" snapshots "$subs" --input subscriptions --as-of 2025-12-31 | wc -l) - 1 ))
echo "200k subscriptions: $subs ($derived derived snapshot rows)"
measure "200k-subs snapshots" "$subs" "$ndr" snapshots "$subs" --input subscriptions --as-of 2025-12-31
measure "200k-subs ndr-fx-constant" "$subs" "$ndr" report "$subs" --input subscriptions --as-of 2025-12-31 --fx "$rates" --format csv
# The same snapshots, read as a CSV file.
derived_csv=$data/subscriptions-200k-snapshots.csv
[ -s "$derived_csv" ] || "$ndr" snapshots "$subs" --input subscriptions --as-of 2025-12-31 -o "$derived_csv"
measure "200k-subs as-csv-fx-constant" "$derived_csv" "$ndr" report "$derived_csv" --fx "$rates" --format csv
# A segment per customer: 200,000 customers x 36 months.
per_customer=$(generate 200k-customers 200000)
measure "200k-customers segment-by-id" "$per_customer" "$ndr" report "$per_customer" --segment-by customer_id --max-segments 1000000 --format csv

echo
echo "Targets (10M rows, medians of $runs runs, unless said):"
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, n, size, wall, cpu, rss, kernel = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(cpu), int(rss), float(kernel))
failed = False
def check(name, ok, shown, target):
    global failed
    failed |= not ok
    print(f"  {'PASS' if ok else 'FAIL'}  {name:50} {shown:>12}   target {target}")
w = lambda k: rows[k][0]
mib = lambda k: rows[k][2] / 1024
rss = mib("10M ndr")
check("peak RSS of ndr report", rss <= 180, f"{rss:.0f} MiB", "<= 180 MiB")
check("kernel time of ndr report", rows["10M ndr"][3] <= 0.4, f"{rows['10M ndr'][3]:.2f} s", "<= 0.4 s")
x = rows["10M ndr/parse"]
check("wall, ndr report / parse-only read (paired)", x[0] <= 1.6, f"{x[0]:.2f}x", "<= 1.6x")
check("CPU, ndr report / parse-only read (paired)", x[1] <= 2.2, f"{x[1]:.2f}x", "<= 2.2x")
for r in ("window12", "segment-by", "movements"):
    x = w(f"10M {r}/ndr")
    check(f"{r} / ndr report (paired)", x <= 1.2, f"{x:.2f}x", "<= 1.2x")
for r in ("fx-constant", "fx-spot"):
    x = w(f"10M {r}/ndr")
    check(f"--{r} (currency column) / ndr report (paired)", x <= 1.3, f"{x:.2f}x", "<= 1.3x")
x = w("200k-subs ndr-fx-constant") / w("200k-subs as-csv-fx-constant")
check("200k subscriptions / their snapshots as CSV, time", x <= 1.2, f"{x:.2f}x", "<= 1.2x")
a, b = mib("200k-subs ndr-fx-constant"), mib("200k-subs as-csv-fx-constant")
check("200k subscriptions / their snapshots as CSV, memory", a <= b, f"{a:.0f}/{b:.0f} MiB", "<= 1x")
x = mib("200k-customers segment-by-id") / 1024
check("--segment-by customer_id, 200k x 36 months", x <= 2, f"{x:.2f} GiB", "<= 2 GiB")
if "1M postgres-ndr-sql" in rows:
    x = w("1M postgres-ndr-sql") / w("1M ndr")
    print(f"  info  {'PostgreSQL running ndr sql (table loaded) / ndr report, 1M':50} {x:>11.1f}x")
if "1M duckdb-ndr-sql" in rows:
    x = w("1M duckdb-ndr-sql") / w("1M ndr")
    print(f"  info  {'DuckDB running ndr sql (reading the CSV) / ndr report, 1M':50} {x:>11.1f}x")
if "10M duckdb-ndr-sql" in rows:
    for r, d in (("ndr", "duckdb-ndr-sql"), ("ndr-window12", "duckdb-ndr-sql-window12")):
        x = w(f"10M {d}") / w(f"10M {r}")
        print(f"  info  DuckDB / {r:44} {x:>11.1f}x")
if "100M ndr" in rows:
    x = mib("100M ndr") / 1024
    check("peak RSS of ndr report on 100M rows", x <= 1.6, f"{x:.2f} GiB", "<= 1.6 GiB")
sys.exit(1 if failed else 0)
PY
