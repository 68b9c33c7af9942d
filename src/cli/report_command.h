// `ndr report`: option declarations and the run.
#pragma once

#include <CLI/App.hpp>

#include <string>
#include <vector>

namespace ndr::cli {

// What the user typed, unchecked (CLI11 fills it). See docs/cli.md.
struct report_args {
  std::vector<std::string> files;          // CSV files; "-" is standard input
  std::string period = "month";            // month | quarter | year
  int fiscal_year_start = 1;               // first month of the fiscal year, 1..12
  int window = 1;                          // periods per report row
  std::string reactivation = "separate";   // separate | include
  std::string from;                        // first period shown (a period label)
  std::string to;                          // last period shown (a period label)
  std::string customer_col = "customer_id";
  std::string date_col = "date";
  std::string mrr_col = "mrr";
  std::string delimiter = ",";             // , ; | tab
  std::string date_format;                 // strftime layout replacing the built-in ones
  std::string format;                      // table | csv | json | markdown; empty: from -o
  std::string output;                      // -o FILE; empty: standard output
  bool wide = false;                       // every column in table/markdown
  bool arr = false;                        // money ×12
  bool skip_bad_rows = false;              // report and skip bad rows
  std::string min_ndr;                     // gates: "0.95" or "95%"
  std::string min_grr;
  std::string min_logo_retention;
};

// Declares `report` on `app`, filling `args`.
CLI::App* add_report_command(CLI::App& app, report_args& args);

// Runs the report; returns the exit status. Throws ndr::InputError (exit 1)
// and ndr::UsageError (exit 2).
int run_report(const report_args& args);

}  // namespace ndr::cli
