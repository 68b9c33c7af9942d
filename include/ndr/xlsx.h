// The xlsx workbook: report rows, ledgers and cohort cells in, the bytes of
// an .xlsx file out (libxlsxwriter). Nothing here touches the output file.
//
// Each sheet holds exactly the fields and rows --format csv prints
// (format.h's machine tables), typed: money as numbers in a currency format,
// ratios as numbers in a percentage format (an empty cohort's as blank
// cells), dates as dates, counts as numbers, the rest as text. A number is
// converted to a double only to be stored, from csv's exact 2- or 4-decimal
// text, so that reading it back gives that text again (up to 15 significant
// digits, which is all a spreadsheet holds). The first row is the field
// names, bold and frozen, with an autofilter.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "ndr/engine.h"

namespace ndr {

struct xlsx_options {
  bool arr = false;  // money ×12, as csv with --arr
  // The reporting currency's code, when the input names one; empty: money
  // without a symbol.
  std::string currency;
  // The document's creation time; 0: a fixed one (1980-01-01, as the zip
  // entries' own dates), so that the same input gives the same bytes.
  std::time_t created = 0;
};

// The number format of money cells: "$"#,##0.00 for USD, #,##0.00 "EUR" for
// another code, #,##0.00 without one.
std::string money_number_format(std::string_view currency);

// The ledger of one report row, for ndr report's Movements sheet.
struct xlsx_ledger {
  const std::vector<ledger_line>& lines;
  const snapshot_store& store;  // names the lines' customers
  std::string period;           // the row's period label
};

// The most rows a worksheet holds below its header.
inline constexpr size_t kXlsxMaxRows = 1'048'575;

// ndr report's workbook, its sheets in this order:
// - "Report": the total rows, as --format csv prints an unsegmented report
//   (with --segment-by, the "(all)" rows without the segment field);
// - "Chart": NDR, GRR and logo retention of the Report rows, a line chart
//   (when there is a row);
// - "Segments" (segmented reports): every row, as --format csv prints them;
// - "Movements" (when `movements` is given): the ledger, as
//   ndr movements --format csv prints it, after a first field `period`;
// - "Cohorts": the cohort cells, as ndr cohorts --format csv prints them.
// Throws std::runtime_error when libxlsxwriter fails or a sheet has more rows
// than a worksheet holds (1,048,575 below the header), and InputError as
// render_report does.
std::string report_xlsx(const report& r,
                        const std::vector<cohort_cell>& cohorts,
                        const xlsx_ledger* movements,
                        const xlsx_options& options);

// ndr movements' workbook: its "Movements" sheet alone.
std::string ledger_xlsx(const xlsx_ledger& movements,
                        const xlsx_options& options);

// ndr cohorts' workbook: its "Cohorts" sheet alone.
std::string cohorts_xlsx(const std::vector<cohort_cell>& cells,
                         const period_scheme& scheme,
                         const xlsx_options& options);

}  // namespace ndr
