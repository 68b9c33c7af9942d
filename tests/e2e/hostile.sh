#!/usr/bin/env bash
# Hostile inputs (issue 12): each file in tests/hostile/ and what ndr must
# say about it: exit status and the exact message. No input may hang ndr,
# lose a row without saying so, or merge two different ids.
# Usage: hostile.sh NDR_BINARY PROJECT_ROOT NDR_GEN
set -u
ndr=$1
root=$2
gen=$3
hostile=$root/tests/hostile
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
cp "$hostile"/* .

# An unterminated quote names the line where it opens, even with
# --skip-bad-rows (no reader can know where rows resume), in every reader.
unterminated="unterminated-quote.csv:3: column 'mrr': unterminated quoted field: the quote that opens here is never closed"
expect 1 "ndr: $unterminated" report unterminated-quote.csv
expect 1 "ndr: $unterminated" report unterminated-quote.csv --skip-bad-rows
expect 1 "ndr: subscriptions-unterminated.csv:2: column 'amount': unterminated quoted field: the quote that opens here is never closed" \
  report subscriptions-unterminated.csv --input subscriptions --skip-bad-rows
expect 1 "ndr: rates-unterminated.csv:2: column 'rate': unterminated quoted field: the quote that opens here is never closed" \
  report "$root/samples/subscriptions.csv" --input subscriptions --as-of 2025-01-31 --fx rates-unterminated.csv
# validate says the file is not ready (exit 1) and names the line.
expect_out 1 "files           unterminated-quote.csv

errors (1):
  $unterminated

result: 1 error, 0 warnings: ndr report would stop on this data" validate unterminated-quote.csv

# A NUL byte: FILE:LINE:COLUMN, never a silently truncated line; also in side files.
nul="a NUL byte: this is not a text file (UTF-16 without a byte-order mark? pass --encoding UTF-16LE)"
expect 1 "ndr: nul-byte.csv:3:2: $nul" report nul-byte.csv --skip-bad-rows
expect 1 "ndr: map-nul.csv:2:3: $nul" report "$root/samples/tiny.csv" --customer-map map-nul.csv
expect 1 "ndr: /dev/zero:1:1: $nul" report "$root/samples/tiny.csv" --fx /dev/zero

# Invalid UTF-8: FILE:LINE:COLUMN and the --encoding hint; --encoding reads it.
expect 1 "ndr: latin1.csv:2:4: byte 0xE9 is not UTF-8; if the file is in another encoding, pass it with --encoding (for example --encoding windows-1252)" \
  report latin1.csv
expect_out 0 "period,start_date,end_date,cohort_customers,retained_customers,expanded_customers,contracted_customers,churned_customers,starting_mrr,expansion_mrr,contraction_mrr,churned_mrr,ending_mrr,ndr,grr,logo_retention,reactivation_mrr,reactivated_customers,new_mrr,new_customers
2024-02,2024-01-31,2024-02-29,1,1,1,0,0,100.00,10.00,0.00,0.00,110.00,1.1000,1.0000,1.0000,0.00,0,0.00,0" \
  report latin1.csv --encoding latin1 --format csv
expect 2 "ndr: --encoding 'klingon' is not an encoding iconv knows (for example windows-1252, latin1, UTF-16LE; 'iconv -l' lists them)" \
  report latin1.csv --encoding klingon
# Two ids that differ only in a byte that is not UTF-8 stay two segments in
# every format (JSON once merged them into one U+FFFD key).
"$ndr" report latin1-segments.csv --encoding windows-1252 --segment-by plan --format json > seg.json
check "latin1 segments: two distinct JSON keys" [ "$(grep -c '"segment": "pro' seg.json)" -eq 2 ]
check "latin1 segments: decoded to UTF-8" grep -q $'"segment": "pro\xc3\xa9"' seg.json
"$ndr" movements latin1-segments.csv --encoding windows-1252 --at 2024-02 --format csv > ledger.csv
check "latin1 customers: two distinct ids" [ "$(cut -d, -f1 ledger.csv | sort -u | wc -l)" -eq 3 ]

# UTF-16 with a byte-order mark is decoded: the same report as its UTF-8 text.
iconv -f UTF-16 -t UTF-8 utf16-bom.csv > utf8.csv
"$ndr" report utf8.csv --format csv > want.csv
"$ndr" report utf16-bom.csv --format csv > got.csv
check "UTF-16 (BOM) reads as its UTF-8 text" cmp -s want.csv got.csv
check "UTF-16 report has its row" [ "$(wc -l < got.csv)" -eq 2 ]

# The same file twice (same device and inode, or - twice).
expect 2 "ndr: 'bom-crlf.csv' and './bom-crlf.csv' are the same file; give each file once (its rows would be counted twice)" \
  report bom-crlf.csv ./bom-crlf.csv
ln -s bom-crlf.csv link.csv
expect 2 "ndr: 'bom-crlf.csv' and 'link.csv' are the same file; give each file once (its rows would be counted twice)" \
  validate bom-crlf.csv link.csv
expect 2 "ndr: '-' and '-' are the same file; give each file once (its rows would be counted twice)" \
  report - - < bom-crlf.csv

# 1.500 in a ;-separated file: asked, never read as 1.50 silently.
expect 1 "ndr: semicolon-thousands.csv:2: column 'mrr': '1.500' in a ;-separated file: is the point a decimal point or a thousands separator? Pass --decimal-point or --decimal-comma" \
  report semicolon-thousands.csv --delimiter auto --skip-bad-rows
"$ndr" report semicolon-thousands.csv --delimiter ';' --decimal-comma --format csv > comma.csv
check "--decimal-comma reads 1.500 as 1500" grep -q '^2024-02,2024-01-31,2024-02-29,2,1,1,0,1,1502.00,100.00,0.00,2.00,1600.00,1.0652,0.9987,0.5000,' comma.csv
"$ndr" report semicolon-thousands.csv --delimiter ';' --decimal-point --format csv > point.csv
check "--decimal-point reads 1.500 as 1.5" grep -q '^2024-02,2024-01-31,2024-02-29,2,1,1,0,1,3.50,0.10,0.00,2.00,1.60,0.4571,0.4286,0.5000,' point.csv
expect 2 "ndr: --decimal-comma and --decimal-point contradict each other; give one" \
  report semicolon-thousands.csv --decimal-comma --decimal-point

# Dates far from all others: an error naming the line; validate lists it
# with one gap line, not one per missing month; --allow-date-range accepts.
expect 1 "ndr: outlier-0001.csv:3: column 'date': 0001-01-01 is more than 10 years from the rest of the data (which runs from 2024-01-31 to 2024-02-29): a typo? --allow-date-range accepts it" \
  report outlier-0001.csv
expect 1 "ndr: outlier-9999.csv:4: column 'date': 9999-12-31 is more than 10 years from the rest of the data (which runs from 2024-01-31 to 2024-02-29): a typo? --allow-date-range accepts it" \
  report outlier-9999.csv
"$ndr" validate outlier-9999.csv > v.txt
check "validate exits 1 on an outlier date" [ $? -eq 1 ]
check "validate lists the outlier date" grep -q "outlier-9999.csv:4: column 'date': 9999-12-31 is more than 10 years" v.txt
check "validate: one gap line for the whole run" [ "$(grep -c 'no snapshot date' v.txt)" -eq 1 ]
check "validate: the run is named" grep -q "no snapshot date from 2024-03 to 9999-11 (95709 periods)" v.txt
"$ndr" report outlier-9999.csv --allow-date-range --format csv > allowed.csv
check "--allow-date-range reads the far date" [ $? -eq 0 ]
check "--allow-date-range report row" grep -q '^2024-02,2024-01-31,2024-02-29,1,1,1,0,0,100.00,10.00,' allowed.csv

# Row width errors name the column.
expect 1 "ndr: too-many-fields.csv:2: column 'mrr': the row has 4 fields, the header only 3 (a value with an unquoted delimiter?)" \
  report too-many-fields.csv
expect 1 "ndr: missing-field.csv:2: column 'mrr': missing field (the row has 2 fields, the header 3)" \
  report missing-field.csv

# -q hides success noise only: skipped rows still get one line, and the
# json metadata says how many and where.
printf 'customer_id,date,mrr\na,2024-01-31,100\nb,2024-01-31,x\na,2024-02-29,90\nc,bad,1\n' > skip.csv
expect 0 "ndr: warning: skipped 2 bad rows (skip.csv:3, skip.csv:5); run without -q for the reasons" \
  report skip.csv --skip-bad-rows -q
"$ndr" report skip.csv --skip-bad-rows -q --format json > skip.json 2>/dev/null
check "json metadata: skipped_rows" grep -q '"skipped_rows": 2' skip.json
check "json metadata: skipped_first" grep -q '"skipped_first": \["skip.csv:3", "skip.csv:5"\]' skip.json
"$ndr" report bom-crlf.csv --format json > clean.json
check "json metadata: no skipped keys without skipped rows" bash -c "! grep -q skipped clean.json"

# --max-segments: a clear error naming the column and its count.
{ echo "customer_id,date,mrr"; for i in $(seq 1 30); do echo "c$i,2024-01-31,1"; echo "c$i,2024-02-29,1"; done; } > many.csv
expect 1 "ndr: --segment-by customer_id: 30 distinct values, more than --max-segments 20; segment by a column with fewer values, or raise --max-segments" \
  report many.csv --segment-by customer_id --max-segments 20
"$ndr" report many.csv --segment-by customer_id --max-segments 30 --format csv > segs.csv
check "--max-segments 30 allows 30 segments" [ "$(wc -l < segs.csv)" -eq 32 ]

# Out of memory: a clear message, exit 1, and no output (the old file stays).
# (Not under AddressSanitizer, which reserves terabytes of address space.)
if ! grep -q __asan_init "$ndr"; then
  "$gen" --customers 20000 --months 36 -o big.csv
  printf 'old report\n' > kept.csv
  err=$( (ulimit -v 150000; "$ndr" report big.csv --segment-by customer_id --max-segments 100000 -o kept.csv) 2>&1)
  rc=$?
  check "out of memory exits 1" [ "$rc" -eq 1 ]
  check "out of memory says so" [ "$err" = "ndr: out of memory (the data set needs more than this machine has: fewer segments, or a smaller input); nothing was written" ]
  check "out of memory leaves the old file" [ "$(cat kept.csv)" = "old report" ]
  check "out of memory leaves no temporary" [ -z "$(find . -name '.kept.csv.ndr-*')" ]
fi

# Crafted ids cannot drive the terminal or break a Markdown table.
"$ndr" movements escape-ids.csv --at 2024-02 > ledger.txt
check "table: no raw ESC byte" bash -c "! grep -q $'\x1b' ledger.txt"
check "table: ESC shown as \\x1b" grep -q '\\x1b\[31mred\\x1b\[0m' ledger.txt
"$ndr" movements escape-ids.csv --at 2024-02 --format markdown > ledger.md
check "markdown: | and backtick escaped, < as &lt;" grep -q 'a\\|b\\`&lt;x>' ledger.md

summary
