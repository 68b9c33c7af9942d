#!/usr/bin/env bash
# --format xlsx (docs/cli.md#xlsx-workbooks): every value of every sheet, read
# back by xlsx2csv (a reader independent of libxlsxwriter), equals the csv
# ndr prints for the same input and options; money, ratios, dates and counts
# are numbers in their formats (tests/xlsx_check.py); the chart, the frozen
# header, the same bytes for the same input; a terminal refused; a
# libxlsxwriter failure one line, leaving nothing behind.
# Usage: xlsx.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
if ! command -v xlsx2csv > /dev/null; then
  echo "skipped: xlsx2csv is not installed (make test installs it)"
  exit 77
fi
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
no_temps() { [ -z "$(find . -name '.*.ndr-*')" ]; }
sheet() {  # sheet NAME BOOK SHEET EXPECTED.csv [--period P] [--money F]
  local name=$1
  shift
  check "$name: sheet $2 equals its csv" python3 "$root/tests/xlsx_check.py" "$@"
}
sheets() { python3 "$root/tests/xlsx_check.py" --sheets "$1" | tr '\n' ' '; }
part() { python3 "$root/tests/xlsx_check.py" --part "$@"; }  # part BOOK NAME: its text

# report_case NAME FILE SEGMENT_COLUMNS OPTIONS...: the workbook of ndr
# report FILE (--segment-by each column) OPTIONS against the csv of report,
# movements (at its latest row) and cohorts (which takes no --window).
report_case() {
  local name=$1 file=$2 columns=$3
  shift 3
  local -a flat=("$@") segments=() options=() cohort=()
  local column segmented=false
  for column in $columns; do segments+=(--segment-by "$column"); segmented=true; done
  options=("${segments[@]}" "${flat[@]}")
  while [ $# -gt 0 ]; do
    if [ "$1" = --window ]; then shift 2; else cohort+=("$1"); shift; fi
  done
  "$ndr" report "$file" "${options[@]}" -o book.xlsx -q
  check "$name: exit 0" [ $? -eq 0 ]
  "$ndr" report "$file" "${options[@]}" --format csv > report.csv 2> /dev/null
  "$ndr" report "$file" "${flat[@]}" --format csv > totals.csv 2> /dev/null
  "$ndr" cohorts "$file" "${cohort[@]}" --format csv > cohorts.csv
  sheet "$name" book.xlsx Report totals.csv
  sheet "$name" book.xlsx Cohorts cohorts.csv
  local want="Report Chart "
  if $segmented; then
    sheet "$name" book.xlsx Segments report.csv
    want+="Segments "
  fi
  local latest
  latest=$(tail -n 1 report.csv | cut -d, -f1)
  "$ndr" movements "$file" "${options[@]}" --at "$latest" --format csv > movements.csv
  sheet "$name" book.xlsx Movements movements.csv --period "$latest"
  check "$name: sheets $want" [ "$(sheets book.xlsx)" = "${want}Movements Cohorts " ]
  check "$name: a line chart" grep -q "<c:lineChart>" <(part book.xlsx xl/charts/chart1.xml)
  check "$name: the header row is frozen" \
    grep -q '<pane [^>]*ySplit="1"[^>]*state="frozen"' <(part book.xlsx xl/worksheets/sheet1.xml)
  check "$name: an autofilter" grep -q '<autoFilter ref="A1:' <(part book.xlsx xl/worksheets/sheet1.xml)
  check "$name: a percentage format" grep -q 'formatCode="0.00%"' <(part book.xlsx xl/styles.xml)
  check "$name: no temporary left" no_temps
}

tiny=$root/samples/tiny.csv
realistic=$root/samples/realistic.csv
report_case "tiny" "$tiny" ""
report_case "realistic" "$realistic" ""
report_case "realistic by region" "$realistic" region
report_case "realistic by plan and region, quarters" "$realistic" "plan region" --period quarter
report_case "realistic quarters" "$realistic" "" --period quarter
report_case "realistic ARR" "$realistic" "" --arr
report_case "realistic ARR by region" "$realistic" region --arr
report_case "realistic TTM" "$realistic" "" --window 12

# An empty cohort: its ratios are blank cells (xlsx_check.py reads '' for '').
printf 'customer_id,date,mrr,plan\na,2024-01-31,100,x\nb,2024-02-29,50,y\n' > empty-cohort.csv
report_case "an empty cohort" empty-cohort.csv plan
check "an empty cohort: csv has its empty ratios" grep -q '^2024-02,2024-01-31,2024-02-29,y,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,,,' report.csv

# A report without rows: the header, no chart, no Movements.
"$ndr" report "$tiny" --window 12 -o empty.xlsx -q
check "no rows: exit 0" [ $? -eq 0 ]
check "no rows: Report and Cohorts alone" [ "$(sheets empty.xlsx)" = "Report Cohorts " ]
"$ndr" report "$tiny" --window 12 --format csv > empty.csv 2> /dev/null
sheet "no rows" empty.xlsx Report empty.csv
check "no rows: no chart" [ -z "$(part empty.xlsx xl/charts/chart1.xml)" ]

# ndr movements and ndr cohorts write their own one-sheet workbooks.
"$ndr" movements "$realistic" --at 2025-03 --segment-by plan -o m.xlsx
"$ndr" movements "$realistic" --at 2025-03 --segment-by plan --format csv > m.csv
check "movements: one sheet" [ "$(sheets m.xlsx)" = "Movements " ]
sheet "movements" m.xlsx Movements m.csv --period 2025-03
"$ndr" cohorts "$realistic" --period quarter --arr -o c.xlsx
"$ndr" cohorts "$realistic" --period quarter --arr --format csv > c.csv
check "cohorts: one sheet" [ "$(sheets c.xlsx)" = "Cohorts " ]
sheet "cohorts" c.xlsx Cohorts c.csv

# The reporting currency, when the input names it, in the money format.
"$ndr" report "$tiny" --currency USD -o usd.xlsx
"$ndr" report "$tiny" --format csv > tiny.csv
sheet "USD" usd.xlsx Report tiny.csv --money '"$"#,##0.00'
"$ndr" report "$tiny" --currency eur -o eur.xlsx
sheet "EUR" eur.xlsx Report tiny.csv --money '#,##0.00 "EUR"'
printf 'customer_id,date,mrr,currency\na,2024-01-31,100,EUR\na,2024-02-29,120,eur\n' > eur.csv
"$ndr" report eur.csv -o eur-column.xlsx
"$ndr" report eur.csv --format csv > eur-column.csv
sheet "a currency column" eur-column.xlsx Report eur-column.csv --money '#,##0.00 "EUR"'
# With --fx (reporting in USD): fx_impact_mrr is money too.
fx=(--input subscriptions --as-of 2024-12-31 --exclude-status trialing,incomplete
  --fx "$root/samples/fx-rates.csv" --customer-map "$root/samples/customer-map.csv")
"$ndr" report "$root/samples/subscriptions.csv" "${fx[@]}" -o fx.xlsx -q
"$ndr" report "$root/samples/subscriptions.csv" "${fx[@]}" --format csv > fx.csv 2> /dev/null
check "--fx: the csv has fx_impact_mrr" grep -q fx_impact_mrr fx.csv
sheet "--fx" fx.xlsx Report fx.csv --money '"$"#,##0.00'

# The same input gives the same bytes; --stamp records the time instead.
"$ndr" report "$realistic" --segment-by region -o again1.xlsx
"$ndr" report "$realistic" --segment-by region -o again2.xlsx
check "the same input gives the same bytes" cmp -s again1.xlsx again2.xlsx
check "the creation date is fixed" \
  grep -q '<dcterms:created[^>]*>1980-01-01T00:00:00Z<' <(part again1.xlsx docProps/core.xml)
"$ndr" report "$realistic" --segment-by region --stamp -o stamped.xlsx
check "--stamp records when it was made" \
  grep -q "<dcterms:created[^>]*>$(date -u +%Y)-" <(part stamped.xlsx docProps/core.xml)

# Standard output: a pipe takes the workbook, a terminal does not.
"$ndr" report "$tiny" --format xlsx | cat > piped.xlsx
"$ndr" report "$tiny" -o file.xlsx
check "xlsx to a pipe: the same bytes as -o" cmp -s piped.xlsx file.xlsx
if script -qec true /dev/null > /dev/null 2>&1; then
  script -qec "'$ndr' report '$tiny' --format xlsx; echo \"status \$?\"" /dev/null > tty.txt 2>&1
  check "xlsx to a terminal: exit 2" grep -q "status 2" tty.txt
  check "xlsx to a terminal: the message" grep -q \
    "ndr: xlsx is a binary workbook, not for a terminal: write it to a file with -o report.xlsx, or redirect standard output" tty.txt
else
  echo "skipped: xlsx to a terminal (script(1) cannot make one here)"
fi

# A libxlsxwriter failure (a cell over 32,767 characters) is one line, exit
# 1, and leaves no file and no temporary.
python3 -c "print('customer_id,date,mrr'); print('x' * 40000 + ',2024-01-31,1'); print('x' * 40000 + ',2024-02-29,2')" > long.csv
"$ndr" movements long.csv --at 2024-02 -o long.xlsx 2> err.txt
check "a libxlsxwriter error: exit 1" [ $? -eq 1 ]
check "a libxlsxwriter error: one line" [ "$(wc -l < err.txt)" -eq 1 ]
check "a libxlsxwriter error: the message" grep -q "^ndr: cannot write the xlsx Movements sheet: " err.txt
check "a libxlsxwriter error: no file" [ ! -e long.xlsx ]
check "a libxlsxwriter error: no temporary" no_temps

summary
