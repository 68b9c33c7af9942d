#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in their own build folder. For each target it
# replays tests/fuzz/regressions/TARGET/ (crashes found before; files directly
# in regressions/ are the loader's), then fuzzes for SECONDS from its seed
# corpus plus every file under tests/hostile/ when that folder exists. A new
# crash fails the run and names the input file to keep as a regression test.
# Targets: load (corpus/), subscriptions, rates, config (corpus-TARGET/).
# Usage: run.sh PROJECT_ROOT BUILD_DIR [SECONDS_EACH [TARGET...]]
#   (all four targets by default; JOBS sets the build's parallelism)
set -euo pipefail
root=$1
build=$2
seconds=${3:-60}
shift $(($# < 3 ? $# : 3))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load subscriptions rates config)

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is not installed (make deps installs it)" >&2
  exit 1
fi
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNDR_FUZZ=ON -DNDR_BUILD_TESTS=OFF >/dev/null
for t in "${targets[@]}"; do
  cmake --build "$build" --target "ndr_${t}_fuzzer" -j "${JOBS:-$(nproc)}" >/dev/null
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The seeds of target $1 copied into folder $2.
seed() {
  local corpus=$root/tests/fuzz/corpus-$1 i=0 f
  [ "$1" = load ] && corpus=$root/tests/fuzz/corpus
  cp "$corpus"/* "$2"/
  if [ -d "$root/tests/hostile" ]; then
    while IFS= read -r -d '' f; do
      cp "$f" "$2/hostile-$((i += 1))"
    done < <(find "$root/tests/hostile" -type f -print0)
  fi
}

# Replays target $1's regressions, then fuzzes it.
fuzz() {
  local name=$1 fuzzer=$build/tests/fuzz/ndr_$1_fuzzer dir=$work/$1
  local regressions=()
  [ -d "$root/tests/fuzz/regressions/$name" ] &&
    mapfile -t regressions < <(find "$root/tests/fuzz/regressions/$name" -type f)
  [ "$name" = load ] && [ -d "$root/tests/fuzz/regressions" ] &&
    mapfile -t -O "${#regressions[@]}" regressions < <(find "$root/tests/fuzz/regressions" -maxdepth 1 -type f)
  if [ ${#regressions[@]} -gt 0 ]; then
    "$fuzzer" -rss_limit_mb=2048 "${regressions[@]}" 2>&1 | tail -n 1
  fi
  mkdir -p "$dir/corpus" "$dir/artifacts"
  seed "$name" "$dir/corpus"
  if ! "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$dir/artifacts/" "$dir/corpus" > "$dir/log" 2>&1; then
    tail -n 40 "$dir/log"
    mkdir -p "$root/tests/fuzz/found/$name"
    cp "$dir"/artifacts/* "$root/tests/fuzz/found/$name/" 2>/dev/null || true
    echo "fuzz: $name: a crash; its input is in tests/fuzz/found/$name/ — fix it, then keep it in tests/fuzz/regressions/$name/" >&2
    return 1
  fi
  echo "fuzz: $name: $(grep -E "^stat::number_of_executed_units" "$dir/log" | tr -s ' ' | cut -d' ' -f2) runs, no crash in ${seconds}s"
}

status=0
for t in "${targets[@]}"; do fuzz "$t" || status=1; done
exit $status
