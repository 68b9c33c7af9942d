#!/usr/bin/env bash
# -o FILE is atomic (SPEC §5): whole file or the old one, never a part; no
# temporary left behind; the finished file has umask permissions.
# Usage: output.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
root=$2
# shellcheck source=../e2e_lib.sh
source "$root/tests/e2e_lib.sh"
old_or_whole() {  # the old content, or the complete report (header + 12 monthly rows)
  [ "$(cat "$1")" = "old report" ] || { [ "$(wc -l < "$1")" -eq 12 ] && cmp -s "$1" whole.csv; }
}
no_temps() { [ -z "$(find . -name '.*.ndr-*')" ]; }

"$ndr" report "$root/samples/tiny.csv" --format csv > stdout.csv
(umask 022 && "$ndr" report "$root/samples/tiny.csv" -o out.csv)
check "-o writes what stdout gets (format from the .csv extension)" cmp -s out.csv stdout.csv
check "-o file has umask 022 permissions" [ "$(stat -c %a out.csv)" = 644 ]
(umask 077 && "$ndr" report "$root/samples/tiny.csv" -o private.json)
check "-o file has umask 077 permissions" [ "$(stat -c %a private.json)" = 600 ]
check "-o .json infers json" grep -q '"rows"' private.json
check "no temporary file after success" no_temps

printf 'old report\n' > keep.csv
printf 'customer_id,date,mrr\na,2024-01-31,oops\n' > bad.csv
"$ndr" report bad.csv -o keep.csv 2>/dev/null
check "a failed run exits 1" [ $? -eq 1 ]
check "a failed run leaves the old file untouched" [ "$(cat keep.csv)" = "old report" ]
check "no temporary file after failure" no_temps

"$ndr" report "$root/samples/tiny.csv" -o no-such-dir/out.csv 2>err.txt
check "an unwritable -o exits 1" [ $? -eq 1 ]
check "an unwritable -o names the path" grep -q "no-such-dir/out.csv: cannot create a temporary file beside it" err.txt

# Killed mid-run, at different moments: never a partial file, never a temporary.
python3 - > big.csv <<'PY'
import random
r = random.Random(7)
print("customer_id,date,mrr")
for m in range(1, 13):
    d = f"2024-{m:02d}-28"
    for c in range(60000):
        print(f"c{c},{d},{r.randrange(1, 100000) / 100:.2f}")
PY
"$ndr" report big.csv --format csv > whole.csv
for delay in 0.05 0.2 0.5 1 2; do
  printf 'old report\n' > killed.csv
  "$ndr" report big.csv -o killed.csv --format csv &
  pid=$!
  sleep "$delay"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  check "killed after ${delay}s: the old file or the whole new one" old_or_whole killed.csv
  check "killed after ${delay}s: no temporary left" no_temps
done

summary
