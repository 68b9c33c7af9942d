#!/usr/bin/env bash
# Runs every line of samples/expected/MANIFEST and compares the output byte for byte.
# Usage: golden.sh NDR_BINARY PROJECT_ROOT
set -u
ndr=$1
cd "$2" || exit 1
failed=0 passed=0
while IFS='|' read -r expected args; do
  expected=$(echo "$expected" | xargs)
  [ -z "$expected" ] || [ "${expected:0:1}" = "#" ] && continue
  # shellcheck disable=SC2086
  # Exit statuses are errors.sh's business; here only the bytes count.
  actual=$("$ndr" $args 2>/dev/null)
  if diff -u "samples/expected/$expected" <(printf '%s\n' "$actual"); then
    passed=$((passed + 1))
  else
    echo "FAIL: ndr$args (expected samples/expected/$expected)"
    failed=$((failed + 1))
  fi
done < samples/expected/MANIFEST
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
