#!/usr/bin/env bash
# Installing ndr like any other tool: cpack builds a .deb holding the program,
# its man pages, the three shell completions and the docs; the program runs
# from the unpacked package; the man pages render without a warning; the bash
# completion completes commands, options and values; `make install` installs
# the same files. Needs no root. Needs a full build (the man pages and
# completions are written by the build).
# Usage: package.sh NDR_BINARY PROJECT_ROOT BUILD_DIR
set -u
ndr=$1
root=$2
build=$3
# shellcheck source=e2e_lib.sh
source "$root/tests/e2e_lib.sh"
export LC_ALL=C.UTF-8

if ! cpack --config "$build/CPackConfig.cmake" -B "$tmp/deb" >cpack.log 2>&1; then
  cat cpack.log
  echo "FAIL: cpack"
  exit 1
fi
deb=$(echo "$tmp"/deb/ndr_*.deb)
check "cpack wrote one ndr_*.deb" [ -f "$deb" ]
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: ndr" [ "$(field Package)" = ndr ]
check "Version: ndr --version's" [ "ndr $(field Version)" = "$("$ndr" --version)" ]
check "Depends: libfmt9, libpq5, libxlsxwriter4, zlib1g" grep -Eq 'libfmt9.*libpq5.*libxlsxwriter4.*zlib1g' <<<"$(field Depends)"
for name in Maintainer Section Description; do check "$name: set" [ -n "$(field "$name")" ]; done

# The package's files, as absolute paths (folders left out).
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' | grep -v '/$' | sort >deb-files.txt
wanted=(/usr/bin/ndr /usr/share/man/man1/ndr.1.gz /usr/share/man/man1/ndr-report.1.gz
  /usr/share/bash-completion/completions/ndr /usr/share/zsh/vendor-completions/_ndr
  /usr/share/fish/vendor_completions.d/ndr.fish /usr/share/doc/ndr/copyright
  /usr/share/doc/ndr/README.md /usr/share/doc/ndr/changelog.gz)
for md in "$root"/docs/*.md; do wanted+=("/usr/share/doc/ndr/docs/${md##*/}"); done
for f in "${wanted[@]}"; do check "the package has $f" grep -qx "$f" deb-files.txt; done

# The program, from the unpacked package.
dpkg-deb -x "$deb" pkg
check "pkg/usr/bin/ndr --version" [ "$(pkg/usr/bin/ndr --version)" = "$("$ndr" --version)" ]
check "pkg/usr/bin/ndr report samples/tiny.csv" \
  [ "$(pkg/usr/bin/ndr report "$root/samples/tiny.csv")" = "$("$ndr" report "$root/samples/tiny.csv")" ]

# The man pages render, without a warning, and hold the commands' options.
if ! command -v man >/dev/null; then
  echo "FAIL: man is not installed (make test-deps installs man-db)"
  failed=$((failed + 1))
else
  for page in pkg/usr/share/man/man1/*.1.gz; do
    MANWIDTH=80 man --warnings=w -l "$page" >page.txt 2>warnings.txt  # all of groff's warnings
    check "man --warnings=w -l ${page##*/}: no warnings" [ ! -s warnings.txt ]
    check "man -l ${page##*/}: not empty" [ -s page.txt ]
    check "lexgrog ${page##*/}: a NAME line" grep -q ' - ' <<<"$(lexgrog "$page")"
  done
  MANWIDTH=80 man -l pkg/usr/share/man/man1/ndr.1.gz >ndr.txt 2>/dev/null
  check "ndr.1 lists ndr report" grep -q 'ndr report' ndr.txt
  check "ndr.1 has --min-ndr" grep -q -- '--min-ndr' ndr.txt
  check "ndr.1 has sql's --dialect with its values" grep -q 'postgres,duckdb' ndr.txt
fi

# The completions are `ndr completion SHELL` (tests/e2e/completion.sh tests
# those), and the installed bash one completes.
share=pkg/usr/share
check "bash completion is ndr completion bash" cmp -s "$share/bash-completion/completions/ndr" <("$ndr" completion bash)
check "zsh completion is ndr completion zsh" cmp -s "$share/zsh/vendor-completions/_ndr" <("$ndr" completion zsh)
check "fish completion is ndr completion fish" cmp -s "$share/fish/vendor_completions.d/ndr.fish" <("$ndr" completion fish)
completions() {  # completions WORD...: what _ndr offers for `ndr WORD...`
  bash -c 'source "$0"; COMP_WORDS=(ndr "$@"); COMP_CWORD=$#; _ndr; echo "${COMPREPLY[*]}"' \
    "$share/bash-completion/completions/ndr" "$@"
}
check "ndr rep<TAB>: report" [ "$(completions rep)" = report ]
check "ndr report --per<TAB>: --period" [ "$(completions report --per)" = --period ]
check "ndr report --period <TAB>: month quarter year" \
  [ "$(completions report --period '')" = "month quarter year" ]

# make install: the same files, from the same install() rules (-o build: the
# build is done; don't make it again).
make -s -C "$root" -o build install BUILD_DIR="$build" PREFIX=/usr DESTDIR="$tmp/installed" >install.log 2>&1
check "make install DESTDIR=… PREFIX=/usr succeeds" [ $? -eq 0 ]
(cd installed && find . ! -type d | sed 's|^\.||' | sort) >installed-files.txt
check "make install installs the package's files" diff deb-files.txt installed-files.txt
same_content() {  # all but the binary, which cpack strips
  local f
  while read -r f; do
    [ "$f" = /usr/bin/ndr ] || cmp -s "pkg$f" "installed$f" || { echo "differs: $f"; return 1; }
  done <deb-files.txt
}
check "make install's files are the package's, byte for byte" same_content

# Debian's own checker, where it is installed (not required): no error or
# warning tag.
if command -v lintian >/dev/null; then
  lintian "$deb" 2>/dev/null | grep -E '^(E|W):' >lintian.txt
  check "lintian: no error or warning ($(head -c 200 lintian.txt))" test ! -s lintian.txt
fi

summary
