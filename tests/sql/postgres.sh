#!/usr/bin/env bash
# `ndr sql --dialect postgres` against a real PostgreSQL: a private cluster
# (tests/sql/pg_cluster.sh) holds every snapshot sample, snapshots derived
# from the subscription samples and a generated export; for each option
# combination the query's result, as `psql --csv` prints it, must be
# byte-identical to `ndr report --format csv` on the file. Then the data
# errors the query raises.
#   postgres.sh NDR NDR_GEN PROJECT_ROOT
set -u
ndr=$1
gen=$2
root=$3
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
source "$root/tests/sql/pg_cluster.sh"

work=$(mktemp -d)
chmod 755 "$work"
trap 'pg_stop "$work/pg"; rm -rf "$work" "$tmp"' EXIT
# make test installs PostgreSQL (Makefile: test-deps): missing, it fails.
if ! pg_start "$work/pg" > "$work/why"; then
  echo "FAIL: no PostgreSQL to test against: $(cat "$work/why")"
  exit 1
fi
cd "$work" || exit 1
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# load TABLE CSV [TEXT COLUMNS...]: a plain CSV as TABLE (cases.sh)
load() {
  local table=$1 file=$2 header cols="" c
  shift 2
  header=$(head -n 1 "$file")
  for c in ${header//,/ }; do
    case $c in
      line) cols+=", line BIGINT" ;;
      date) cols+=", date DATE" ;;
      mrr) cols+=", mrr NUMERIC" ;;
      *) cols+=", \"$c\" TEXT" ;;
    esac
  done
  psql_q -c "CREATE TABLE \"$table\" (${cols#, })" &&
    psql_q -c "\\copy \"$table\" FROM '$file' CSV HEADER"
}
run_query() { psql_q --csv -f "$1"; }
DIALECT=postgres

source "$root/tests/sql/cases.sh"
summary
