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

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are not installed"
  exit 77
fi
if [ ! -d "$modules/node_modules/chdb" ]; then
  mkdir -p "$modules"
  if ! (cd "$modules" && npm install --silent --no-audit --no-fund chdb > npm.log 2>&1); then
    echo "SKIP: chdb could not be installed from the npm registry:"
    tail -n 3 "$modules/npm.log"
    exit 77
  fi
fi
cp "$root/tests/sql/clickhouse_run.mjs" "$modules/"

# One ClickHouse process for the whole script (clickhouse_run.mjs): a table stays
# loaded, and each query costs no start-up.
coproc duck { node "$modules/clickhouse_run.mjs"; }
ask() {  # ask LINE: the runner's one-line answer
  local answer
  echo "$1" >&"${duck[1]}"
  read -r answer <&"${duck[0]}" || answer=dead
  echo "$answer"
}
load() {  # load TABLE CSV [TEXT COLUMNS...]
  [ "$(ask "load $1 $PWD/$2")" = ok ]
}
run_query() {  # the result on stdout, or the error on stderr and status 1
  local status
  status=$(ask "query $PWD/$1 $PWD/duck.out")
  if [ "$status" = 0 ]; then cat duck.out; else cat duck.out >&2; return 1; fi
}
DIALECT=clickhouse

source "$root/tests/sql/cases.sh"
summary
