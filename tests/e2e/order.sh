#!/usr/bin/env bash
# The order of the rows never changes a number: ndr-gen's data grouped by
# date, by customer and shuffled give byte-identical reports, ledgers and
# triangles. Usage: order.sh NDR_BINARY PROJECT_ROOT NDR_GEN
set -u
ndr=$1
gen=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 passed=0
for order in date customer shuffled; do
  "$gen" --customers 3000 --months 30 --seed 7 --order "$order" -o "$tmp/$order.csv" || exit 1
done
if [ "$(wc -l < "$tmp/date.csv")" -lt 20000 ]; then echo "FAIL: the generator made too few rows"; exit 1; fi
run() {  # run NAME ARGS... (the file goes first)
  local name=$1
  shift
  for order in date customer shuffled; do
    "$ndr" "$1" "$tmp/$order.csv" "${@:2}" --format csv > "$tmp/$name.$order" 2>&1
  done
  if cmp -s "$tmp/$name.date" "$tmp/$name.customer" && cmp -s "$tmp/$name.date" "$tmp/$name.shuffled" &&
     [ "$(wc -l < "$tmp/$name.date")" -gt 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL: $name differs between row orders"
  fi
}
run monthly report
run ttm report --window 12 --reactivation include
run quarterly report --period quarter --fiscal-year-start 4
run segments report --segment-by plan --segment-by region
run ledger movements --at 2024-06 --segment-by plan
run cohorts cohorts --period quarter
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
