#!/usr/bin/env bash
# Several -o in one run (docs/cli.md#several-outputs-in-one-run): each file
# holds exactly what a run with that -o alone writes; the names say the
# formats; a usage error creates nothing; a run that fails to make or write
# one output replaces none and leaves no temporary, killed or not.
# Usage: several_outputs.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
no_temps() { [ -z "$(find . -name '.*.ndr-*')" ]; }
tiny=$root/samples/tiny.csv
realistic=$root/samples/realistic.csv

# Each output equals the single-output run's bytes.
names=(r.html r.csv r.json r.md r.xlsx r.csv.gz)
mkdir -p one
for name in "${names[@]}"; do "$ndr" report "$realistic" --segment-by region -o "one/$name"; done
"$ndr" report "$realistic" --segment-by region -o r.html -o r.csv -o r.json -o r.md -o r.xlsx -o r.csv.gz
check "report, six outputs: exit 0" [ $? -eq 0 ]
for name in "${names[@]}"; do
  check "report, six outputs: $name is the single run's" cmp -s "$name" "one/$name"
done
check "report: no temporary left" no_temps
"$ndr" movements "$realistic" --at 2025-03 -o m.csv -o m.xlsx -o m.json
"$ndr" movements "$realistic" --at 2025-03 -o one/m.csv
"$ndr" movements "$realistic" --at 2025-03 -o one/m.xlsx
"$ndr" movements "$realistic" --at 2025-03 -o one/m.json
for name in m.csv m.xlsx m.json; do
  check "movements: $name is the single run's" cmp -s "$name" "one/$name"
done
"$ndr" cohorts "$realistic" --logos -o c.md -o c.xlsx
"$ndr" cohorts "$realistic" --logos -o one/c.md
"$ndr" cohorts "$realistic" --logos -o one/c.xlsx
for name in c.md c.xlsx; do
  check "cohorts: $name is the single run's" cmp -s "$name" "one/$name"
done
# --format agrees with every name, or is refused.
"$ndr" report "$tiny" --format csv -o f1.csv -o f2.CSV
check "--format csv with two .csv names: exit 0" [ $? -eq 0 ]
check "--format csv with two .csv names: both csv" cmp -s f1.csv f2.CSV

# The floors are checked once every file is written.
"$ndr" report "$tiny" --min-ndr 0.99 -o g.csv -o g.xlsx 2> err.txt
check "a failed floor: exit 3" [ $? -eq 3 ]
check "a failed floor: both files written" [ -s g.csv ] && [ -s g.xlsx ]
check "a failed floor: the message" grep -qx "ndr: 2024-03 NDR 0.9381 (93.8%) is below the floor --min-ndr 0.99" err.txt

# Usage errors (exit 2): nothing is created, nothing is read.
usage() {  # usage NAME MESSAGE ARGS...
  local name=$1 message=$2
  shift 2
  rm -f u.csv u.xlsx u.html u.txt
  "$ndr" "$@" 2> err.txt
  check "$name: exit 2" [ $? -eq 2 ]
  check "$name: the message" grep -qxF "$message" err.txt
  check "$name: no file created" [ ! -e u.csv ] && [ ! -e u.xlsx ] && [ ! -e u.html ] && [ ! -e u.txt ]
  check "$name: no temporary" no_temps
}
usage "the same -o twice" "ndr: -o 'u.csv' is given twice" \
  report "$tiny" -o u.csv -o u.xlsx -o u.csv
usage "one file under two names" "ndr: -o 'u.csv' and -o './u.csv' are the same file" \
  report "$tiny" -o u.csv -o ./u.csv
usage "a name without a format among several" \
  "ndr: -o 'u.txt' does not say its format; with several -o, each name ends in .csv, .json, .md, .html or .xlsx" \
  report "$tiny" -o u.csv -o u.txt
usage "standard output among several" \
  "ndr: -o '-' does not say its format; with several -o, each name ends in .csv, .json, .md, .html or .xlsx" \
  report "$tiny" -o u.csv -o -
usage "--format against one of several names" \
  "ndr: -o 'u.html' is a html file name, but the output is csv (--format csv)" \
  report "$tiny" --format csv -o u.csv -o u.html
usage "html from movements" "ndr: --format html is for ndr report only" \
  movements "$tiny" --at 2024-02 -o u.csv -o u.html
cp "$tiny" input.csv
usage "an input among several" \
  "ndr: -o 'input.csv' is the input file 'input.csv'; write the output to another file" \
  report input.csv -o u.xlsx -o input.csv
check "an input among several: untouched" cmp -s input.csv "$tiny"
many=()
for i in $(seq 17); do many+=(-o "many$i.csv"); done
usage "17 outputs" "ndr: 17 -o files; one run writes at most 16" report "$tiny" "${many[@]}"

# A failure to open one output: the others are not created, old files stay.
printf 'old report\n' > kept.csv
"$ndr" report "$tiny" -o kept.csv -o no-such-dir/r.html -o new.xlsx 2> err.txt
check "an unopenable second output: exit 1" [ $? -eq 1 ]
check "an unopenable second output: the message" \
  grep -qx "ndr: no-such-dir/r.html: cannot create a temporary file beside it: No such file or directory" err.txt
check "an unopenable second output: the first keeps its old content" [ "$(cat kept.csv)" = "old report" ]
check "an unopenable second output: the third is not created" [ ! -e new.xlsx ]
check "an unopenable second output: no temporary" no_temps
# A failure to make one output once the others are written (a cell too long
# for xlsx): none is replaced.
python3 -c "print('customer_id,date,mrr'); print('x' * 40000 + ',2024-01-31,1'); print('x' * 40000 + ',2024-02-29,2')" > long.csv
"$ndr" movements long.csv --at 2024-02 -o kept.csv -o long.xlsx 2> err.txt
check "a failed workbook after a written csv: exit 1" [ $? -eq 1 ]
check "a failed workbook after a written csv: the csv keeps its old content" [ "$(cat kept.csv)" = "old report" ]
check "a failed workbook after a written csv: no workbook" [ ! -e long.xlsx ]
check "a failed workbook after a written csv: no temporary" no_temps

# A typed -o replaces a config file's output instead of adding to it.
printf 'output = "from-config.csv"\n' > out.toml
"$ndr" report "$tiny" --config out.toml -o typed.html
check "config output and a typed -o: the typed one" [ -s typed.html ]
check "config output and a typed -o: not the config's" [ ! -e from-config.csv ]
"$ndr" report "$tiny" --config out.toml
"$ndr" report "$tiny" --format csv > tiny.csv
check "config output alone: written" cmp -s from-config.csv tiny.csv
printf 'output = ["both.csv", "both.xlsx"]\n' > both.toml
"$ndr" report "$tiny" --config both.toml
check "a config's list of outputs: both written" [ -s both.csv ] && [ -s both.xlsx ]

# Killed while waiting for its input: no temporary of any output is left.
wait_for_temps() {  # up to 10 s for 3 temporaries
  for _ in $(seq 100); do
    [ "$(find . -name '.killed*.ndr-*' | wc -l)" -eq 3 ] && return 0
    sleep 0.1
  done
  return 1
}
mkfifo stdin-pipe
set -m
for sig in INT TERM; do
  printf 'old report\n' > killed.csv
  exec 3<> stdin-pipe
  "$ndr" report - -o killed.csv -o killed.xlsx -o killed.html < stdin-pipe 2> /dev/null &
  pid=$!
  check "SIG$sig: three temporaries while the run waits" wait_for_temps
  kill -s "$sig" "$pid"
  wait "$pid" 2> /dev/null
  status=$?
  exec 3>&-
  check "SIG$sig: the run dies of it (status $status)" [ "$status" -eq $((128 + $(kill -l "$sig"))) ]
  check "SIG$sig: no temporary left" no_temps
  check "SIG$sig: the old file is untouched" [ "$(cat killed.csv)" = "old report" ]
  check "SIG$sig: no new file" [ ! -e killed.xlsx ] && [ ! -e killed.html ]
done
set +m

summary
