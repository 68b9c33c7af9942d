// Options shared by the subcommands: what to read, how to cut periods, where
// to write. Each group is a plain struct CLI11 fills, plus the function that
// validates it into the library's typed options (throwing ndr::UsageError).
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "ndr/data_set.h"
#include "ndr/engine.h"
#include "ndr/format.h"
#include "ndr/fx.h"
#include "ndr/load.h"
#include "ndr/output.h"

namespace ndr::cli {

struct input_args {
  std::vector<std::string> files;  // CSV files; "-" is standard input
  std::string customer_col = "customer_id";
  std::string date_col = "date";
  std::string mrr_col = "mrr";
  std::string delimiter = ",";   // , ; | tab auto
  bool delimiter_given = false;  // --delimiter was given (it beats --locale)
  bool decimal_comma = false;    // 1.234,56
  bool decimal_point = false;    // 1.500 is one and a half, even in a ;-file
  std::string encoding;  // iconv name of the files' encoding; empty: UTF-8
  bool allow_date_range = false;  // accept dates far from all others
  std::uint32_t max_segments =
      10000;                // --segment-by: more distinct values is an error
  std::string date_format;  // strftime layout replacing the built-in ones
  std::string locale;  // de, fr, …: delimiter, decimals and dates at once
  std::vector<std::string> segment_by;  // segment columns (SPEC §4)
  bool skip_bad_rows = false;           // report and skip bad rows
  bool customer_col_given =
      false;  // --customer-col was given (it overrides a preset)
  bool snapshot_cols_given = false;  // --date-col or --mrr-col was given
  // Subscriptions (docs/inputs.md): the input kind, a preset, column names
  // (empty: the preset's or the default), and how snapshots are taken.
  std::string input = "snapshots";  // snapshots | subscriptions
  std::string preset;               // implies subscriptions
  std::string start_col, end_col, amount_col, interval_col, interval_count_col,
      quantity_col, status_col;
  std::string amount_unit;  // major | minor; empty: the preset's (major)
  std::vector<std::string> exclude_status;  // statuses to drop
  std::string as_of;                        // last snapshot date bound
  int snapshot_day = 0;                     // 1..31; 0: month ends
  bool end_inclusive = false;               // end dates: last paid day
  // Currencies and hierarchies.
  std::string currency_col;          // empty: "currency" when present
  std::string currency;              // the reporting currency
  std::string fx;                    // rates file
  std::string fx_mode = "constant";  // constant | spot
  std::string customer_map;          // customer_id,parent_id file
};

// Which input options a command takes.
struct input_features {
  bool segments = true;       // --segment-by
  bool subscriptions = true;  // --input, --preset and the subscription options
  bool fx = true;             // --fx, --fx-mode
  bool customer_map = true;   // --customer-map
};

// The data set, and what the command line says of its skipped rows.
struct loaded_data {
  data_set data;
  std::uint64_t skipped_rows = 0;          // bad rows skipped (--skip-bad-rows)
  std::vector<std::string> skipped_first;  // FILE:LINE of the first few
};

struct period_args {
  std::string period = "month";  // month | quarter | year
  int fiscal_year_start = 1;     // first month of the fiscal year, 1..12
  int window = 1;                // periods per report row
  std::string reactivation = "separate";  // separate | include
};

struct output_args {
  // table | csv | json | markdown | html | xlsx; empty: from -o
  std::string format;
  // -o FILE of report, movements and cohorts, once per -o (outputs.h); none,
  // or "-" alone: standard output.
  std::vector<std::string> outputs;
  // -o FILE of validate and snapshots, which write one output; empty or "-":
  // standard output.
  std::string output;
  bool arr = false;    // money ×12
  bool wide = false;   // every column in table/markdown
  bool quiet = false;  // no warnings on standard error
};

// Which period options a command takes.
enum class period_flags { all, no_window };

void add_input_options(CLI::App* cmd, input_args& a,
                       input_features features = {});
void add_period_options(CLI::App* cmd, period_args& a,
                        period_flags flags = period_flags::all,
                        std::vector<std::string> kinds = {"month", "quarter",
                                                          "year"});
// Also adds --config FILE (TOML; keys are the long option names) and -q.
// `formats`: the --format values the command writes, for its help.
void add_output_options(
    CLI::App* cmd, output_args& a, bool with_wide = true,
    const char* formats = "table, csv, json, markdown, html or xlsx");

// How the files' text is laid out: the options, with --locale filling in
// what they leave at the default (throws UsageError on a contradiction).
struct text_layout {
  char delimiter;
  bool decimal_comma, decimal_point;
  std::string date_format;  // "LAYOUT|": LAYOUT, then the built-in ones
};
text_layout layout_of(const input_args& a);
// The files are subscription exports (--input subscriptions or a preset).
bool subscription_input(const input_args& a);
// The data-set stage's input, from the options (throws UsageError).
input_spec to_input_spec(const input_args& a);
// Reads the data set (load_data_set), printing skipped rows (the first 20,
// then a count; with quiet, one line naming the first few: a skipped row is
// never silent).
loaded_data load_data(const input_args& a, bool quiet);
// The snapshot rows derived from subscription input (ndr snapshots).
std::string derived_snapshot_csv(const input_args& a, bool quiet);
load_options to_load_options(const input_args& a);
report_options to_report_options(const period_args& a);
// `f` with the data set's skipped rows, for the json metadata.
format_options with_skipped(format_options f, const loaded_data& data);
// A period label given to `option`, parsed in `scheme`.
std::int64_t parse_period(const std::string& text, const char* option,
                          const period_scheme& scheme);
// The format -o's name says: "csv", "json", "markdown", "html", "xlsx", or
// "" for a name that says nothing (report.txt, /dev/stdout). x.csv.gz says
// csv.
std::string format_named_by(std::string output);
// Throws UsageError when -o's name says another format than `format` (the
// one the command writes: "csv", "json", "markdown", "html", "text", …).
void check_output_name(const output_args& a, const std::string& format);
// Throws UsageError when `output` (an -o) is one of the inputs (the files,
// --fx or --customer-map).
void check_not_input(const std::string& output, const input_args& inputs);
// Opens -o (or standard output) before anything is read; throws UsageError
// when it is one of the inputs.
output_file open_output(const output_args& a, const input_args& inputs);
// Writes the report to `out`, gzipped when -o ends in .gz.
void write_output(const output_args& a, output_file& out,
                  const std::string& text);

}  // namespace ndr::cli
