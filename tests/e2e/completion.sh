#!/usr/bin/env bash
# `ndr completion bash|zsh|fish`: the completion scripts written from the
# CLI11 app. The bash one completes commands, options, fixed sets of values
# and file names; zsh and fish are checked for syntax where the shell is
# installed (nothing installs them for this).
# Usage: completion.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"

"$ndr" completion bash >ndr.bash
check "bash: the script parses" bash -n ndr.bash
# completes WANT WORD...: what _ndr offers for the last word of `ndr WORD...`.
completes() {
  local want=$1 got
  shift
  got=$(bash -c 'source "$0"; COMP_WORDS=(ndr "$@"); COMP_CWORD=$#; _ndr; echo "${COMPREPLY[*]}"' \
    ndr.bash "$@" 2>&1)
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: completing ndr %s\n  want: %s\n  got:  %s\n' "$*" "$want" "$got"
  fi
}
touch rates.csv
completes report rep
completes "report movements cohorts validate snapshots sql presets" ''
completes cohorts c                        # completion itself is hidden
completes --version --v
completes --period report --per
completes "month quarter year" report --period ''
completes quarter report --period = q       # --period=q
completes "separate include" movements --reactivation ''
completes "snapshots subscriptions" validate --input ''
completes duckdb sql --dialect d
completes "" report --window ''              # a number
completes "" report --from ''                # a period label
completes "" report --customer-col ''        # a column name
completes rates.csv report --fx rat           # a file
completes rates.csv report -o rat
completes rates.csv report --config rat
completes rates.csv report rat                # the input files
completes "" sql --form                       # sql's hidden --format is left out
completes "--order-col --output" sql --o

check "completion is hidden from ndr --help" [ -z "$("$ndr" --help | grep completion)" ]
expect 2 "ndr: shell: tcsh not in {bash,zsh,fish} (see 'ndr completion --help')" completion tcsh

"$ndr" completion zsh >_ndr
"$ndr" completion fish >ndr.fish
check "zsh: #compdef on the first line" [ "$(head -n 1 _ndr)" = "#compdef ndr" ]
check "zsh: --period offers its values" grep -q "'(--period)--period=\[month, quarter, year\]:value:(month quarter year)'" _ndr
check "fish: --period offers its values" grep -q "report' -l period -x -a 'month quarter year'" ndr.fish
check "fish: -o completes files" grep -q "report' -s o -l output -r -F" ndr.fish
if command -v zsh >/dev/null; then check "zsh -n _ndr" zsh -n _ndr; fi
if command -v fish >/dev/null; then check "fish -n ndr.fish" fish -n ndr.fish; fi

summary
