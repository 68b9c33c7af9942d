#!/usr/bin/env bash
# `ndr sql --dialect clickhouse` against a real ClickHouse: chDB, the npm
# package chdb (ClickHouse in-process, about 570 MB), installed by this
# set-up into the build folder; the same cases as PostgreSQL (cases.sh),
# each result byte-identical to `ndr report --format csv`. Run by
# `make test-clickhouse`, not by `make test` (the download is large).
# Skips (exit 77), saying why, only when the package cannot be installed.
#   clickhouse.sh NDR NDR_GEN PROJECT_ROOT BUILD_DIR
set -u
ndr=$1
gen=$2
root=$3
modules=$4/clickhouse-node
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"

source "$root/tests/sql/node_engine.sh"
node_engine chdb "$modules" "$root/tests/sql/clickhouse_run.mjs"
DIALECT=clickhouse

source "$root/tests/sql/cases.sh"
summary
