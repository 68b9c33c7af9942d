#!/usr/bin/env bash
# Builds the libFuzzer target with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in its own build folder, replays every input in
# tests/fuzz/regressions/ (crashes found before), then fuzzes for SECONDS from
# the seed corpus. A new crash fails the run and names the input file to keep
# as a regression test.
# Usage: run.sh PROJECT_ROOT BUILD_DIR [SECONDS]
set -euo pipefail
root=$1
build=$2
seconds=${3:-60}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is not installed (make deps installs it)" >&2
  exit 1
fi
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNDR_FUZZ=ON -DNDR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ndr_load_fuzzer -j "$(nproc)" >/dev/null
fuzzer=$build/tests/fuzz/ndr_load_fuzzer

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

regressions=("$root"/tests/fuzz/regressions/*)
if [ -e "${regressions[0]}" ]; then
  "$fuzzer" -rss_limit_mb=2048 "${regressions[@]}" 2>&1 | tail -n 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root"/tests/fuzz/corpus/* "$work"/
mkdir "$work/artifacts"
if ! "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
     -artifact_prefix="$work/artifacts/" "$work" > "$work/log" 2>&1; then
  tail -n 40 "$work/log"
  mkdir -p "$root/tests/fuzz/found"
  cp "$work"/artifacts/* "$root/tests/fuzz/found/" 2>/dev/null || true
  echo "fuzz: a crash; its input is in tests/fuzz/found/ — fix it, then keep it in tests/fuzz/regressions/" >&2
  exit 1
fi
grep -E "^stat::number_of_executed_units|^Done" "$work/log" || true
echo "fuzz: no crash in ${seconds}s"
