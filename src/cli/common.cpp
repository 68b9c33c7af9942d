#include "common.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>

#include "config.h"
#include "ndr/error.h"
#include "ndr/output.h"

namespace ndr::cli {
namespace {

constexpr std::uint64_t kSkippedShown = 20;  // skipped rows reported one by one

char parse_delimiter(const std::string& d) {
  if (d == "," || d == ";" || d == "|") return d[0];
  if (d == "tab" || d == "\t" || d == "\\t") return '\t';
  if (d == "auto") return 0;
  throw UsageError(fmt::format("--delimiter '{}' is not one of , ; | tab auto", d));
}

// Case-insensitive: "report.CSV" is csv too.
bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() <= suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    const char c = s[s.size() - suffix.size() + i];
    if ((c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c) != suffix[i]) return false;
  }
  return true;
}

}  // namespace

void add_input_options(CLI::App* cmd, input_args& a, bool with_segments) {
  cmd->add_option("files", a.files, "snapshot CSV files ('-' is standard input)")->required();
  cmd->add_option("--customer-col", a.customer_col, "customer id column")->capture_default_str();
  cmd->add_option("--date-col", a.date_col, "snapshot date column")->capture_default_str();
  cmd->add_option("--mrr-col", a.mrr_col, "MRR amount column")->capture_default_str();
  cmd->add_option("--delimiter", a.delimiter,
                  "field delimiter: , ; | tab, or auto (the most frequent in each header)")
      ->capture_default_str();
  cmd->add_flag("--decimal-comma", a.decimal_comma, "amounts use a decimal comma: 1.234,56");
  cmd->add_option("--date-format", a.date_format, "strftime layout of the dates, e.g. %m/%d/%Y");
  if (with_segments) {
    // One column per --segment-by, so that files after it stay files.
    cmd->add_option("--segment-by", a.segment_by,
                    "a column to break the numbers down by (repeat to combine columns)")
        ->allow_extra_args(false)
        ->take_all();
  }
  cmd->add_flag("--skip-bad-rows", a.skip_bad_rows, "report bad rows on standard error and go on");
}

void add_period_options(CLI::App* cmd, period_args& a, period_flags flags,
                        std::vector<std::string> kinds) {
  std::string help;
  for (const auto& k : kinds) help += (help.empty() ? "" : ", ") + k;
  cmd->add_option("--period", a.period, help)->check(CLI::IsMember(kinds))->capture_default_str();
  cmd->add_option("--fiscal-year-start", a.fiscal_year_start, "first month of the fiscal year (1-12)")
      ->check(CLI::Range(1, 12))->capture_default_str();
  if (flags == period_flags::no_window) return;
  cmd->add_option("--window", a.window,
                  "periods between a row's start and end (12 with months: trailing twelve months)")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--reactivation", a.reactivation,
                  "separate: a customer who dipped to 0 is churned, the return is reactivation; "
                  "include: dips are ignored")
      ->check(CLI::IsMember({"separate", "include"}))->capture_default_str();
}

void add_output_options(CLI::App* cmd, output_args& a, bool with_wide) {
  cmd->add_option("--format", a.format,
                  "table, csv, json, markdown or html (report only) (default: from -o's extension, else table)");
  cmd->add_option("-o,--output", a.output, "write to FILE atomically instead of standard output");
  if (with_wide) cmd->add_flag("--wide", a.wide, "table/markdown: show every field");
  cmd->add_flag("--arr", a.arr, "show money ×12 as ARR (ratios unchanged)");
  cmd->add_flag("-q,--quiet", a.quiet, "no warnings; errors only (for cron)");
  add_config_option(cmd);
}

load_options to_load_options(const input_args& a) {
  load_options o;
  o.customer_col = a.customer_col;
  o.date_col = a.date_col;
  o.mrr_col = a.mrr_col;
  o.delimiter = parse_delimiter(a.delimiter);
  o.decimal_comma = a.decimal_comma;
  o.date_format = a.date_format;
  o.segment_cols = a.segment_by;
  o.skip_bad_rows = a.skip_bad_rows;
  // For tests: the file size from which files are read in two parts; when
  // set, every other step that can use threads does so on any input too.
  if (const char* split = std::getenv("NDR_SPLIT_BYTES"); split && std::atoll(split) > 0) {
    o.split_bytes = std::uint64_t(std::atoll(split));
    o.parallel_rows = 0;
  }
  return o;
}

snapshot_store load_input(const input_args& a, bool quiet) {
  load_options o = to_load_options(a);
  std::uint64_t skipped = 0;
  o.on_skipped_row = [&skipped, quiet](const InputError& e) {
    if (++skipped <= kSkippedShown && !quiet) {
      fmt::print(stderr, "ndr: warning: skipped {}\n", e.what());
    }
  };
  snapshot_store store = load_files(a.files, o);
  if (quiet) return store;
  if (skipped > kSkippedShown) {
    fmt::print(stderr, "ndr: warning: skipped {} more bad rows ({} in all)\n",
               skipped - kSkippedShown, skipped);
  } else if (skipped > 0) {
    fmt::print(stderr, "ndr: warning: skipped {} bad row{} in all\n", skipped,
               skipped == 1 ? "" : "s");
  }
  return store;
}

report_options to_report_options(const period_args& a) {
  report_options o;
  o.scheme.kind = a.period == "quarter" ? period_kind::quarter
                  : a.period == "year"  ? period_kind::year
                                        : period_kind::month;
  o.scheme.fiscal_start = a.fiscal_year_start;
  o.window = a.window;
  o.reactivation =
      a.reactivation == "include" ? reactivation_policy::include : reactivation_policy::separate;
  if (std::getenv("NDR_SPLIT_BYTES")) o.parallel_work = 0;  // see to_load_options
  return o;
}

std::int64_t parse_period(const std::string& text, const char* option, const period_scheme& scheme) {
  const auto p = scheme.parse_label(text);
  if (!p) {
    throw UsageError(fmt::format("{} '{}' is not a period label of this report ({})", option, text,
                                 scheme.label_example()));
  }
  return *p;
}

format_options to_format_options(const output_args& a) {
  format_options f;
  f.wide = a.wide;
  f.arr = a.arr;
  if (!a.format.empty()) {
    const auto parsed = parse_format(a.format);
    if (!parsed) {
      throw UsageError(
          fmt::format("--format '{}' is not one of table, csv, json, markdown, html", a.format));
    }
    f.format = *parsed;
  } else if (ends_with(a.output, ".csv")) {
    f.format = output_format::csv;
  } else if (ends_with(a.output, ".json")) {
    f.format = output_format::json;
  } else if (ends_with(a.output, ".md") || ends_with(a.output, ".markdown")) {
    f.format = output_format::markdown;
  } else if (ends_with(a.output, ".html") || ends_with(a.output, ".htm")) {
    f.format = output_format::html;
  }
  return f;
}

void write_output(const output_args& a, const std::string& text) {
  if (a.output.empty() || a.output == "-") {
    write_stdout(text);
  } else {
    write_file_atomically(a.output, text);
  }
}

}  // namespace ndr::cli
