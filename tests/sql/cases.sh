# The cases every engine runs (sourced by tests/sql/<engine>.sh, which
# defines, before sourcing this file:
#   load TABLE CSV [TEXT COLUMNS...]   the normalized CSV (normalize.py) as TABLE
#   run_query DIALECT_SQL_FILE         the query's result as CSV on stdout
#                                      (header, NULL as empty), or an error
#                                      on stderr and a non-zero status
#   DIALECT                            the --dialect to ask ndr sql for
# and `ndr`, `gen`, `root`, in a scratch folder, with e2e_lib.sh sourced).

# ndr_load TABLE FILE [TEXT COLUMNS...]: FILE normalized, loaded as TABLE
ndr_load() {
  local table=$1 file=$2
  shift 2
  python3 "$root/tests/sql/normalize.py" "$file" "$table.csv" || return 1
  load "$table" "$table.csv" "$@"
}

# same NAME TABLE FILE [OPTIONS...]: ndr sql on TABLE = ndr report on FILE.
# --order-col COLUMN is for the query alone: a file's order is its own.
same() {
  local name=$1 table=$2 file=$3
  shift 3
  local report_opts=() a skip=0
  for a in "$@"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    if [ "$a" = "--order-col" ]; then skip=1; continue; fi
    report_opts+=("$a")
  done
  "$ndr" report "$file" --format csv "${report_opts[@]}" > want.csv 2> want.err
  if ! "$ndr" sql --dialect "$DIALECT" --table "$table" "$@" > query.sql; then
    check "$name: ndr sql" false
    return
  fi
  if ! run_query query.sql > got.csv 2> got.err; then
    head -c 600 got.err
    check "$name: the query runs" false
    return
  fi
  if cmp -s want.csv got.csv; then
    check "$name" true
  else
    diff want.csv got.csv | head -5
    check "$name" false
  fi
}

# fails NAME EXPECTED_TEXT TABLE: the query on TABLE stops with that text
fails() {
  "$ndr" sql --dialect "$DIALECT" --table "$3" > query.sql
  if run_query query.sql > got.csv 2> got.err; then
    check "$1: the query fails" false
  else
    check "$1: $(head -c 300 got.err)" grep -qF "$2" got.err
  fi
}

ndr_load tiny "$root/samples/tiny.csv"
ndr_load realistic "$root/samples/realistic.csv" plan region
ndr_load fiscal "$root/samples/fiscal.csv"
"$ndr" snapshots "$root/samples/mrr-playbook.csv" --preset mrr-playbook -o playbook.csv
ndr_load playbook playbook.csv source
"$gen" --customers 3000 --months 30 --seed 7 --order shuffled -o generated.csv
ndr_load generated generated.csv plan region

for t in tiny realistic fiscal playbook generated; do
  f=$root/samples/$t.csv
  case $t in playbook | generated) f=$PWD/$t.csv ;; esac
  same "$t" "$t" "$f"
  same "$t window 3" "$t" "$f" --window 3
  same "$t include" "$t" "$f" --reactivation include
  same "$t quarter" "$t" "$f" --period quarter
  same "$t year" "$t" "$f" --period year
  same "$t fiscal quarter" "$t" "$f" --period quarter --fiscal-year-start 4
  same "$t fiscal year" "$t" "$f" --period year --fiscal-year-start 7
  same "$t arr" "$t" "$f" --arr
done
same "realistic from/to" realistic "$root/samples/realistic.csv" --from 2023-06 --to 2024-02
same "realistic trailing twelve months" realistic "$root/samples/realistic.csv" --window 12
same "realistic quarters from/to" realistic "$root/samples/realistic.csv" --period quarter --from 2023-Q3 --to 2024-Q1
for t in realistic generated; do
  f=$root/samples/$t.csv
  [ "$t" = generated ] && f=$PWD/generated.csv
  same "$t by plan" "$t" "$f" --segment-by plan --order-col line
  same "$t by region, quarters, include" "$t" "$f" --segment-by region --order-col line --period quarter --reactivation include
  same "$t by plan, window 12" "$t" "$f" --segment-by plan --order-col line --window 12
done
same "playbook by source" playbook "$PWD/playbook.csv" --segment-by source --order-col line

# Segments a spreadsheet would misread, blank, with commas and quotes; ties
# broken by the order column; ids with spaces around them; a period no
# customer pays at either end of (its row is all zeros).
cat > odd.csv <<'CSV'
customer_id,date,mrr,plan
 a ,2024-01-31,10,=SUM(A1)
a,2024-01-31,10,"x,y"
b,2024-01-31,5,
b,2024-02-29,5,"say ""hi"""
c,2024-02-29,7,-minus
a,2024-02-29,30,@at
a,2024-03-31,1,+plus
c,2024-03-31,7,zz
z,2024-05-31,0,
z,2024-06-30,0,
a,2024-07-31,2,back
CSV
ndr_load odd odd.csv plan
same "odd segments" odd odd.csv --segment-by plan --order-col line
same "odd ids and empty rows" odd odd.csv
same "odd, two months" odd odd.csv --window 2

# Data errors stop the query, naming what is wrong.
printf 'customer_id,date,mrr\na,2024-01-31,5\na,2024-01-31,-6\nb,2024-02-29,1\n' > negative.csv
load negative negative.csv
# ClickHouse's throwIf takes a literal message: it cannot name the customer.
negative="ndr: a customer has a negative total MRR: a on 2024-01-31"
[ "$DIALECT" = clickhouse ] && negative="ndr: a customer has a negative total MRR: "
fails "a negative total" "$negative" negative
printf 'customer_id,date,mrr\na,2024-01-31,5\n" ",2024-02-29,1\n' > blank_id.csv
load blank_id blank_id.csv
fails "an empty id" "ndr: empty customer id in column customer_id" blank_id
printf 'customer_id,date,mrr\na,2024-01-31,5\na,2024-02-29,1.0000001\n' > decimals.csv
load decimals decimals.csv
fails "7 decimals" "ndr: an amount with more than 6 decimals in column mrr" decimals
printf 'customer_id,date,mrr\na,2024-01-31,5\na,2024-02-29,\n' > no_amount.csv
load no_amount no_amount.csv
fails "no amount" "ndr: empty amount in column mrr" no_amount
