#!/usr/bin/env bash
# Issue 15's hints, as a user meets them: for each, the file they would have,
# the exact message, and that following it gives the right report (compared
# with a file worked out by hand, or with a golden the independent reference
# derived: samples/expected/MANIFEST).
# Usage: hints.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
s=$root/samples
e=$root/samples/expected
header='period,start_date,end_date,cohort_customers,retained_customers,expanded_customers,contracted_customers,churned_customers,starting_mrr,expansion_mrr,contraction_mrr,churned_mrr,ending_mrr,ndr,grr,logo_retention,reactivation_mrr,reactivated_customers,new_mrr,new_customers'

# same NAME FILE ARGS...: ndr ARGS prints exactly FILE on standard output.
same() {
  local name=$1 want=$2
  shift 2
  "$ndr" "$@" > got.txt 2> err.txt
  check "$name" cmp -s got.txt "$want"
}

# 1. The dbt playbook's subscription_periods given as snapshots: the preset,
#    then the as-of warning, then the report the reference derived.
expect 1 "ndr: $s/mrr-playbook.csv:1: missing column 'date': this is a subscription export (a start and an end date per row), not snapshots; read it with --preset mrr-playbook (see 'ndr presets' and docs/inputs.md)" \
  report "$s/mrr-playbook.csv"
expect 0 "ndr: warning: the snapshots end at 2019-11-30: the latest date in the input, 2019-12-01, is before 2019-12's snapshot date, so 2019-12 is not reported; add --as-of 2019-12-31 to report it" \
  report "$s/mrr-playbook.csv" --preset mrr-playbook --format csv
same "playbook, as the hints say" "$e/mrr-playbook.csv" \
  report "$s/mrr-playbook.csv" --preset mrr-playbook --as-of 2019-12-31 --format csv
expect 1 "ndr: no report row for 2019-12: it needs a snapshot date in 2019-12 and in 2019-11; the snapshot dates run from 2019-01-31 to 2019-11-30 (--as-of DATE sets the last one)" \
  movements "$s/mrr-playbook.csv" --preset mrr-playbook --at 2019-12 -q
# validate reads it too, and says the same.
"$ndr" validate "$s/mrr-playbook.csv" --preset mrr-playbook > validate.txt
check "validate warns of the month left out" grep -q "add --as-of 2019-12-31 to report it" validate.txt

# 2. Stripe's and Chargebee's exports: their presets (the goldens add the
#    rates and the status to exclude that their own errors then ask for).
expect 1 "ndr: $s/stripe-subscriptions.csv:1: missing column 'customer_id': this is a subscription export (a start and an end date per row), not snapshots; read it with --preset stripe (see 'ndr presets' and docs/inputs.md)" \
  report "$s/stripe-subscriptions.csv"
same "stripe, with the preset" "$e/stripe.csv" \
  report "$s/stripe-subscriptions.csv" --preset stripe --exclude-status trialing --fx "$s/stripe-fx-rates.csv" \
  --customer-map "$s/stripe-customer-map.csv" --as-of 2024-06-30 --format csv
expect 1 "ndr: $s/chargebee-subscriptions.csv:1: missing column 'date': this is a subscription export (a start and an end date per row), not snapshots; read it with --preset chargebee (see 'ndr presets' and docs/inputs.md)" \
  report "$s/chargebee-subscriptions.csv"
expect 1 "ndr: $s/subscriptions.csv:1: missing column 'date': this is a subscription export (a start and an end date per row), not snapshots; read it with --input subscriptions (see 'ndr presets' and docs/inputs.md)" \
  report "$s/subscriptions.csv"

# 3. A home-made subscription export with a price column and no interval.
#    By hand, month ends 01-31, 02-29, 03-31 (with --as-of 2024-03-31):
#    A 100, 100, 0 (ends 03-10); B 50, 50, 50; C 0, 30, 30 (starts 02-05).
#    2024-02: cohort A, B = 150, both flat; C new 30.
#    2024-03: cohort A, B, C = 180; A churns 100: ending 80, 80/180 = 0.4444,
#    logos 2/3 = 0.6667.
printf 'customer_id,start_date,end_date,price\nA,2024-01-15,2024-03-10,100\nB,2024-01-20,,50\nC,2024-02-05,,30\n' > subs.csv
expect 1 "ndr: subs.csv:1: missing column 'date': this is a subscription export (a start and an end date per row), not snapshots; read it with --input subscriptions --amount-col price (each 'price' is then read as a monthly price, as the file has no 'interval' column; if it is not, name the column with --interval-col) (see 'ndr presets' and docs/inputs.md)" \
  report subs.csv
expect 0 "ndr: warning: the snapshots end at 2024-02-29: the latest date in the input, 2024-03-10, is before 2024-03's snapshot date, so 2024-03 is not reported; add --as-of 2024-03-31 to report it" \
  report subs.csv --input subscriptions --amount-col price --format csv
{
  echo "$header"
  echo "2024-02,2024-01-31,2024-02-29,2,2,0,0,0,150.00,0.00,0.00,0.00,150.00,1.0000,1.0000,1.0000,0.00,0,30.00,1"
  echo "2024-03,2024-02-29,2024-03-31,3,2,0,0,1,180.00,0.00,0.00,100.00,80.00,0.4444,0.4444,0.6667,0.00,0,0.00,0"
} > subs-expected.csv
same "a home-made export, as the hints say" subs-expected.csv \
  report subs.csv --input subscriptions --amount-col price --as-of 2024-03-31 --format csv
# Never the start date as a snapshot date: with no end column the file is
# not read as subscriptions, and the start date is not proposed either.
printf 'customer_id,start_date,amount\nA,2024-01-15,10\n' > starts.csv
expect 1 "ndr: starts.csv:1: missing column 'date' (the header has: customer_id, start_date, amount); name the column to use with --date-col" \
  report starts.csv

# 4. --end-inclusive: A's end 2024-03-31 is its last paid day, so A still
#    pays on 03-31 and nobody churns: 2024-03 ends at 180, NDR 1.0000.
#    Read as the first unpaid day (the default), A churns on 03-31.
printf 'customer_id,start_date,end_date,price\nA,2024-01-15,2024-03-31,100\nB,2024-01-20,,50\nC,2024-02-05,,30\n' > inclusive.csv
{
  echo "$header"
  echo "2024-02,2024-01-31,2024-02-29,2,2,0,0,0,150.00,0.00,0.00,0.00,150.00,1.0000,1.0000,1.0000,0.00,0,30.00,1"
  echo "2024-03,2024-02-29,2024-03-31,3,3,0,0,0,180.00,0.00,0.00,0.00,180.00,1.0000,1.0000,1.0000,0.00,0,0.00,0"
} > inclusive-expected.csv
same "--end-inclusive" inclusive-expected.csv \
  report inclusive.csv --input subscriptions --amount-col price --end-inclusive --format csv
check "--end-inclusive, and no warning" test ! -s err.txt
same "an exclusive end date on a snapshot date" subs-expected.csv \
  report inclusive.csv --input subscriptions --amount-col price --format csv

# 5. A German Excel export: ;, decimal commas, € after the number,
#    day-first dates, and the empty ;;; rows Excel saves.
#    By hand: A 1,200.50 -> 1,300.00 (+99.50); B 12.50 -> 12.50.
#    Starting 1,213.00, ending 1,312.50, NDR 1312.50/1213 = 1.08203 -> 1.0820.
printf 'customer_id;date;mrr\nA;31.01.2024;1.200,50 €\nB;31.01.2024;12,50 €\nA;29.02.2024;1.300,00 €\nB;29.02.2024;12,50\xc2\xa0€\n;;\n;;\n' > de.csv
expect 1 "ndr: de.csv:1: missing column 'customer_id': the header is one column, 'customer_id;date;mrr'; is the delimiter ;? add --delimiter ';' (or --delimiter auto)" \
  report de.csv
expect 1 "ndr: de.csv:2: column 'date': invalid date '31.01.2024': expected YYYY-MM-DD, YYYY-MM or a date-time (a day-first date: --date-format %d.%m.%Y reads it, and --locale de a German export whole (; and 1.234,50 too))" \
  report de.csv --delimiter ';'
expect 1 "ndr: de.csv:2: column 'mrr': invalid amount '1.200,50 €': unknown currency symbol or text (ndr reads \$, € and £ before the number, and after it with --decimal-comma or --locale: 12,50 €)" \
  report de.csv --delimiter ';' --date-format %d.%m.%Y
expect 0 "ndr: warning: skipped 2 empty rows (delimiters alone, as a spreadsheet saves unused rows; the first at de.csv:6)" \
  report de.csv --locale de
{
  echo "$header"
  echo "2024-02,2024-01-31,2024-02-29,2,2,1,0,0,1213.00,99.50,0.00,0.00,1312.50,1.0820,1.0000,1.0000,0.00,0,0.00,0"
} > de-expected.csv
same "a German export with --locale de" de-expected.csv report de.csv --locale de --format csv -q
check "-q: no warning" test ! -s err.txt
# ISO dates still read under --locale de (a warehouse's German export).
printf 'customer_id;date;mrr\nA;2024-01-31;1.200,50\nB;2024-01-31;12,50\nA;2024-02-29;1.300,00\nB;2024-02-29;12,50\n' > de-iso.csv
same "ISO dates with --locale de" de-expected.csv report de-iso.csv --locale de --format csv
# The footer a spreadsheet adds.
printf 'customer_id;date;mrr\nA;31.01.2024;1.200,50 €\nSumme;;1.200,50 €\n' > footer.csv
expect 1 "ndr: footer.csv:3: column 'customer_id': a footer or total row, not a customer's row: delete it from the export (--skip-bad-rows skips it)" \
  report footer.csv --locale de
printf 'customer_id;date;mrr\nA;31.01.2024;1.200,50 €\n;;1.200,50 €\n' > footer2.csv
expect 1 "ndr: footer2.csv:3: column 'customer_id': a footer or total row (an amount without a customer or date), not a customer's row: delete it from the export (--skip-bad-rows skips it)" \
  report footer2.csv --locale de
# Month first is a question, not a guess.
printf 'customer_id,date,mrr\nA,01/02/2024,10\n' > slashes.csv
expect 1 "ndr: slashes.csv:2: column 'date': invalid date '01/02/2024': expected YYYY-MM-DD, YYYY-MM or a date-time (day first or month first? --date-format %d/%m/%Y or --date-format %m/%d/%Y)" \
  report slashes.csv

# 6. Floors a report could not mean, with their reading. tiny's latest NDR
#    is 93.81 %: 150 % (what 1.5% meant) fails with exit 3, 90 % passes.
expect 2 "ndr: --min-ndr 1.5% is 0.015; did you mean 150%? (a floor under 10% is implausible for NDR)" \
  report "$s/tiny.csv" --min-ndr 1.5%
expect 3 "ndr: 2024-03 NDR 0.9381 (93.8%) is below the floor --min-ndr 150%" \
  report "$s/tiny.csv" --min-ndr 150% -o out.csv
expect 0 "" report "$s/tiny.csv" --min-ndr 90% -o out.csv
expect 2 "ndr: --min-grr 1.2 is 120%, and GRR is never above 100%, so the floor could never be met; write a fraction (0.95) or a percentage (95%)" \
  report "$s/tiny.csv" --min-grr 1.2
expect 2 "ndr: --min-ndr 5 is 500%; an NDR floor above 300% is implausible; write a fraction (0.95) or a percentage (95%)" \
  report "$s/tiny.csv" --min-ndr 5

# 7. --arr says ARR in its field names; the numbers are ×12 (tiny.csv by
#    hand: 2024-02 starts at 100,000 MRR = 1,200,000 ARR).
"$ndr" report "$s/tiny.csv" --arr --format csv > arr.csv
check "--arr csv header" grep -q '^period,start_date,end_date,cohort_customers,retained_customers,expanded_customers,contracted_customers,churned_customers,starting_arr,expansion_arr,contraction_arr,churned_arr,ending_arr,ndr,grr,logo_retention,reactivation_arr,reactivated_customers,new_arr,new_customers$' arr.csv
check "--arr csv values" grep -q '^2024-02,2024-01-31,2024-02-29,4,3,2,1,1,1200000.00,240000.00,60000.00,120000.00,1260000.00,1.0500,0.8500,0.7500,0.00,0,96000.00,1$' arr.csv

# 8. A quarterly cohort has no customer worth 0.00: E (tiny.csv) joined and
#    left within 2024-Q1, so the cohort is A-D, 118,000 on 03-31, all paying.
expect_out 0 "cohort,age,customers,starting_mrr,mrr,revenue_retention,logo_retention
2024-Q1,0,4,118000.00,118000.00,1.0000,1.0000" cohorts "$s/tiny.csv" --period quarter --format csv

# 5b. The same in a subscription export: by hand, A 10 from 2024-01-01 and B
#     5 from 2024-01-15, both open: 15 on 01-31 and on 02-29, flat.
printf 'customer_id;start_date;end_date;amount\nA;01.01.2024;;10\n;;;\nB;15.01.2024;;5\n' > subs-de.csv
expect 0 "ndr: warning: skipped 1 empty row (delimiters alone, as a spreadsheet saves unused rows; the first at subs-de.csv:3)" \
  report subs-de.csv --input subscriptions --locale de --as-of 2024-02-29 --format csv
{
  echo "$header"
  echo "2024-02,2024-01-31,2024-02-29,2,2,0,0,0,15.00,0.00,0.00,0.00,15.00,1.0000,1.0000,1.0000,0.00,0,0.00,0"
} > subs-de-expected.csv
same "a German subscription export" subs-de-expected.csv \
  report subs-de.csv --input subscriptions --locale de --as-of 2024-02-29 --format csv
printf 'customer_id;start_date;end_date;amount\nA;01.01.2024;;10\nSumme;;;10\n' > subs-footer.csv
expect 1 "ndr: subs-footer.csv:3: column 'customer_id': a footer or total row, not a customer's row: delete it from the export (--skip-bad-rows skips it)" \
  report subs-footer.csv --input subscriptions --locale de

# 5c. What the first review found, each now a check.
# A snapshot file that carries its contracts' start and end dates is not a
# subscription export: its amount column is what is missing (by hand, a's
# 100 on both dates: one row 2024-02, flat).
printf 'customer_id,date,amount,start_date,end_date\na,2024-01-31,100,2023-06-01,2024-06-01\na,2024-02-29,100,2023-06-01,2024-06-01\n' > contracts.csv
expect 1 "ndr: contracts.csv:1: missing column 'mrr' (the header has: customer_id, date, amount, start_date, end_date); if 'amount' is the column, add --mrr-col amount" \
  report contracts.csv
expect_out 0 "$header
2024-02,2024-01-31,2024-02-29,1,1,0,0,0,100.00,0.00,0.00,0.00,100.00,1.0000,1.0000,1.0000,0.00,0,0.00,0" \
  report contracts.csv --mrr-col amount --format csv
printf 'customer_id,month,mrr,start_date,end_date\na,2024-01,100,2023-06-01,2024-06-01\n' > month.csv
expect 1 "ndr: month.csv:1: missing column 'date' (the header has: customer_id, month, mrr, start_date, end_date); if 'month' is the column, add --date-col month" \
  report month.csv
# --delimiter given beside --locale wins; two-digit years are 20xx, not 00xx.
printf 'customer_id,date,mrr\na,31.01.24,"1.200,50"\na,29.02.24,"1.300,00"\n' > comma-de.csv
expect_out 0 "$header
2024-02,2024-01-31,2024-02-29,1,1,1,0,0,1200.50,99.50,0.00,0.00,1300.00,1.0829,1.0000,1.0000,0.00,0,0.00,0" \
  report comma-de.csv --locale de --delimiter , --format csv
printf 'customer_id,date,mrr\na,31-01-2024,10\n' > dashes.csv
expect 1 "ndr: dashes.csv:2: column 'date': invalid date '31-01-2024': expected YYYY-MM-DD, YYYY-MM or a date-time (a day-first date: --date-format %d-%m-%Y reads it, and --locale nl a Dutch export whole (; and 1.234,50 too))" \
  report dashes.csv
# A month's subtotal has a date, and is still no customer.
printf 'customer_id;date;mrr\nA;31.01.2024;100\nGesamt;31.01.2024;100\n' > subtotal.csv
expect 1 "ndr: subtotal.csv:3: column 'customer_id': a footer or total row, not a customer's row: delete it from the export (--skip-bad-rows skips it)" \
  report subtotal.csv --locale de
expect 2 "ndr: --min-grr 5% is 0.05; write a fraction (0.95) or a percentage (95%) (a floor under 10% is implausible for GRR)" \
  report "$s/tiny.csv" --min-grr 5%
expect 0 "" report "$s/tiny.csv" --min-ndr 0% -o out.csv

# 9. The first month's new MRR: tiny.csv's 2024-01 has A, B, C and D, all new,
#    40,000 + 30,000 + 20,000 + 10,000 = 100,000 on 2024-01-31 (by hand). No row
#    shows them as new; the table, json and html say so; csv keeps SPEC §5.
"$ndr" report "$s/tiny.csv" > first.txt
check "first month in the table" grep -qx "2024-01 is the data's first month: its 4 customers (100,000.00 MRR on 2024-01-31) are all new; no row counts them as new." first.txt
"$ndr" report "$s/tiny.csv" --format json > first.json
check "first month in json" grep -qx '  "first_period": {"period": "2024-01", "date": "2024-01-31", "new_customers": 4, "new_mrr": 100000.00}' first.json
"$ndr" report "$s/tiny.csv" --format html > first.html
check "first month in html" grep -q "<p class=\"opening\">2024-01 is the data&#39;s first month: its 4 customers (100,000.00 MRR on 2024-01-31)" first.html
"$ndr" report "$s/tiny.csv" --arr --format json > first-arr.json
check "first month as ARR" grep -q '"new_arr": 1200000.00}' first-arr.json
"$ndr" report "$s/tiny.csv" --from 2024-03 > from.txt
check "--from past the first row: no first-month line" bash -c "! grep -q 'first month' from.txt"
check "csv has no such line" cmp -s <("$ndr" report "$s/tiny.csv" --format csv) "$e/tiny.csv"

summary
