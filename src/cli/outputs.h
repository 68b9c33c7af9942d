// Where report, movements and cohorts write: standard output, or each -o in
// the format its name says, all written atomically from one computation
// (docs/cli.md#several-outputs-in-one-run).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "ndr/output.h"
#include "ndr/xlsx.h"

namespace ndr::cli {

// One output of a run.
struct destination {
  std::string path;       // empty: standard output
  format_options format;  // its format, with --wide and --arr
  bool gzip = false;      // the name ends in .gz
};

// The outputs -o and --format name:
// - no -o, or -o - alone: standard output, in --format (default table);
// - one -o: in --format, else the format its name says, else table;
// - several -o: each in the format its name says (.csv, .json, .md, .html,
//   .xlsx, also under .gz), so a name that says none is an error;
// - a name that says another format than --format is an error;
// - so are the same file twice, more than kMaxOutputFiles files, html unless
//   `html` (only report has a page), and xlsx to a terminal.
// Throws UsageError.
std::vector<destination> to_destinations(const output_args& a, bool html);

// The outputs of a run, opened before anything is read: for each file its
// temporary exists from here on (output.h).
class opened_outputs {
 public:
  // Throws UsageError when one is an input (nothing is created then), and
  // std::runtime_error when one cannot be opened (the temporaries made
  // before it are removed).
  opened_outputs(const std::vector<destination>& destinations,
                 const input_args& inputs);

  // Writes output i (gzipped for a .gz name) to its temporary.
  void stage(size_t i, const std::string& text);
  // Renames every temporary into place; call once all are staged, so that a
  // run that fails to make or write one output replaces none.
  void commit();

 private:
  std::vector<std::unique_ptr<output_file>> files_;
  std::vector<bool> gzip_;
};

// Whether any destination is in format `f`.
bool any_in(const std::vector<destination>& destinations, output_format f);

// The workbook options of a run: --arr, and the reporting currency when the
// input names it (--currency, --fx or a currency column; otherwise the
// documented default, USD, is a guess, and money cells carry no symbol).
// `data` is null when nothing was read (--db).
xlsx_options to_xlsx_options(const output_args& a, const input_args& inputs,
                             const loaded_data* data);

}  // namespace ndr::cli
