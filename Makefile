# The two-command quick start: `make run` and `make test` (see README.md).
# Both install any missing Debian package first, then build with CMake.

BUILD_DIR ?= build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES  := cmake make g++ libcli11-dev libfccp-dev libfmt-dev libhowardhinnant-date-dev \
             catch2 zlib1g-dev libpq-dev libxlsxwriter-dev python3 clang libclang-rt-14-dev \
             clang-format dpkg-dev
SAMPLE    ?= samples/realistic.csv
PREFIX    ?= /usr/local

FUZZ_SECONDS ?= 600

.PHONY: all deps build run test test-deps test-clickhouse install deb package clean fuzz sanitize

all: build

# $(call install_missing,PACKAGES,WHAT FOR,COMMANDS BEFORE): installs the
# packages that are missing, with apt-get when root, else prints the one line
# to run and fails.
define install_missing
@missing=$$(for p in $(1); do \
    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
  done | tr '\n' ' '); \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "ndr: installing $$missing$(2)"; \
    $(3) \
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null 2>&1 || \
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }; }; \
  else \
    echo "ndr: missing packages$(2); run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
  fi; \
fi
endef

deps:
	$(call install_missing,$(PACKAGES),,)

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds the ndr program alone (the tests and benchmarks are make test's).
run: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS) --target ndr
	$(BUILD_DIR)/ndr report $(SAMPLE)

# PostgreSQL runs the `ndr sql` tests in a private cluster of their own
# (tests/sql/): installed without the cluster Debian would create and start.
# man (man-db) renders the installed man pages in the package test;
# xlsx2csv reads the xlsx workbooks back (tests/e2e/xlsx.sh).
# Chromium renders the HTML report in one end-to-end test; that test skips,
# saying so, where it cannot be installed.
TEST_PACKAGES := postgresql man-db xlsx2csv

test-deps:
	$(call install_missing,$(TEST_PACKAGES), for the SQL package and xlsx tests,mkdir -p /etc/postgresql-common; \
	  [ -f /etc/postgresql-common/createcluster.conf ] || \
	    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf;)
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { echo "ndr: installing chromium for the HTML report test"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	    echo "ndr: chromium could not be installed; its test will be skipped"; }

test: build test-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# ndr sql against ClickHouse (chDB from the npm registry, about 570 MB, into
# the build folder): not part of `make test` because of the download.
test-clickhouse: build
	bash tests/sql/clickhouse.sh $(CURDIR)/$(BUILD_DIR)/ndr $(CURDIR)/$(BUILD_DIR)/ndr-gen $(CURDIR) $(CURDIR)/$(BUILD_DIR)

# The four readers (snapshots, subscriptions, rates, config) under libFuzzer
# with ASan and UBSan, FUZZ_SECONDS each, in build-fuzz/ (clang).
fuzz: deps
	bash tests/fuzz/run.sh $(CURDIR) $(CURDIR)/build-fuzz $(FUZZ_SECONDS)

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNDR_SANITIZE=ON
	cmake --build build-sanitize -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-sanitize --output-on-failure -j $(JOBS)

# The program, its man pages and shell completions, and the docs, under
# PREFIX (and DESTDIR, for staging): the files the Debian package has, from the
# same install() rules (cmake/Packaging.cmake).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The Debian package, $(BUILD_DIR)/ndr_VERSION_ARCH.deb (cpack; Depends read
# off the binary by dpkg-shlibdeps): sudo apt install ./build/ndr_*.deb
deb: build
	cd $(BUILD_DIR) && cpack -G DEB
package: deb

clean:
	rm -rf $(BUILD_DIR) build-fuzz build-sanitize
