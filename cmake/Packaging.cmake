# Installing ndr like any other tool: the program, its man pages and shell
# completions, and its docs. The man pages and completions are written at
# build time by the program itself (from its --help and its CLI11 options), so
# they never drift from the options. `make install` (cmake --install) and the
# Debian package (`make deb`, CPack) run the same install() rules below, so
# they install the same files.
include(GNUInstallDirs)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# Man pages: ndr.1 and ndr-COMMAND.1, from `ndr --help` and each command's.
set(NDR_MAN_DIR ${CMAKE_CURRENT_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${NDR_MAN_DIR}/ndr.1.gz
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/man_page.py
          $<TARGET_FILE:ndr> ${NDR_MAN_DIR}
  DEPENDS ndr ${CMAKE_CURRENT_SOURCE_DIR}/cmake/man_page.py
  COMMENT "Writing the man pages from ndr's --help"
  VERBATIM)

# Completions: `ndr completion SHELL`, written whole or not at all.
set(NDR_COMPLETION_DIR ${CMAKE_CURRENT_BINARY_DIR}/completions)
set(NDR_COMPLETIONS)
foreach(shell_file bash:ndr zsh:_ndr fish:ndr.fish)
  string(REPLACE ":" ";" shell_file ${shell_file})
  list(GET shell_file 0 shell)
  list(GET shell_file 1 file)
  set(out ${NDR_COMPLETION_DIR}/${shell}/${file})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${NDR_COMPLETION_DIR}/${shell}
    COMMAND sh -c "\"$0\" completion $1 > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
            $<TARGET_FILE:ndr> ${shell} ${out}
    DEPENDS ndr
    COMMENT "Writing the ${shell} completion from ndr's options"
    VERBATIM)
  list(APPEND NDR_COMPLETIONS ${out})
endforeach()
add_custom_target(ndr_man_and_completions ALL DEPENDS ${NDR_MAN_DIR}/ndr.1.gz ${NDR_COMPLETIONS})

# Debian wants the licence as share/doc/ndr/copyright, in its machine-readable
# format: LICENSE's copyright line and text, indented, blank lines as " .".
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE license)
string(REGEX MATCH "Copyright \\(c\\) ([^\n]*)" _ "${license}")
set(holder ${CMAKE_MATCH_1})
string(REGEX REPLACE "^.*Copyright \\(c\\) [^\n]*\n\n" "" terms "${license}")
string(REGEX REPLACE "\n+$" "" terms "${terms}")
string(REGEX REPLACE "\n\n" "\n.\n" terms "${terms}")
string(REGEX REPLACE "\n" "\n " terms "${terms}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/copyright
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: ndr\n\nFiles: *\nCopyright: ${holder}\nLicense: MIT\n ${terms}\n")

# Debian wants a changelog too (share/doc/ndr/changelog.gz), gzipped
# without a time stamp so that the same sources give the same bytes.
set(NDR_MAINTAINER "ndr maintainers <maintainers@users.noreply.example>"
    CACHE STRING "The Debian package's Maintainer field")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/packaging/changelog.in
               ${CMAKE_CURRENT_BINARY_DIR}/changelog @ONLY)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
  COMMAND gzip -9 -n -f -k ${CMAKE_CURRENT_BINARY_DIR}/changelog
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog
  VERBATIM)
add_custom_target(ndr_changelog ALL
                  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)

install(TARGETS ndr RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${NDR_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1.gz")
install(FILES ${NDR_COMPLETION_DIR}/bash/ndr
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${NDR_COMPLETION_DIR}/zsh/_ndr
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${NDR_COMPLETION_DIR}/fish/ndr.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES README.md ${CMAKE_CURRENT_BINARY_DIR}/copyright
              ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)  # README links docs/…

# The Debian package: `make deb` (cpack -G DEB) writes build/ndr_VERSION_ARCH.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ndr)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${NDR_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "net dollar retention, GRR and logo retention from billing exports")
set(CPACK_PACKAGE_DESCRIPTION [[
ndr reads a billing export (MRR snapshots, or subscriptions from Stripe,
Chargebee or the dbt MRR playbook) and reports net dollar retention, gross
revenue retention and logo retention per month, quarter or fiscal year, as a
table, CSV, JSON, Markdown, an HTML page or an XLSX workbook. It also lists
the customers behind a period, draws the cohort triangle, checks an export
and writes the report as one SQL query for a warehouse.]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: dpkg-shlibdeps (dpkg-dev) reads them off the binary, with versions;
# without it, the libraries `ldd ndr` shows beyond the C library's own.
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libfmt9, libgcc-s1, libpq5, libstdc++6, libxlsxwriter4, zlib1g")
endif()
include(CPack)
