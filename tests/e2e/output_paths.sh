#!/usr/bin/env bash
# What -o writes to (docs/cli.md#writing-to-a-file--o): FIFOs and devices in
# place, symlinks followed, never an input, the old mode kept, no temporary
# left by a signal or a SIGKILLed run, the format from the name (.gz too).
# Usage: output_paths.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
no_temps() { [ -z "$(find . -name '.*.ndr-*')" ]; }
tiny=$root/samples/tiny.csv
"$ndr" report "$tiny" > table.txt
"$ndr" report "$tiny" --format csv > report.csv

# Not a regular file: written into, like the shell's >, never replaced.
mkfifo pipe
timeout 10 cat pipe > from-pipe.txt &  # not forever, should ndr replace the FIFO
reader=$!
"$ndr" report "$tiny" -o pipe
check "a FIFO: exit 0" [ $? -eq 0 ]
wait "$reader"
check "a FIFO: the reader gets the report" cmp -s from-pipe.txt table.txt
check "a FIFO stays a FIFO" [ -p pipe ]
# The null device: as root, a private one (mknod), since a regression would
# otherwise replace the system's /dev/null; others cannot write to /dev, so
# theirs is safe to use.
null=/dev/null
if [ -w /dev ]; then
  mknod null-device c 1 3 2> /dev/null && printf x 2> /dev/null > null-device && null=./null-device
fi
if [ "$null" = /dev/null ] && [ -w /dev ]; then
  echo "skipped: the null device (cannot make a private one, and /dev is writable)"
else
  "$ndr" report "$tiny" -o "$null"
  check "$null: exit 0" [ $? -eq 0 ]
  check "$null stays a character device" [ -c "$null" ]
fi
# /dev/stdout, as our own link (a regression would replace the link, not /dev/stdout).
ln -s /proc/self/fd/1 stdout-link
"$ndr" report "$tiny" -o stdout-link | cat > via-stdout.txt
check "-o /dev/stdout (a pipe) takes the default table" cmp -s via-stdout.txt table.txt
check "the /dev/stdout link stays" [ -L stdout-link ]
check "no temporary after writing in place" no_temps

# A symlink is followed; the link stays and its target gets the report.
mkdir -p dir
printf 'old\n' > dir/target.csv
ln -s dir/target.csv link.csv
"$ndr" report "$tiny" -o link.csv
check "a symlink stays a symlink" [ -L link.csv ] && [ "$(readlink link.csv)" = dir/target.csv ]
check "the symlink's target holds the new report" cmp -s dir/target.csv report.csv
check "no temporary beside the link or the target" no_temps

# An input named as the output: refused before anything is read.
refused() {  # refused NAME KEPT MESSAGE ARGS...: exit 2, exactly MESSAGE, KEPT untouched
  local name=$1 kept=$2 message=$3
  shift 3
  cp "$kept" "$kept.orig"
  "$ndr" "$@" 2> err.txt
  check "$name: exit 2 (usage error)" [ $? -eq 2 ]
  check "$name: the message names both" grep -qx "$message" err.txt
  check "$name: untouched" cmp -s "$kept" "$kept.orig"
}
cp "$tiny" input.csv
cp input.csv input.orig
refused "-o an input" input.csv \
  "ndr: -o 'input.csv' is the input file 'input.csv'; write the output to another file" \
  report input.csv -o input.csv
ln -s input.csv input-link.csv
refused "-o a link to an input" input.csv \
  "ndr: -o 'input-link.csv' is the input file 'input.csv'; write the output to another file" \
  report "$tiny" input.csv --format csv -o input-link.csv
printf 'customer_id,parent_id\n' > map.csv
refused "-o the --customer-map file" map.csv \
  "ndr: -o 'map.csv' is the --customer-map file 'map.csv'; write the output to another file" \
  report "$tiny" --customer-map map.csv -o map.csv
printf 'date,currency,rate\n' > rates.csv
refused "-o the --fx file" rates.csv \
  "ndr: -o 'rates.csv' is the --fx rates file 'rates.csv'; write the output to another file" \
  report "$tiny" --fx rates.csv -o rates.csv
"$ndr" report - -o input.csv < input.csv 2> err.txt
check "-o the file on standard input: exit 2" [ $? -eq 2 ]
check "-o the file on standard input: untouched" cmp -s input.csv input.orig

# Replacing a file keeps its mode.
printf 'old\n' > private.csv
chmod 600 private.csv
(umask 022 && "$ndr" report "$tiny" -o private.csv)
check "mode 0600 kept after replacement" [ "$(stat -c %a private.csv)" = 600 ]
check "the replaced file holds the report" cmp -s private.csv report.csv
chmod 640 dir/target.csv
"$ndr" report "$tiny" -o link.csv
check "the symlink target's mode 0640 kept" [ "$(stat -c %a dir/target.csv)" = 640 ]

# A SIGKILLed run's temporary is removed by the next run; a live run's is not.
sh -c 'exit 0' &
dead=$!
wait "$dead"
printf 'partial' > ".out.csv.ndr-$dead-abcdef"
printf 'live' > ".out.csv.ndr-$$-abcdef"
printf 'other' > ".other.csv.ndr-$dead-abcdef"
"$ndr" report "$tiny" -o out.csv
check "a dead run's temporary is removed" [ ! -e ".out.csv.ndr-$dead-abcdef" ]
check "a live run's temporary is kept" [ -e ".out.csv.ndr-$$-abcdef" ]
check "another target's temporary is kept" [ -e ".other.csv.ndr-$dead-abcdef" ]
check "the report is written" cmp -s out.csv report.csv
rm -f ".out.csv.ndr-$$-abcdef" ".other.csv.ndr-$dead-abcdef"

# Each catchable signal kills a run mid-way without leaving its temporary.
# The run reads standard input from a FIFO held open and empty, so it waits
# with its temporary created; job control (set -m) keeps INT and QUIT from
# being ignored in the background job.
wait_for_temp() {  # up to 10 s
  for _ in $(seq 100); do
    [ -n "$(find . -name '.killed.csv.ndr-*')" ] && return 0
    sleep 0.1
  done
  return 1
}
mkfifo stdin-pipe
set -m
for sig in HUP INT QUIT TERM PIPE ALRM USR1 USR2 XCPU XFSZ; do
  printf 'old report\n' > killed.csv
  exec 3<> stdin-pipe
  "$ndr" report - -o killed.csv < stdin-pipe 2> /dev/null &
  pid=$!
  check "SIG$sig: the temporary exists while the run waits" wait_for_temp
  kill -s "$sig" "$pid"
  wait "$pid" 2> /dev/null
  status=$?
  exec 3>&-
  check "SIG$sig: the run dies of it (status $status)" [ "$status" -eq $((128 + $(kill -l "$sig"))) ]
  check "SIG$sig: no temporary left" no_temps
  check "SIG$sig: the old file is untouched" [ "$(cat killed.csv)" = "old report" ]
done
set +m

# The format follows the name; .gz compresses what it wraps.
"$ndr" report "$tiny" -o out.csv.gz
check "-o x.csv.gz: exit 0" [ $? -eq 0 ]
check "-o x.csv.gz gunzips to the csv report" cmp -s <(gzip -dc out.csv.gz) report.csv
"$ndr" report "$tiny" --format csv -o forced.csv.gz
check "--format csv -o x.csv.gz gzips the csv" cmp -s <(gzip -dc forced.csv.gz) report.csv
"$ndr" report "$tiny" -o plain.gz
check "-o x.gz (no inner extension) gzips the table" cmp -s <(gzip -dc plain.gz) table.txt
"$ndr" report "$tiny" -o report.txt
check "-o report.txt takes the default table" cmp -s report.txt table.txt
"$ndr" report "$tiny" --format csv -o x.json 2> err.txt
check "--format csv -o x.json: exit 2" [ $? -eq 2 ]
check "--format csv -o x.json: the message" \
  grep -qx "ndr: -o 'x.json' is a json file name, but the output is csv (--format csv)" err.txt
check "--format csv -o x.json: x.json not created" [ ! -e x.json ]
"$ndr" report "$tiny" --format json -o x.csv.gz 2> err.txt
check "--format json -o x.csv.gz: exit 2" [ $? -eq 2 ]
check "--format json -o x.csv.gz: not created" [ ! -e x.csv.gz ]
"$ndr" validate "$tiny" -o checked.csv 2> err.txt
check "validate -o x.csv (it writes text): exit 2" [ $? -eq 2 ]
check "validate -o x.csv: the message" \
  grep -qx "ndr: -o 'checked.csv' is a csv file name, but the output is text" err.txt
"$ndr" snapshots "$tiny" --input subscriptions -o snapshots.json 2> err.txt
check "snapshots -o x.json (it writes csv): exit 2" [ $? -eq 2 ]
check "no file written under a name of another format" [ ! -e checked.csv ] && [ ! -e snapshots.json ]
check "no temporary left at the end" no_temps

summary
