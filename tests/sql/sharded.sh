#!/usr/bin/env bash
# `ndr sql --dialect postgres` on a sharded PostgreSQL: three private
# clusters on loopback (tests/sql/pg_cluster.sh); the snapshots table lives
# on the first, hash-partitioned by customer id into two partitions that are
# foreign tables (postgres_fdw) on the other two. With
# enable_partitionwise_aggregate on, the query's result must equal
# `ndr report --format csv` on the file, and EXPLAIN VERBOSE must show the
# per-customer aggregation (GROUP BY) in each shard's remote SQL: only summed
# rows travel.
#   sharded.sh NDR NDR_GEN PROJECT_ROOT
set -u
ndr=$1
gen=$2
root=$3
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
source "$root/tests/sql/pg_cluster.sh"

work=$(mktemp -d)
chmod 755 "$work"
trap 'pg_stop "$work/shard0"; pg_stop "$work/shard1"; pg_stop "$work/main"; rm -rf "$work" "$tmp"' EXIT
ports=()
for c in shard0 shard1 main; do
  if ! pg_start "$work/$c" > "$work/why"; then
    echo "FAIL: no PostgreSQL to test against: $(cat "$work/why")"
    exit 1
  fi
  ports+=("$PGPORT")
done
cd "$work" || exit 1
on() {  # on PORT SQL...: run on one cluster
  local port=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"
}
columns="line BIGINT, customer_id TEXT, date DATE, mrr NUMERIC, plan TEXT, region TEXT"
on "${ports[0]}" -c "CREATE TABLE snaps_p0 ($columns)"
on "${ports[1]}" -c "CREATE TABLE snaps_p1 ($columns)"
main=${ports[2]}
on "$main" <<SQL
CREATE EXTENSION postgres_fdw;
CREATE SERVER shard0 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${ports[0]}', dbname 'postgres');
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${ports[1]}', dbname 'postgres');
CREATE USER MAPPING FOR postgres SERVER shard0 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
CREATE TABLE snaps ($columns) PARTITION BY HASH (customer_id);
CREATE FOREIGN TABLE snaps_p0 PARTITION OF snaps FOR VALUES WITH (MODULUS 2, REMAINDER 0)
  SERVER shard0 OPTIONS (table_name 'snaps_p0');
CREATE FOREIGN TABLE snaps_p1 PARTITION OF snaps FOR VALUES WITH (MODULUS 2, REMAINDER 1)
  SERVER shard1 OPTIONS (table_name 'snaps_p1');
ALTER DATABASE postgres SET enable_partitionwise_aggregate = on;
SQL

"$gen" --customers 2000 --months 24 --seed 11 --order shuffled -o generated.csv
python3 "$root/tests/sql/normalize.py" generated.csv normalized.csv
on "$main" -c "\\copy snaps FROM 'normalized.csv' CSV HEADER"
rows=$(( $(wc -l < generated.csv) - 1 ))
n0=$(on "${ports[0]}" -At -c "SELECT count(*) FROM snaps_p0")
n1=$(on "${ports[1]}" -At -c "SELECT count(*) FROM snaps_p1")
check "both shards hold rows ($n0 + $n1 = $rows)" [ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ $((n0 + n1)) = "$rows" ]

same() {  # same NAME [OPTIONS...]: the sharded query's result = ndr report
  local name=$1
  shift
  "$ndr" sql --dialect postgres --table snaps "$@" > query.sql
  on "$main" --csv -f query.sql > got.csv 2> got.err || cat got.err
  "$ndr" report generated.csv --format csv "$@" > want.csv
  if cmp -s want.csv got.csv; then
    check "sharded: $name" true
  else
    diff want.csv got.csv | head -5
    check "sharded: $name" false
  fi
}
same "months"
same "quarters, window 2, include" --period quarter --window 2 --reactivation include
same "trailing twelve months" --window 12

# Where the work runs: each shard's remote SQL sums per customer and date.
"$ndr" sql --dialect postgres --table snaps > query.sql
{ echo "EXPLAIN (VERBOSE, COSTS OFF)"; cat query.sql; } > explain.sql
on "$main" -f explain.sql > plan.txt
pushed=$(grep -c "Remote SQL: SELECT .*customer_id.*sum(.*GROUP BY" plan.txt)
[ "$pushed" = 2 ] || grep "Remote SQL" plan.txt
check "EXPLAIN VERBOSE: both shards aggregate ($pushed remote GROUP BYs)" [ "$pushed" = 2 ]
check "EXPLAIN VERBOSE: no shard sends its rows unsummed" \
  [ "$(grep "Remote SQL:" plan.txt | grep -vc "GROUP BY")" = 0 ]
# The same 2000 customers × 24 dates travel as at most that many rows.
moved=$(on "$main" -At -c "SELECT count(*) FROM (SELECT customer_id, date FROM snaps GROUP BY 1, 2) x")
check "per-customer, per-date rows: $moved for $rows rows" [ "$moved" -le "$rows" ]

summary
