# Shared by the end-to-end scripts in tests/e2e/ (sourced, not run): a
# scratch folder to work in and the checks that count passes and failures.
# The sourcing script sets `ndr` first; it ends with `summary`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 passed=0

# check NAME CONDITION...: passes when CONDITION succeeds.
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

# check_run stderr|stdout STATUS WANT ARGS...: runs `ndr ARGS`, checks the
# exit status and the whole of one stream.
check_run() {
  local stream=$1 status=$2 want=$3
  shift 3
  local got rc
  if [ "$stream" = stderr ]; then got=$("$ndr" "$@" 2>&1 >/dev/null); else got=$("$ndr" "$@" 2>/dev/null); fi
  rc=$?
  if [ "$rc" -eq "$status" ] && [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: ndr %s\n  want %s: %s\n  got  %s: %s\n' "$*" "$status" "$want" "$rc" "$got"
  fi
}
expect() { check_run stderr "$@"; }      # expect STATUS EXPECTED_STDERR ARGS...
expect_out() { check_run stdout "$@"; }  # expect_out STATUS EXPECTED_STDOUT ARGS...

# The closing line CTest's log shows, and the exit status.
summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
