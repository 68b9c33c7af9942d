#!/usr/bin/env bash
# Inputs that cost quadratic time in a naive reader. CTest gives each case a
# TIMEOUT that a quadratic reader cannot meet and a linear one meets with
# room to spare (tests/CMakeLists.txt); this script only checks the results.
# Usage: complexity.sh NDR_BINARY CASE
#   quoted        2,000,000 lines inside one quoted field, then ordinary rows
#   unterminated  a quote opened on line 2 and never closed, 1,000,000 lines on
#   dates         validate with 65,000 distinct snapshot dates
set -u
ndr=$1
case_name=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

fail() { echo "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }

case $case_name in
  quoted)
    awk 'BEGIN { print "customer_id,date,mrr,note"; printf "a,2024-01-31,100,\"";
                 for (i = 0; i < 2000000; i++) print "x"; print "\"";
                 print "a,2024-02-29,150,"; print "b,2024-02-29,5," }' > quoted.csv
    out=$("$ndr" report quoted.csv --format csv) || fail "report exited $?"
    want='2024-02,2024-01-31,2024-02-29,1,1,1,0,0,100.00,50.00,0.00,0.00,150.00,1.5000,1.0000,1.0000,0.00,0,5.00,1'
    [ "$(echo "$out" | tail -n 1)" = "$want" ] || fail "quoted: got $(echo "$out" | tail -n 1)"
    ;;
  unterminated)
    awk 'BEGIN { print "customer_id,date,mrr"; print "a,2024-01-31,\"100";
                 for (i = 0; i < 1000000; i++) print "b" }' > open.csv
    err=$("$ndr" report open.csv --skip-bad-rows 2>&1 >/dev/null)
    rc=$?
    want="ndr: open.csv:2: column 'mrr': unterminated quoted field: the quote that opens here is never closed"
    [ "$rc" -eq 1 ] && [ "$err" = "$want" ] || fail "unterminated: exit $rc: $err"
    ;;
  dates)
    python3 -c '
import datetime
d = datetime.date(2022, 1, 8)
print("customer_id,date,mrr")
for i in range(65000):
    print(f"c{i % 7},{d + datetime.timedelta(days=i)},1")' > dates.csv
    out=$("$ndr" validate dates.csv) || fail "validate exited $?"
    echo "$out" | grep -q '^snapshot dates  65,000, 2022-01-08 to 2199-12-25' || fail "dates: $(echo "$out" | head -n 5)"
    echo "$out" | grep -q 'daily' || fail "dates: cadence not daily"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "1 passed, 0 failed"
