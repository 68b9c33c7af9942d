#!/usr/bin/env bash
# Exit statuses 0/1/2/3 and the exact one-line messages of the built binary.
# Usage: errors.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
h='customer_id,date,mrr'
csv_header='period,start_date,end_date,cohort_customers,retained_customers,expanded_customers,contracted_customers,churned_customers,starting_mrr,expansion_mrr,contraction_mrr,churned_mrr,ending_mrr,ndr,grr,logo_retention,reactivation_mrr,reactivated_customers,new_mrr,new_customers'
ok_row='2024-02,2024-01-31,2024-02-29,1,1,0,1,0,100.00,0.00,10.00,0.00,90.00,0.9000,0.9000,1.0000,0.00,0,0.00,0'
printf '%s\na,2024-01-31,100\na,2024-02-29,90\n' "$h" > ok.csv
printf '%s\na,2024-01-31,100\nb,2024-01-31,1.5.0\n' "$h" > bad-amount.csv
printf '%s\na,2024-01-31,100\na,2024-13-31,1\n' "$h" > bad-date.csv
printf 'customer,date,amount\na,2024-01-31,1\na,2024-02-29,1\n' > renamed.csv
printf '%s\n' "$h" > header-only.csv
: > empty.csv
printf '%s\na,2024-01-31,5\na,2024-01-31,-6\n' "$h" > negative.csv
printf '%s\n,2024-01-31,5\n' "$h" > no-id.csv

# 0: success, and the empty report (header alone, a warning, exit 0).
expect 0 "" report ok.csv
expect 0 "ndr: warning: the report is empty: no quarter has a snapshot date both in it and 1 quarter before it" \
  report "$root/samples/tiny.csv" --period quarter
expect 0 "ndr: warning: the report is empty: no month has a snapshot date both in it and 3 months before it" \
  report "$root/samples/tiny.csv" --window 3
expect 0 "ndr: warning: the report is empty: no month has a snapshot date both in it and 1 month before it within --from/--to" \
  report "$root/samples/tiny.csv" --from 2025-01

# 1: input and data errors name the place.
expect 1 "ndr: bad-amount.csv:3: column 'mrr': invalid amount '1.5.0': not a number (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and --locale de reads a German export at once: ; 1.234,50 31.01.2024)" report bad-amount.csv
expect 1 "ndr: bad-date.csv:3: column 'date': invalid date '2024-13-31': expected YYYY-MM-DD, YYYY-MM or a date-time (--date-format reads other layouts, e.g. %d/%m/%Y)" report ok.csv bad-date.csv
expect 1 "ndr: renamed.csv:1: missing column 'customer_id' (the header has: customer, date, amount); if 'customer' is the column, add --customer-col customer" \
  report renamed.csv
expect 1 "ndr: header-only.csv: no data rows" report header-only.csv
expect 1 "ndr: no data rows in header-only.csv, empty.csv" report header-only.csv empty.csv
expect 1 "ndr: negative.csv:2: column 'mrr': customer 'a' has a negative total MRR (-1.00) on 2024-01-31" report negative.csv
expect 1 "ndr: no-id.csv:2: column 'customer_id': empty customer id" report no-id.csv
# The same from a FIFO and a pipe, which cannot be read twice: a failed sum
# still names its row (a regular file is summed without row positions first,
# and read again with them only for the error).
mkfifo negative.fifo
(cat negative.csv >negative.fifo &)
expect 1 "ndr: negative.fifo:2: column 'mrr': customer 'a' has a negative total MRR (-1.00) on 2024-01-31" report negative.fifo
got=$("$ndr" report - <negative.csv 2>&1 >/dev/null)
check "negative total from standard input" [ "$got" = "ndr: <stdin>:2: column 'mrr': customer 'a' has a negative total MRR (-1.00) on 2024-01-31" ]
expect 1 "ndr: missing.csv: cannot open: No such file or directory" report missing.csv
expect 0 "" report renamed.csv --customer-col customer --mrr-col amount

# --skip-bad-rows reports each skipped row and goes on.
expect 0 "ndr: warning: skipped bad-amount.csv:3: column 'mrr': invalid amount '1.5.0': not a number (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and --locale de reads a German export at once: ; 1.234,50 31.01.2024)
ndr: warning: skipped 1 bad row in all" \
  report bad-amount.csv ok.csv --skip-bad-rows
{ echo "$h"; for i in $(seq 1 25); do echo "c$i,2024-01-31,x"; done; echo "a,2024-01-31,1"; echo "a,2024-02-29,1"; } > many-bad.csv
got=$("$ndr" report many-bad.csv --skip-bad-rows 2>&1 >/dev/null)
if [ "$(printf '%s\n' "$got" | wc -l)" -eq 21 ] &&
   [ "$(printf '%s\n' "$got" | tail -n 1)" = "ndr: warning: skipped 5 more bad rows (25 in all)" ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); printf 'FAIL: --skip-bad-rows summary\n%s\n' "$got"
fi

# 2: usage errors, CLI11's included.
expect 2 "ndr: --period: week not in {month,quarter,year} (see 'ndr report --help')" report ok.csv --period week
expect 2 "ndr: --window: Value 0 not in range 1 to 100000 (see 'ndr report --help')" report ok.csv --window 0
expect 2 "ndr: --fiscal-year-start: Value 13 not in range 1 to 12 (see 'ndr report --help')" report ok.csv --fiscal-year-start 13
expect 2 "ndr: files is required, or --db URL --table T (see 'ndr report --help')" report
expect 2 "ndr: The following argument was not expected: --bogus (see 'ndr report --help')" report ok.csv --bogus
# An unknown subcommand or option names the closest one.
expect 2 "ndr: 'reprot' is not an ndr command; did you mean 'report'? (see 'ndr --help')" reprot ok.csv
expect 2 "ndr: 'frobnicate' is not an ndr command (see 'ndr --help')" frobnicate
expect 2 "ndr: The following argument was not expected: --windw; did you mean '--window'? (see 'ndr report --help')" \
  report ok.csv --windw 3
expect 2 "ndr: The following arguments were not expected: --perod --wndow; did you mean '--window' for '--wndow', '--period' for '--perod'? (see 'ndr report --help')" \
  report ok.csv --wndow 3 --perod month
expect 2 "ndr: A subcommand is required (see 'ndr --help')" 
expect 2 "ndr: --format 'xml' is not one of table, csv, json, markdown, html, xlsx" report ok.csv --format xml
expect 2 "ndr: --delimiter ':' is not one of , ; | tab auto" report ok.csv --delimiter :
expect 2 "ndr: --from '2024-Q1' is not a period label of this report (a month such as 2024-03)" report ok.csv --from 2024-Q1
expect 2 "ndr: --from 2024-05 is after --to 2024-02" report ok.csv --from 2024-05 --to 2024-02
expect 2 "ndr: --min-ndr '95': a fraction above 10 is surely a percentage without '%'; write a fraction (0.95) or a percentage (95%)" \
  report ok.csv --min-ndr 95
expect 2 "ndr: --min-grr 'lots': not a number; write a fraction (0.95) or a percentage (95%)" report ok.csv --min-grr lots

# Input forms: gzip, auto delimiter, decimal comma; currencies.
tr ',' '|' < ok.csv > pipes-auto.csv
gzip -c ok.csv > ok.csv.gz
expect_out 0 "$csv_header
$ok_row" report ok.csv.gz --format csv
gzip -c < ok.csv | expect_out 0 "$csv_header
$ok_row" report - --format csv
python3 -c "import random,sys; r=random.Random(1); sys.stdout.write('customer_id,date,mrr\\n' + ''.join(f'c{i},2024-0{m}-28,{r.randrange(1,999)}\\n' for m in (1,2) for i in range(20000)))" | gzip -c | head -c 30000 > cut.csv.gz
expect 1 "ndr: cut.csv.gz: cannot decompress (unexpected end of file); is the file complete?" report cut.csv.gz
expect_out 0 "$csv_header
$ok_row" report pipes-auto.csv --format csv --delimiter auto
printf 'customer_id;date;mrr\na;2024-01-31;"1.000,00"\na;2024-02-29;900\n' > comma.csv
expect_out 0 "$csv_header
2024-02,2024-01-31,2024-02-29,1,1,0,1,0,1000.00,0.00,100.00,0.00,900.00,0.9000,0.9000,1.0000,0.00,0,0.00,0" \
  report comma.csv --format csv --delimiter auto --decimal-comma
printf '%s\na,2024-01-31,$5\nb,2024-01-31,\xe2\x82\xac5\n' "$h" > mixed.csv
expect 1 "ndr: mixed.csv:3: column 'mrr': mixed currencies: '€' here, '\$' at mixed.csv:2; convert to one first" report mixed.csv

# --config FILE and -q.
printf '# nightly\nfiles = ["ok.csv"]\nformat = "csv"\nmin-ndr = "0.5"\n' > job.toml
expect_out 0 "$csv_header
$ok_row" report --config job.toml
expect_out 0 "Period   Customers  Starting MRR  Expansion  Contraction  Churned MRR  Ending MRR    NDR    GRR  Logo ret.
-------  ---------  ------------  ---------  -----------  -----------  ----------  -----  -----  ---------
2024-02          1        100.00       0.00        10.00         0.00       90.00  90.0%  90.0%     100.0%

2024-01 is the data's first month: its 1 customer (100.00 MRR on 2024-01-31) is new; no row counts it as new." \
  report --config job.toml --format table
printf 'wndow = 2\n' > typo.toml
expect 2 "ndr: typo.toml:1: 'wndow' is not an option of 'ndr report'; did you mean 'window'?" \
  report ok.csv --config typo.toml
# A key given twice is an error, also twice in a row (CLI11's reader would make a list of the two).
printf 'window = 2\nformat = "csv"\nwindow = 3\n' > dup.toml
expect 2 "ndr: dup.toml:3: duplicate key 'window' (first on line 1)" report ok.csv --config dup.toml
printf '[report]\nwindow = 2\nwindow = 2\n' > dup-table.toml
expect 2 "ndr: dup-table.toml:3: duplicate key 'report.window' (first on line 2)" report ok.csv --config dup-table.toml
# A list may span lines, with comments (CLI11 alone would read "# again" as a file).
cp ok.csv ok-copy.csv  # the same file twice would be refused
printf 'files = ["ok.csv", # the export\n  "ok-copy.csv" # again\n]\nformat = "csv"\n' > list.toml
expect_out 0 "$csv_header
2024-02,2024-01-31,2024-02-29,1,1,0,1,0,200.00,0.00,20.00,0.00,180.00,0.9000,0.9000,1.0000,0.00,0,0.00,0" report --config list.toml
printf '[reprot]\nwindow = 2\n' > table-typo.toml
expect 2 "ndr: table-typo.toml:1: unknown table [reprot]; did you mean [report]?" report ok.csv --config table-typo.toml
head -c 70000 /dev/zero | tr '\0' '#' > huge.toml
expect 2 "ndr: huge.toml: a config file is at most 64 KiB; this one is larger" report ok.csv --config huge.toml
# A [report] table is for report only and overrides the top level; other subcommands' tables are
# skipped: one file serves report, cohorts and movements as their command lines would.
printf 'files = ["%s"]\nformat = "csv"\nperiod = "month"\n[report]\nperiod = "quarter"\nwindow = 4\nmin-ndr = "50%%"\n[cohorts]\nlogos = true\n[movements]\nat = "2025-03"\n' \
  "$root/samples/realistic.csv" > shared.toml
same_output() {  # same_output CONFIG_ARGS -- COMMAND_LINE_ARGS: both succeed and print the same
  local a=() b=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  if "$ndr" "${a[@]}" > a.out 2>&1 && "$ndr" "${b[@]}" > b.out 2>&1 && [ -s a.out ] && cmp -s a.out b.out; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); printf 'FAIL: ndr %s differs from ndr %s\n' "${a[*]}" "${b[*]}"; head -n 3 a.out b.out
  fi
}
same_output report --config shared.toml -- report "$root/samples/realistic.csv" --format csv --period quarter --window 4 --min-ndr 50%
same_output cohorts --config shared.toml -- cohorts "$root/samples/realistic.csv" --format csv --period month --logos
same_output movements --config shared.toml -- movements "$root/samples/realistic.csv" --format csv --at 2025-03
# A repeatable option in the table replaces the top level's, it does not add to it.
printf 'files = ["%s"]\nsegment-by = "plan"\nformat = "csv"\n[report]\nfiles = ["%s"]\nsegment-by = "region"\n' \
  "$root/samples/tiny.csv" "$root/samples/realistic.csv" > override.toml
same_output report --config override.toml -- report "$root/samples/realistic.csv" --segment-by region --format csv
expect 2 "ndr: none.toml was not readable (missing?)" report ok.csv --config none.toml
expect 0 "" report "$root/samples/tiny.csv" --period quarter -q
# -q hides success noise only: a skipped row still gets one line.
expect 0 "ndr: warning: skipped 1 bad row (bad-amount.csv:3); run without -q for the reasons" \
  report bad-amount.csv ok.csv --skip-bad-rows --quiet

# validate: 1 on anything that would stop report, warnings 1 only with --strict.
expect_status() {  # expect_status STATUS ARGS...
  local status=$1
  shift
  "$ndr" "$@" >/dev/null 2>&1
  local rc=$?
  if [ "$rc" -eq "$status" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); printf 'FAIL: ndr %s: exit %s, want %s\n' "$*" "$rc" "$status"; fi
}
expect_status 0 validate ok.csv
expect_status 0 validate ok.csv --strict
expect_status 0 validate "$root/samples/fiscal.csv"
expect_status 1 validate "$root/samples/fiscal.csv" --strict
expect_status 1 validate "$root/samples/messy.csv"
expect_status 1 validate bad-amount.csv
expect_status 1 validate negative.csv
expect_status 1 validate renamed.csv
expect_status 1 validate header-only.csv
expect_status 1 validate missing.csv
expect_status 2 validate ok.csv --format table
expect_out 1 "files           renamed.csv

errors (1):
  renamed.csv:1: missing column 'customer_id' (the header has: customer, date, amount); if 'customer' is the column, add --customer-col customer

result: 1 error, 0 warnings: ndr report would stop on this data" validate renamed.csv

# --segment-by takes one column, so files may follow it.
expect_status 0 report --segment-by plan "$root/samples/realistic.csv"
expect_status 0 report --segment-by=plan "$root/samples/realistic.csv" --segment-by region
printf 'segment-by = ["plan", "region"]\n' > seg.toml
expect_status 0 report --config seg.toml "$root/samples/realistic.csv"
# validate honours --skip-bad-rows (bad rows become warnings) and warns on a single date.
expect_status 1 validate bad-amount.csv ok.csv
expect_status 0 validate bad-amount.csv ok.csv --skip-bad-rows
expect_status 1 validate bad-amount.csv ok.csv --skip-bad-rows --strict
printf '%s\na,2024-01-31,1\n' "$h" > one-date.csv
expect_status 0 validate one-date.csv
expect_status 1 validate one-date.csv --strict

# html: report only; -o .html picks it; the bytes do not change between runs.
expect 2 "ndr: --format html is for ndr report only" movements ok.csv --at 2024-02 --format html
expect 2 "ndr: --format html is for ndr report only" cohorts ok.csv --format html
"$ndr" report ok.csv -o page.html && "$ndr" report ok.csv --format html > page2.html
if grep -q '<svg id="chart-retention"' page.html && cmp -s page.html page2.html; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: -o page.html"; fi

# movements and cohorts.
expect 2 "ndr: --at is required (see 'ndr movements --help')" movements ok.csv
expect 2 "ndr: --at '2024-Q1' is not a period label of this report (a month such as 2024-03)" movements ok.csv --at 2024-Q1
expect 1 "ndr: no report row for 2024-01: it needs a snapshot date in 2024-01 and in 2023-12; the snapshot dates run from 2024-01-31 to 2024-02-29" movements ok.csv --at 2024-01
expect 1 "ndr: no report row for 2024-02: it needs a snapshot date in 2024-02 and in 2023-11; the snapshot dates run from 2024-01-31 to 2024-02-29" movements ok.csv --at 2024-02 --window 3
expect_out 0 "customer_id,start_mrr,end_mrr,movement,delta
a,100.00,90.00,contraction,-10.00" movements ok.csv --at 2024-02 --format csv
expect 1 "ndr: ok.csv:1: missing column 'plan' (the header has: customer_id, date, mrr); name the column to use with --segment-by" \
  report ok.csv --segment-by plan
expect_out 0 "cohort,age,customers,starting_mrr,mrr,revenue_retention,logo_retention
2024-01,0,1,100.00,100.00,1.0000,1.0000
2024-01,1,1,100.00,90.00,0.9000,1.0000" cohorts ok.csv --format csv
expect 2 "ndr: The following argument was not expected: --window (see 'ndr cohorts --help')" cohorts ok.csv --window 2

# 3: floors, checked on the latest row.
expect 0 "" report ok.csv --min-ndr 0.9 --min-grr 90% --min-logo-retention 1
expect 3 "ndr: 2024-02 NDR 0.9000 (90.0%) is below the floor --min-ndr 0.9001" report ok.csv --min-ndr 0.9001
expect 3 "ndr: 2024-02 GRR 0.9000 (90.0%) is below the floor --min-grr 95%" report ok.csv --min-grr 95%
expect 3 "ndr: 2024-03 NDR 0.9381 (93.8%) is below the floor --min-ndr 95%
ndr: 2024-03 logo retention 0.7500 (75.0%) is below the floor --min-logo-retention 0.8" \
  report "$root/samples/tiny.csv" --min-ndr 95% --min-grr 0.9 --min-logo-retention 0.8
expect 0 "" report "$root/samples/tiny.csv" --to 2024-02 --min-ndr 105%
printf '%s\na,2024-01-31,100000\na,2024-02-29,100996\n' "$h" > near.csv
expect 3 "ndr: 2024-02 NDR 1.00996 (101.0%) is below the floor --min-ndr 1.01" report near.csv --min-ndr 1.01
expect 3 "ndr: 2024-02 NDR 1.0100 (101.0%) is below the floor --min-ndr 101.5%" report near.csv --min-ndr 101.5%
expect 2 "ndr: --from 'FY2025x' is not a period label of this report (a year such as FY2024)" report ok.csv --period year --fiscal-year-start 4 --from FY2025x
# With segments the floor is checked on the (all) row, not the last segment's.
printf 'customer_id,date,mrr,plan\na,2024-01-31,100,x\nb,2024-01-31,100,y\na,2024-02-29,50,x\nb,2024-02-29,200,y\n' > seg.csv
expect 0 "" report seg.csv --segment-by plan --min-ndr 1.25
expect 3 "ndr: 2024-02 NDR 1.2500 (125.0%) is below the floor --min-ndr 1.26" report seg.csv --segment-by plan --min-ndr 1.26
expect 3 "ndr: warning: the report is empty: no quarter has a snapshot date both in it and 1 quarter before it
ndr: the report has no row, so --min-ndr, --min-grr cannot be checked" \
  report "$root/samples/tiny.csv" --period quarter --min-ndr 0.5 --min-grr 0.5 --format csv
# The report is still written before a floor fails.
"$ndr" report ok.csv --min-ndr 2 -o gated.csv 2>/dev/null
if [ $? -eq 3 ] && [ "$(wc -l < gated.csv)" -eq 2 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: report written before exit 3"; fi

expect_out 0 "$csv_header" report "$root/samples/tiny.csv" --period quarter --format csv
expect_out 0 "$csv_header
$ok_row" report - --format csv < ok.csv
tr ',' ';' < ok.csv > semi.csv
tr ',' '\t' < ok.csv > tabs.tsv
tr ',' '|' < ok.csv > pipes.csv
expect_out 0 "$csv_header
$ok_row" report semi.csv --format csv --delimiter ';'
expect_out 0 "$csv_header
$ok_row" report tabs.tsv --format csv --delimiter tab
expect_out 0 "$csv_header
$ok_row" report pipes.csv --format csv --delimiter '|'
printf '\xef\xbb\xbfCustomer_ID,Date,MRR\r\n"a",2024-01,"$1,000.00"\r\n"a",2024-02-29T00:00:00Z,(5)\r\na,2024-02-29,1005' > excel.csv
expect_out 0 "$csv_header
2024-02,2024-01-31,2024-02-29,1,1,0,0,0,1000.00,0.00,0.00,0.00,1000.00,1.0000,1.0000,1.0000,0.00,0,0.00,0" \
  report excel.csv --format csv
printf '%s\na,2024-01-31,0\na,2024-02-29,5\n' "$h" > empty-cohort.csv
expect_out 0 "Period   Customers  Starting MRR  Expansion  Contraction  Churned MRR  Ending MRR  NDR  GRR  Logo ret.
-------  ---------  ------------  ---------  -----------  -----------  ----------  ---  ---  ---------
2024-02          0          0.00       0.00         0.00         0.00        0.00    —    —          —" \
  report empty-cohort.csv
first=$("$ndr" report "$root/samples/realistic.csv" --format json | cksum)
second=$("$ndr" report "$root/samples/realistic.csv" --format json | cksum)
if [ "$first" = "$second" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: same input, different bytes"; fi

# Help and version exit 0 on standard output.
# Subscriptions, currencies and hierarchies (docs/inputs.md).
sh='customer_id,start_date,end_date,amount,currency,status'
printf '%s\na,2024-01-01,,100,USD,active\nb,2024-01-01,,90,EUR,active\n' "$sh" > two-currencies.csv
printf '%s\na,2024-01-01,,100,USD,active\nb,2024-01-01,2024-03-01,90,,active\n' "$sh" > usd.csv
printf '%s\na,2024-01-01,,100,,active\nb,2024-01-01,,x,,active\n' "$sh" > bad-sub.csv
printf 'date,currency,rate\n2024-02-01,EUR,1.1\n' > late-rates.csv
printf 'customer_id,parent_id\na,b\nb,a\n' > cycle.csv
printf '%s\na,2024-01-31,100,EUR\na,2024-02-29,100,EUR\n' "$h,currency" > eur-snapshots.csv
expect 1 "ndr: amounts in USD (two-currencies.csv:2) and EUR (two-currencies.csv:3); convert them with --fx RATES.csv (date,currency,rate)" \
  report two-currencies.csv --input subscriptions --as-of 2024-02-29
expect 1 "ndr: late-rates.csv: no EUR rate on or before 2024-01-31, the first date that needs one" \
  report two-currencies.csv --input subscriptions --as-of 2024-02-29 --fx late-rates.csv
expect 1 "ndr: amounts in EUR (eur-snapshots.csv:2), but the reporting currency is USD; convert them with --fx RATES.csv (date,currency,rate)" \
  report eur-snapshots.csv --currency usd
expect 0 "" report eur-snapshots.csv
expect 1 "ndr: cycle.csv: customer map has a cycle: a → b → a" report ok.csv --customer-map cycle.csv
expect 1 "ndr: bad-sub.csv:3: column 'amount': invalid amount 'x': not a number (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and --locale de reads a German export at once: ; 1.234,50 31.01.2024)" \
  report bad-sub.csv --input subscriptions
expect 0 "ndr: warning: skipped bad-sub.csv:3: column 'amount': invalid amount 'x': not a number (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and --locale de reads a German export at once: ; 1.234,50 31.01.2024)
ndr: warning: skipped 1 bad row in all" snapshots bad-sub.csv --input subscriptions --skip-bad-rows --as-of 2024-01-31
expect 2 "ndr: --as-of is for subscription input; add --input subscriptions (or a --preset)" \
  report ok.csv --as-of 2024-01-31
expect 2 "ndr: ndr snapshots derives snapshots from subscriptions; add --input subscriptions or a --preset" \
  snapshots ok.csv
expect 2 "ndr: --preset 'recurly' is not one of mrr-playbook, stripe, stripe-api, chargebee (see ndr presets)" \
  report ok.csv --preset recurly
expect 2 "ndr: --currency 'dollars' is not a three-letter currency code like USD" \
  report usd.csv --input subscriptions --currency dollars
printf 'customer_id,start_date,end_date,amount\na,2024-01-01,,5\n' > no-status.csv
expect 1 "ndr: no-status.csv:1: --exclude-status needs a status column, and the header has no 'status' (name it with --status-col)" \
  report no-status.csv --input subscriptions --exclude-status trialing
expect 1 "ndr: usd.csv:1: missing column 'Stat' (the header has: customer_id, start_date, end_date, amount, currency, status); if 'status' is the column, add --status-col status" \
  report usd.csv --input subscriptions --exclude-status trialing --status-col Stat
expect_out 0 "customer_id,date,mrr,currency,source
a,2024-01-31,100.000000,USD,usd.csv:2
b,2024-01-31,90.000000,,usd.csv:3
a,2024-02-29,100.000000,USD,usd.csv:2
b,2024-02-29,90.000000,,usd.csv:3" snapshots usd.csv --input subscriptions --as-of 2024-02-29

printf 'customer_id,start_date,end_date,amount\na,2024-01-01,,100\na,2024-01-01,,-150\n' > neg-sub.csv
expect 1 "ndr: neg-sub.csv:2: column 'amount': customer 'a' has a negative total MRR (-50.00) on 2024-01-31" \
  report neg-sub.csv --input subscriptions --as-of 2024-02-29
# A file is derived twice for that error (the subscriptions are given back
# before the sums): a skipped row is still reported once. Standard input is
# derived once and kept, with the same message.
printf 'b,2024-01-01,,x\n' | cat neg-sub.csv - > neg-sub-bad.csv
expect 1 "ndr: warning: skipped neg-sub-bad.csv:4: column 'amount': invalid amount 'x': not a number (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and --locale de reads a German export at once: ; 1.234,50 31.01.2024)
ndr: neg-sub-bad.csv:2: column 'amount': customer 'a' has a negative total MRR (-50.00) on 2024-01-31" \
  report neg-sub-bad.csv --input subscriptions --as-of 2024-02-29 --skip-bad-rows
got=$("$ndr" report - --input subscriptions --as-of 2024-02-29 <neg-sub.csv 2>&1 >/dev/null)
check "negative subscription total from standard input" \
  [ "$got" = "ndr: <stdin>:2: column 'amount': customer 'a' has a negative total MRR (-50.00) on 2024-01-31" ]
printf 'customer_id,start_date,end_date,amount\na,2024-01-01,9999-12-31,5\n' > far.csv
expect 1 "ndr: far.csv:2: column 'end_date': 9999-12-31 is more than 10 years from the rest of the data (which runs from 2024-01-01 to 2024-01-01): a typo? --allow-date-range accepts it (an open subscription's end date is left empty)" \
  report far.csv --input subscriptions
expect 1 "ndr: far.csv:2: more than 65,535 snapshot dates from 2024-01-01 to 9999-12-31; is a date wrong? (an open subscription's end date is left empty)" \
  report far.csv --input subscriptions --allow-date-range
printf 'customer_id,start_date,end_date,amount\na,2024-01-15,,100\n' > early.csv
expect 1 "ndr: no snapshot date: no month end from the first start 2024-01-15 to 2024-01-15 (the latest date in the input; set a later --as-of)" \
  report early.csv --input subscriptions
printf 'customer_id,start_date,end_date,amount,source\na,2024-01-01,,5,web\n' > with-source.csv
expect 1 "ndr: with-source.csv:1: --segment-by source: the derived snapshots have a column 'source' of their own; segment by another column" \
  report with-source.csv --input subscriptions --segment-by source
expect 2 "ndr: --date-col and --mrr-col are for snapshot input; subscriptions name their columns with --start-col, --end-col and --amount-col" \
  report usd.csv --input subscriptions --date-col start_date
printf '%s\na,2024-01-31,100,\na,2024-01-31,-10,USD\na,2024-02-29,100,\na,2024-02-29,-10,usd\n' "$h,currency" > blank-and-usd.csv
expect_out 0 "$csv_header
2024-02,2024-01-31,2024-02-29,1,1,0,0,0,90.00,0.00,0.00,0.00,90.00,1.0000,1.0000,1.0000,0.00,0,0.00,0" \
  report blank-and-usd.csv --format csv

if "$ndr" --version | grep -q '^ndr [0-9]' && "$ndr" report --help | grep -q -- '--min-ndr'; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: --help/--version"; fi

# ndr sql: what SQL cannot express is refused, saying why (docs/sql.md).
expect 2 "ndr: ndr sql does not take --fx: currencies are converted by ndr report only; give the table in one currency (docs/sql.md)" \
  sql --dialect postgres --table t --fx rates.csv
expect 2 "ndr: ndr sql takes one --segment-by column (ndr report combines several; combine them into one column in a view)" \
  sql --dialect postgres --table t --segment-by plan --segment-by region
expect 2 "ndr: --order-col breaks ties between a customer's rows for --segment-by; add --segment-by COLUMN" \
  sql --dialect postgres --table t --order-col line
expect 2 "ndr: --dialect: mysql not in {postgres,duckdb,clickhouse,bigquery,snowflake,spark,trino} (see 'ndr sql --help')" \
  sql --dialect mysql --table t
expect 2 "ndr: --from 2024-05 is after --to 2024-01" sql --dialect duckdb --table t --from 2024-05 --to 2024-01
summary
