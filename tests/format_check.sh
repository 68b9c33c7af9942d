#!/usr/bin/env bash
# Every C++ file in the repository is formatted by the repository's
# .clang-format (Google style); fails listing the files that are not, with the
# command that fixes them. Usage: format_check.sh ROOT
root=$1
cd "$root" || exit 1
command -v clang-format >/dev/null || { echo "clang-format is not installed (make deps installs it)"; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find src include tests bench -name '*.cpp' -o -name '*.h')
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted by .clang-format (${#bad[@]} of ${#files[@]} files):"
  printf '  %s\n' "${bad[@]}"
  echo "fix with: clang-format -i ${bad[*]}"
  exit 1
fi
echo "${#files[@]} files formatted"
