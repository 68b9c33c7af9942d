// The xlsx workbook (include/ndr/xlsx.h). What the cells hold, read back by
// an independent reader, is tests/e2e/xlsx.sh's: here the number formats,
// the bytes' determinism and the errors.
#include "ndr/xlsx.h"

#include <catch2/catch.hpp>

#include "ndr/load.h"

namespace {

ndr::report sample() {
  const auto store = ndr::load_texts(
      {{"t.csv",
        "customer_id,date,mrr\nA,2024-01-31,10\nB,2024-01-31,20\n"
        "A,2024-02-29,15\nC,2024-02-29,5\n"}},
      {});
  return ndr::build_report(store, {});
}

}  // namespace

TEST_CASE("money cells carry the reporting currency when it is known") {
  CHECK(ndr::money_number_format("") == "#,##0.00");
  CHECK(ndr::money_number_format("USD") == "\"$\"#,##0.00");
  CHECK(ndr::money_number_format("EUR") == "#,##0.00 \"EUR\"");
  CHECK(ndr::money_number_format("JPY") == "#,##0.00 \"JPY\"");
}

TEST_CASE("a workbook is a zip, the same bytes for the same report") {
  const auto r = sample();
  const std::string once = ndr::report_xlsx(r, {}, nullptr, {});
  CHECK(once.substr(0, 4) == "PK\x03\x04");
  CHECK(ndr::report_xlsx(r, {}, nullptr, {}) == once);
  ndr::xlsx_options stamped;
  stamped.created = 1'700'000'000;  // --stamp: the time it was made
  CHECK(ndr::report_xlsx(r, {}, nullptr, stamped) != once);
}

TEST_CASE("a sheet with more rows than a worksheet holds is an error") {
  const std::vector<ndr::cohort_cell> cells(1'048'576);
  CHECK_THROWS_WITH(ndr::cohorts_xlsx(cells, {}, {}),
                    "the xlsx Cohorts sheet would have 1048576 rows, and a "
                    "worksheet holds 1048575 below its header; write csv "
                    "instead");
}

TEST_CASE("a libxlsxwriter failure names the sheet") {
  const std::string id(40'000, 'x');  // a cell holds 32,767 characters
  const auto store = ndr::load_texts(
      {{"t.csv", "customer_id,date,mrr\n" + id + ",2024-01-31,1\n" + id +
                     ",2024-02-29,1\n"}},
      {});
  const auto lines = *ndr::build_ledger(
      store, {}, *ndr::period_scheme{}.parse_label("2024-02"));
  CHECK_THROWS_WITH(
      ndr::ledger_xlsx({lines, store, "2024-02"}, {}),
      Catch::StartsWith("cannot write the xlsx Movements sheet: "));
}
