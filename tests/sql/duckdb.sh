#!/usr/bin/env bash
# `ndr sql --dialect duckdb` against a real DuckDB: the npm package
# @duckdb/node-api, installed by this set-up into the build folder; the same
# cases as PostgreSQL (cases.sh), each result byte-identical to `ndr report
# --format csv`. Skips (exit 77), saying why, only when the package cannot be
# installed.
#   duckdb.sh NDR NDR_GEN PROJECT_ROOT BUILD_DIR
set -u
ndr=$1
gen=$2
root=$3
modules=$4/sql-node
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"

source "$root/tests/sql/node_engine.sh"
node_engine @duckdb/node-api "$modules" "$root/tests/sql/duckdb_run.mjs"
DIALECT=duckdb

source "$root/tests/sql/cases.sh"
summary
