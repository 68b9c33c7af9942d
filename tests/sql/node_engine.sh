# An SQL engine from the npm registry, for cases.sh (sourced by duckdb.sh and
# clickhouse.sh, after e2e_lib.sh):
#   node_engine PACKAGE MODULES_DIR RUNNER.mjs
# installs PACKAGE into MODULES_DIR unless it is there (exit 77, saying why,
# when node, npm or the package cannot be had), starts RUNNER (its protocol:
# duckdb_run.mjs) as one process for the whole script, so that a table stays
# loaded and a query costs no start-up, and defines load and run_query.
node_engine() {
  local package=$1 runner=$3
  engine_modules=$2
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node and npm are not installed"
    exit 77
  fi
  if [ ! -d "$engine_modules/node_modules/$package" ]; then
    mkdir -p "$engine_modules"
    if ! (cd "$engine_modules" && npm install --silent --no-audit --no-fund "$package" > npm.log 2>&1); then
      echo "SKIP: $package could not be installed from the npm registry:"
      tail -n 3 "$engine_modules/npm.log"
      exit 77
    fi
  fi
  cp "$runner" "$engine_modules/"
  coproc engine { node "$engine_modules/$(basename "$runner")"; }
}

engine_ask() {  # engine_ask LINE: the runner's one-line answer
  local answer
  echo "$1" >&"${engine[1]}"
  read -r answer <&"${engine[0]}" || answer=dead
  echo "$answer"
}
load() {  # load TABLE CSV [TEXT COLUMNS...]
  [ "$(engine_ask "load $1 $PWD/$2")" = ok ]
}
run_query() {  # the result on stdout, or the error on stderr and status 1
  local status
  status=$(engine_ask "query $PWD/$1 $PWD/engine.out")
  if [ "$status" = 0 ]; then cat engine.out; else cat engine.out >&2; return 1; fi
}
