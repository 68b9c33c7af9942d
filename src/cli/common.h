// Options shared by the subcommands: what to read, how to cut periods, where
// to write. Each group is a plain struct CLI11 fills, plus the function that
// validates it into the library's typed options (throwing ndr::UsageError).
#pragma once

#include <CLI/App.hpp>

#include <string>
#include <vector>

#include "ndr/engine.h"
#include "ndr/format.h"
#include "ndr/load.h"

namespace ndr::cli {

struct input_args {
  std::vector<std::string> files;          // CSV files; "-" is standard input
  std::string customer_col = "customer_id";
  std::string date_col = "date";
  std::string mrr_col = "mrr";
  std::string delimiter = ",";             // , ; | tab auto
  bool decimal_comma = false;              // 1.234,56
  std::string date_format;                 // strftime layout replacing the built-in ones
  std::vector<std::string> segment_by;     // segment columns (SPEC §4)
  bool skip_bad_rows = false;              // report and skip bad rows
};

struct period_args {
  std::string period = "month";            // month | quarter | year
  int fiscal_year_start = 1;               // first month of the fiscal year, 1..12
  int window = 1;                          // periods per report row
  std::string reactivation = "separate";   // separate | include
};

struct output_args {
  std::string format;                      // table | csv | json | markdown; empty: from -o
  std::string output;                      // -o FILE; empty or "-": standard output
  bool arr = false;                        // money ×12
  bool wide = false;                       // every column in table/markdown
  bool quiet = false;                      // no warnings on standard error
};

// Which period options a command takes.
enum class period_flags { all, no_window };

void add_input_options(CLI::App* cmd, input_args& a, bool with_segments = true);
void add_period_options(CLI::App* cmd, period_args& a, period_flags flags = period_flags::all,
                        std::vector<std::string> kinds = {"month", "quarter", "year"});
// Also adds --config FILE (TOML; keys are the long option names) and -q.
void add_output_options(CLI::App* cmd, output_args& a, bool with_wide = true);

// Reads the data set, printing skipped rows (the first 20, then a count).
snapshot_store load_input(const input_args& a, bool quiet);
load_options to_load_options(const input_args& a);
report_options to_report_options(const period_args& a);
format_options to_format_options(const output_args& a);
// A period label given to `option`, parsed in `scheme`.
std::int64_t parse_period(const std::string& text, const char* option, const period_scheme& scheme);
// Writes to standard output or atomically to -o.
void write_output(const output_args& a, const std::string& text);

}  // namespace ndr::cli
