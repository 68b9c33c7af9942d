// Formatters: report rows, ledgers and cohort triangles in, text out.
// Nothing here touches files.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ndr/engine.h"

namespace ndr {

enum class output_format { table, csv, json, markdown, html, xlsx };

struct format_options {
  output_format format = output_format::table;
  bool wide = false;  // table/markdown: every field instead of the short set
  bool arr = false;   // money ×12 (annual run rate); ratios unchanged
  bool logos =
      false;  // cohort triangle table: logo retention instead of revenue
  // json metadata, when --skip-bad-rows skipped rows: how many, and the
  // FILE:LINE of the first few (keys skipped_rows and skipped_first).
  std::uint64_t skipped_rows = 0;
  std::vector<std::string> skipped_first;

  static format_options of(output_format f) {
    format_options o;
    o.format = f;
    return o;
  }
};

// The whole report as text. csv and json follow SPEC §5 exactly; table and
// markdown are for people. Throws InputError if --arr overflows the money type.
std::string render_report(const report& r, const format_options& options);

// "2024-01 is the data's first month: its 4 customers (100,000.00 MRR on
// 2024-01-31) are all new; no row counts them as new." for opening_row, or
// "" when there is none. Under the table and markdown, and in html.
std::string opening_sentence(const report& r, bool arr);

// A movements ledger for the row of `period` (csv: customer_id,[segment,]
// start_mrr,end_mrr,movement,delta).
std::string render_ledger(const std::vector<ledger_line>& lines,
                          const snapshot_store& store,
                          const report_options& report, std::int64_t period,
                          const format_options& options);

// A cohort triangle (csv: cohort,age,customers,starting_mrr,mrr,
// revenue_retention,logo_retention; the table is the triangle itself).
std::string render_cohorts(const std::vector<cohort_cell>& cells,
                           const period_scheme& scheme,
                           const format_options& options);

// What a csv field holds, for a format that types its cells (xlsx.h).
enum class field_kind { text, date, count, money, ratio };

// One value as csv spells it, before quoting: "1234.50", "1.0500", "" for an
// undefined ratio, "2024-01-31", 12; text as it is (no spreadsheet
// apostrophe: that is csv's own defence).
struct machine_value {
  std::string text;
  field_kind kind = field_kind::text;
};

// The fields and rows --format csv prints, in the same order, with what each
// value holds. Rows are made on demand, one at a time; `row` refers to the
// arguments the table was made from, which must outlive it.
struct machine_table {
  std::vector<std::string> fields;  // the csv header
  size_t row_count = 0;
  std::function<void(size_t, std::vector<machine_value>&)> row;  // row i
};

// render_report's, render_ledger's and render_cohorts' csv as tables (only
// options.arr matters). Throw InputError as those do, when a row is made.
machine_table report_table(const report& r, const format_options& options);
machine_table ledger_table(const std::vector<ledger_line>& lines,
                           const snapshot_store& store,
                           const format_options& options);
machine_table cohorts_table(const std::vector<cohort_cell>& cells,
                            const period_scheme& scheme,
                            const format_options& options);

// "table" → output_format::table, …; nullopt for an unknown name.
std::optional<output_format> parse_format(std::string_view name);

// Quotes a CSV field (RFC 4180) when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);
// A text field made safe to open in a spreadsheet (OWASP CSV injection): one
// that begins with = + - @ tab or CR gets a leading apostrophe.
std::string spreadsheet_safe(std::string_view text);
// A JSON string literal with escapes; any byte that is not part of valid
// UTF-8 becomes U+FFFD, so the output is valid JSON for any input.
std::string json_string(std::string_view text);

// Text a terminal shows rather than obeys, for the table: \n, \r and \t
// spelled so, other C0 controls and DEL as \x1b, C1 controls as \u009b,
// bytes that are not UTF-8 as \xff. Everything else (backslash too) is kept.
std::string terminal_safe(std::string_view text);
// Text for one Markdown table cell: \ | ` [ get a backslash, < becomes
// &lt;, a line break (\n, \r\n or \r) becomes <br>, and controls are spelled
// as by terminal_safe.
std::string markdown_safe(std::string_view text);

}  // namespace ndr
