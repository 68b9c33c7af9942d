#!/usr/bin/env bash
# `ndr sql --dialect postgres` on a private PostgreSQL cluster beside `ndr
# report` on the same rows (bench/run.sh): loads FILE into a table, checks
# that the query's result is byte-identical to ndr's, then times the query
# (psql, the table already loaded and analysed) and ndr on the file with
# measure.py; prints measure.py's lines.
#   postgres_sql.sh ROOT NDR FILE RUNS LABEL
set -euo pipefail
root=$1
ndr=$2
file=$3
runs=$4
label=$5
source "$root/tests/sql/pg_cluster.sh"
work=$(mktemp -d)
chmod 755 "$work"
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT
pg_start "$work/pg" > /dev/null
# A warehouse gives a report query more than the 4 MB default to sort in.
export PGOPTIONS="-c work_mem=256MB"
psql -X -q -c "CREATE TABLE snaps (customer_id TEXT, date DATE, mrr NUMERIC, plan TEXT, region TEXT)"
psql -X -q -c "\\copy snaps FROM '$file' CSV HEADER"
psql -X -q -c "ANALYZE snaps"
"$ndr" sql --dialect postgres --table snaps > "$work/query.sql"
if ! cmp -s <(psql -X --csv -f "$work/query.sql") <("$ndr" report "$file" --format csv); then
  echo "FAIL: PostgreSQL's result differs from ndr report" >&2
  exit 1
fi
rows=$(( $(wc -l < "$file") - 1 ))
python3 "$root/bench/measure.py" "$label postgres-ndr-sql" "$rows" "$(stat -c %s "$file")" "$runs" \
  -- psql -X -q --csv -f "$work/query.sql"
