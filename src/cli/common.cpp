#include "common.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <functional>

#include "command.h"
#include "config.h"
#include "ndr/error.h"
#include "ndr/hierarchy.h"
#include "ndr/output.h"
#include "ndr/presets.h"
#include "ndr/subscriptions.h"

namespace ndr::cli {
namespace {

// What --locale sets: a country's spreadsheet export (docs/data-format.md).
struct locale_layout {
  const char* name;
  char delimiter;
  bool decimal_comma;
  // Tried first, 4-digit years then 2-digit ones; ISO dates after them.
  const char* date_format;
};
constexpr locale_layout kLocales[] = {
    {"de", ';', true, "%d.%m.%Y|%d.%m.%y"},
    {"fr", ';', true, "%d/%m/%Y|%d/%m/%y"},
    {"es", ';', true, "%d/%m/%Y|%d/%m/%y"},
    {"it", ';', true, "%d/%m/%Y|%d/%m/%y"},
    {"pt", ';', true, "%d/%m/%Y|%d/%m/%y"},
    {"nl", ';', true, "%d-%m-%Y|%d-%m-%y"},
    {"en-gb", ',', false, "%d/%m/%Y|%d/%m/%y"},
    {"en-us", ',', false, "%m/%d/%Y|%m/%d/%y"},
};

std::vector<std::string> locale_names() {
  std::vector<std::string> names;
  for (const auto& l : kLocales) names.emplace_back(l.name);
  return names;
}

constexpr std::uint64_t kSkippedShown = 20;  // skipped rows reported one by one

char parse_delimiter(const std::string& d) {
  if (d == "," || d == ";" || d == "|") return d[0];
  if (d == "tab" || d == "\t" || d == "\\t") return '\t';
  if (d == "auto") return 0;
  throw UsageError(
      fmt::format("--delimiter '{}' is not one of , ; | tab auto", d));
}

// Case-insensitive: "report.CSV" is csv too.
bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() <= suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    const char c = s[s.size() - suffix.size() + i];
    if ((c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c) != suffix[i])
      return false;
  }
  return true;
}

// The columns of a snapshot file. Each records that it was given:
// --customer-col overrides a preset's, and --date-col or --mrr-col with
// subscription input is a usage error (to_subscription_options).
void add_column_options(CLI::App* cmd, input_args& a) {
  cmd->add_option("--customer-col", a.customer_col, "customer id column")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.customer_col_given = true; });
  cmd->add_option("--date-col", a.date_col, "snapshot date column")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.snapshot_cols_given = true; });
  cmd->add_option("--mrr-col", a.mrr_col, "MRR amount column")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.snapshot_cols_given = true; });
}

// How the files' text is laid out: delimiter, numbers, encoding and dates,
// or a --locale that sets them at once.
void add_layout_options(CLI::App* cmd, input_args& a) {
  cmd->add_option("--delimiter", a.delimiter,
                  "field delimiter: , ; | tab, or auto (the most frequent in "
                  "each header)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.delimiter_given = true; });
  cmd->add_flag("--decimal-comma", a.decimal_comma,
                "amounts use a decimal comma: 1.234,56");
  cmd->add_flag(
      "--decimal-point", a.decimal_point,
      "amounts use a decimal point even in a ;-separated file: 1.500 is 1.5");
  cmd->add_option("--encoding", a.encoding,
                  "the files' text encoding, e.g. windows-1252 (default: "
                  "UTF-8; UTF-16 with a BOM "
                  "is read as such)");
  cmd->add_flag("--allow-date-range", a.allow_date_range,
                "accept a date more than 10 years from the rest of the data");
  cmd->add_option("--date-format", a.date_format,
                  "strftime layout of the dates, e.g. %m/%d/%Y");
  cmd->add_option("--locale", a.locale,
                  "a country's export: de (; 1.234,50 31.01.2024), fr, es, "
                  "it, pt (; 1.234,50 31/01/2024), nl (; 1.234,50 "
                  "31-01-2024), en-gb (, 1,234.50 31/01/2024), en-us "
                  "(01/31/2024); ISO dates are read too")
      ->check(CLI::IsMember(locale_names()));
}

void add_segment_options(CLI::App* cmd, input_args& a) {
  // One column per --segment-by, so that files after it stay files.
  cmd->add_option(
         "--segment-by", a.segment_by,
         "a column to break the numbers down by (repeat to combine columns)")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--max-segments", a.max_segments,
                  "more distinct --segment-by values than this is an error")
      ->check(CLI::Range(1u, 100000000u))
      ->capture_default_str();
}

// The reporting currency and the exchange rates that convert to it.
void add_fx_options(CLI::App* cmd, input_args& a) {
  cmd->add_option("--currency", a.currency,
                  "the reporting currency (default: the data's single "
                  "currency, else USD)");
  cmd->add_option(
         "--fx", a.fx,
         "exchange rates CSV: date,currency,rate (reporting units per unit)")
      ->check(file_value());
  cmd->add_option("--fx-mode", a.fx_mode,
                  "constant: a row's both ends at its start date's rates; "
                  "spot: each date's own")
      ->check(CLI::IsMember({"constant", "spot"}))
      ->capture_default_str();
}

}  // namespace

void add_subscription_options(CLI::App* cmd, input_args& a);

void add_input_options(CLI::App* cmd, input_args& a, input_features features) {
  cmd->add_option("files", a.files, "input CSV files ('-' is standard input)")
      ->required()
      ->check(file_value());
  add_column_options(cmd, a);
  add_layout_options(cmd, a);
  if (features.segments) add_segment_options(cmd, a);
  cmd->add_flag("--skip-bad-rows", a.skip_bad_rows,
                "report bad rows on standard error and go on");
  cmd->add_option(
      "--currency-col", a.currency_col,
      "currency code column (default: 'currency' when the file has one)");
  if (features.subscriptions) add_subscription_options(cmd, a);
  if (features.fx) add_fx_options(cmd, a);
  if (features.customer_map) {
    cmd->add_option("--customer-map", a.customer_map,
                    "customer_id,parent_id CSV: roll accounts up into their "
                    "topmost parent")
        ->check(file_value());
  }
}

void add_subscription_options(CLI::App* cmd, input_args& a) {
  cmd->add_option("--input", a.input,
                  "what the files hold: snapshots or subscriptions")
      ->check(CLI::IsMember({"snapshots", "subscriptions"}))
      ->capture_default_str();
  std::string names;
  for (const auto& p : all_presets())
    names += (names.empty() ? "" : ", ") + p.name;
  cmd->add_option(
      "--preset", a.preset,
      "a subscription export layout: " + names + " (see ndr presets)");
  cmd->add_option("--start-col", a.start_col,
                  "subscriptions: start date column (start_date)");
  cmd->add_option("--end-col", a.end_col,
                  "subscriptions: end date column (end_date)");
  cmd->add_option("--amount-col", a.amount_col,
                  "subscriptions: price column (amount)");
  cmd->add_option("--interval-col", a.interval_col,
                  "subscriptions: interval column (interval)");
  cmd->add_option("--interval-count-col", a.interval_count_col,
                  "subscriptions: interval count column (interval_count)");
  cmd->add_option("--quantity-col", a.quantity_col,
                  "subscriptions: quantity column (quantity)");
  cmd->add_option("--status-col", a.status_col,
                  "subscriptions: status column (status)");
  cmd->add_option("--amount-unit", a.amount_unit,
                  "subscriptions: major (12.50) or minor (1250 cents, yen for "
                  "JPY) units")
      ->check(CLI::IsMember({"major", "minor"}));
  cmd->add_option(
         "--exclude-status", a.exclude_status,
         "subscriptions: drop rows with these statuses (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option(
      "--as-of", a.as_of,
      "subscriptions: the last snapshot date bound (default: the latest date)");
  cmd->add_flag("--end-inclusive", a.end_inclusive,
                "subscriptions: end dates are the last paid day (default: the "
                "first day no longer paid)");
  cmd->add_option("--snapshot-day", a.snapshot_day,
                  "subscriptions: take snapshots on this day of the month "
                  "(default: month end)")
      ->check(CLI::Range(1, 31));
}

void add_period_options(CLI::App* cmd, period_args& a, period_flags flags,
                        std::vector<std::string> kinds) {
  std::string help;
  for (const auto& k : kinds) help += (help.empty() ? "" : ", ") + k;
  cmd->add_option("--period", a.period, help)
      ->check(CLI::IsMember(kinds))
      ->capture_default_str();
  cmd->add_option("--fiscal-year-start", a.fiscal_year_start,
                  "first month of the fiscal year (1-12)")
      ->check(CLI::Range(1, 12))
      ->capture_default_str();
  if (flags == period_flags::no_window) return;
  cmd->add_option("--window", a.window,
                  "periods between a row's start and end (12 with months: "
                  "trailing twelve months)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--reactivation", a.reactivation,
                  "separate: a customer who dipped to 0 is churned, the return "
                  "is reactivation; "
                  "include: dips are ignored")
      ->check(CLI::IsMember({"separate", "include"}))
      ->capture_default_str();
}

void add_output_options(CLI::App* cmd, output_args& a, bool with_wide,
                        const char* formats) {
  cmd->add_option(
      "--format", a.format,
      fmt::format("{} (default: from -o's extension, else table)", formats));
  cmd->add_option("-o,--output", a.outputs,
                  "write to FILE atomically instead of standard output; "
                  "repeat to write several files, each in the format its "
                  "extension names")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(file_value());
  if (with_wide)
    cmd->add_flag("--wide", a.wide, "table/markdown: show every field");
  cmd->add_flag("--arr", a.arr, "show money ×12 as ARR (ratios unchanged)");
  cmd->add_flag("-q,--quiet", a.quiet, "no warnings; errors only (for cron)");
  add_config_option(cmd);
}

namespace {

// Prints skipped rows as they come (the first 20), then a summary. Quiet
// (-q) hides success noise only: it prints the summary alone, one line.
class skipped_rows {
 public:
  explicit skipped_rows(bool quiet) : quiet_(quiet) {}
  std::function<void(const InputError&)> callback() {
    return [this](const InputError& e) {
      if (++count_ <= kSkippedShown && !quiet_) {
        fmt::print(stderr, "ndr: warning: skipped {}\n", e.what());
      }
      if (first_.size() < kSkippedNamed) {
        first_.push_back(e.line() ? fmt::format("{}:{}", e.source(), e.line())
                                  : e.source());
      }
    };
  }
  std::uint64_t count() const { return count_; }
  const std::vector<std::string>& first() const { return first_; }
  void summary() const {
    if (quiet_) {
      if (count_ == 0) return;
      std::string lines;
      for (const auto& f : first_) lines += (lines.empty() ? "" : ", ") + f;
      fmt::print(stderr,
                 "ndr: warning: skipped {} bad row{} ({}{}); run without -q "
                 "for the reasons\n",
                 count_, count_ == 1 ? "" : "s", lines,
                 count_ > first_.size() ? ", …" : "");
      return;
    }
    if (count_ > kSkippedShown) {
      fmt::print(stderr, "ndr: warning: skipped {} more bad rows ({} in all)\n",
                 count_ - kSkippedShown, count_);
    } else if (count_ > 0) {
      fmt::print(stderr, "ndr: warning: skipped {} bad row{} in all\n", count_,
                 count_ == 1 ? "" : "s");
    }
  }

 private:
  static constexpr size_t kSkippedNamed =
      5;  // FILE:LINE named in -q's summary and json
  bool quiet_;
  std::uint64_t count_ = 0;
  std::vector<std::string> first_;
};

std::string upper_code(const std::string& code, const char* option) {
  const auto parsed = parse_currency_code(code);
  if (!parsed) {
    throw UsageError(fmt::format(
        "{} '{}' is not a three-letter currency code like USD", option, code));
  }
  return *parsed;
}

void set_column(subscription_column& column, const std::string& given) {
  if (!given.empty()) column = {{given}, true};
}

const preset& preset_named(const std::string& name) {
  if (const preset* p = find_preset(name)) return *p;
  std::string names;
  for (const auto& q : all_presets())
    names += (names.empty() ? "" : ", ") + q.name;
  throw UsageError(fmt::format(
      "--preset '{}' is not one of {} (see ndr presets)", name, names));
}

subscription_options to_subscription_options(const input_args& a) {
  if (a.snapshot_cols_given) {
    throw UsageError(
        "--date-col and --mrr-col are for snapshot input; subscriptions name "
        "their "
        "columns with --start-col, --end-col and --amount-col");
  }
  subscription_options o = a.preset.empty() ? subscription_options()
                                            : preset_named(a.preset).options;
  if (a.customer_col_given) set_column(o.customer, a.customer_col);
  set_column(o.start, a.start_col);
  set_column(o.end, a.end_col);
  set_column(o.amount, a.amount_col);
  set_column(o.interval, a.interval_col);
  set_column(o.interval_count, a.interval_count_col);
  set_column(o.quantity, a.quantity_col);
  set_column(o.status, a.status_col);
  set_column(o.currency, a.currency_col);
  if (!a.amount_unit.empty()) o.minor_units = a.amount_unit == "minor";
  if (!a.currency.empty()) {
    o.reporting_currency = upper_code(a.currency, "--currency");
  } else if (!a.fx.empty()) {
    o.reporting_currency = "USD";
  }
  for (const auto& s : a.exclude_status) {
    if (!s.empty()) o.exclude_status.push_back(s);
  }
  if (!a.as_of.empty()) {
    o.as_of = parse_date(a.as_of);
    if (!o.as_of)
      throw UsageError(
          fmt::format("--as-of '{}' is not a date like 2024-12-31", a.as_of));
  }
  o.snapshot_day = a.snapshot_day;
  o.end_inclusive = a.end_inclusive;
  const text_layout layout = layout_of(a);
  o.delimiter = layout.delimiter;
  o.decimal_comma = layout.decimal_comma;
  o.decimal_point = layout.decimal_point;
  o.encoding = a.encoding;
  o.allow_date_range = a.allow_date_range;
  o.date_format = layout.date_format;
  o.segment_cols = a.segment_by;
  o.skip_bad_rows = a.skip_bad_rows;
  return o;
}

void reject_subscription_options(const input_args& a) {
  const std::pair<const char*, bool> given[] = {
      {"--start-col", !a.start_col.empty()},
      {"--end-col", !a.end_col.empty()},
      {"--amount-col", !a.amount_col.empty()},
      {"--interval-col", !a.interval_col.empty()},
      {"--interval-count-col", !a.interval_count_col.empty()},
      {"--quantity-col", !a.quantity_col.empty()},
      {"--status-col", !a.status_col.empty()},
      {"--amount-unit", !a.amount_unit.empty()},
      {"--exclude-status", !a.exclude_status.empty()},
      {"--as-of", !a.as_of.empty()},
      {"--snapshot-day", a.snapshot_day != 0},
      {"--end-inclusive", a.end_inclusive}};
  for (const auto& [option, set] : given) {
    if (set) {
      throw UsageError(
          fmt::format("{} is for subscription input; add --input subscriptions "
                      "(or a --preset)",
                      option));
    }
  }
}

}  // namespace

load_options to_load_options(const input_args& a) {
  load_options o;
  o.customer_col = a.customer_col;
  o.date_col = a.date_col;
  o.mrr_col = a.mrr_col;
  const text_layout layout = layout_of(a);
  o.delimiter = layout.delimiter;
  o.decimal_comma = layout.decimal_comma;
  o.decimal_point = layout.decimal_point;
  check_encoding(a.encoding);
  o.encoding = a.encoding;
  o.allow_date_range = a.allow_date_range;
  o.max_segments = a.max_segments;
  o.date_format = layout.date_format;
  o.segment_cols = a.segment_by;
  o.skip_bad_rows = a.skip_bad_rows;
  if (!a.currency_col.empty()) {
    o.currency_col = a.currency_col;
    o.currency_col_required = true;
  }
  // For tests: the file size from which files are read in two parts; when
  // set, every other step that can use threads does so on any input too.
  if (const char* split = std::getenv("NDR_SPLIT_BYTES");
      split && std::atoll(split) > 0) {
    o.split_bytes = std::uint64_t(std::atoll(split));
    o.parallel_rows = 0;
  }
  return o;
}

// Prints a warning ("ndr: warning: …") unless quiet.
std::function<void(const std::string&)> warner(bool quiet) {
  if (quiet) return nullptr;
  return [](const std::string& what) {
    fmt::print(stderr, "ndr: warning: {}\n", what);
  };
}

text_layout layout_of(const input_args& a) {
  if (a.decimal_comma && a.decimal_point) {
    throw UsageError(
        "--decimal-comma and --decimal-point contradict each other; give one");
  }
  text_layout t{parse_delimiter(a.delimiter), a.decimal_comma, a.decimal_point,
                a.date_format};
  if (a.locale.empty()) return t;
  for (const auto& l : kLocales) {
    if (a.locale != l.name) continue;
    // Options given beside --locale win over it.
    if (!a.delimiter_given) t.delimiter = l.delimiter;
    if (!a.decimal_point) t.decimal_comma = t.decimal_comma || l.decimal_comma;
    if (a.date_format.empty()) t.date_format = std::string(l.date_format) + "|";
  }
  return t;
}

bool subscription_input(const input_args& a) {
  return a.input == "subscriptions" || !a.preset.empty();
}

// Rows of delimiters alone were skipped: says how many, and where the first
// is (nothing is dropped silently).
void warn_empty_rows(std::uint64_t count, const std::string& first,
                     bool quiet) {
  if (count == 0 || quiet) return;
  fmt::print(stderr,
             "ndr: warning: skipped {} empty row{} (delimiters alone, as a "
             "spreadsheet saves unused rows; the first at {})\n",
             count, count == 1 ? "" : "s", first);
}

input_spec to_input_spec(const input_args& a) {
  input_spec spec;
  spec.files = a.files;
  spec.snapshots = to_load_options(a);
  if (subscription_input(a)) {
    spec.subscriptions = to_subscription_options(a);
  } else {
    reject_subscription_options(a);
  }
  spec.customer_map = a.customer_map;
  if (!a.currency.empty()) spec.currency = upper_code(a.currency, "--currency");
  spec.rates = a.fx;
  spec.mode = a.fx_mode == "spot" ? fx_mode::spot : fx_mode::constant;
  return spec;
}

loaded_data load_data(const input_args& a, bool quiet) {
  input_spec spec = to_input_spec(a);
  skipped_rows skipped(quiet);
  spec.snapshots.on_skipped_row = skipped.callback();
  if (spec.subscriptions) spec.subscriptions->on_warning = warner(quiet);
  loaded_data data{load_data_set(spec), 0, {}};
  skipped.summary();
  const snapshot_store& store = data.data.loaded();
  warn_empty_rows(store.empty_rows, store.first_empty_row, quiet);
  data.skipped_rows = skipped.count();
  data.skipped_first = skipped.first();
  return data;
}

std::string derived_snapshot_csv(const input_args& a, bool quiet) {
  if (!subscription_input(a)) {
    throw UsageError(
        "ndr snapshots derives snapshots from subscriptions; add --input "
        "subscriptions or a --preset");
  }
  skipped_rows skipped(quiet);
  subscription_options o = to_subscription_options(a);
  o.on_skipped_row = skipped.callback();
  o.on_warning = warner(quiet);
  const derived_snapshots derived = derive_snapshots(a.files, o);
  skipped.summary();
  warn_empty_rows(derived.empty_rows, derived.first_empty_row, quiet);
  return derived_csv(derived);
}

report_options to_report_options(const period_args& a) {
  report_options o;
  o.scheme.kind = a.period == "quarter" ? period_kind::quarter
                  : a.period == "year"  ? period_kind::year
                                        : period_kind::month;
  o.scheme.fiscal_start = a.fiscal_year_start;
  o.window = a.window;
  o.reactivation = a.reactivation == "include" ? reactivation_policy::include
                                               : reactivation_policy::separate;
  if (std::getenv("NDR_SPLIT_BYTES"))
    o.parallel_work = 0;  // see to_load_options
  return o;
}

std::int64_t parse_period(const std::string& text, const char* option,
                          const period_scheme& scheme) {
  const auto p = scheme.parse_label(text);
  if (!p) {
    throw UsageError(
        fmt::format("{} '{}' is not a period label of this report ({})", option,
                    text, scheme.label_example()));
  }
  return *p;
}

namespace {

bool is_stdout(const std::string& output) {
  return output.empty() || output == "-";
}

// Names the input `output` is, if any: "the input file 'x.csv'".
std::string input_named(const std::string& output, const input_args& in) {
  for (const auto& f : in.files) {
    if (ndr::same_file(output, f)) return fmt::format("the input file '{}'", f);
  }
  if (!in.fx.empty() && ndr::same_file(output, in.fx)) {
    return fmt::format("the --fx rates file '{}'", in.fx);
  }
  if (!in.customer_map.empty() && ndr::same_file(output, in.customer_map)) {
    return fmt::format("the --customer-map file '{}'", in.customer_map);
  }
  return "";
}

}  // namespace

std::string format_named_by(std::string output) {
  if (ends_with(output, ".gz")) output.resize(output.size() - 3);
  const std::pair<const char*, const char*> extensions[] = {
      {".csv", "csv"},           {".json", "json"}, {".md", "markdown"},
      {".markdown", "markdown"}, {".html", "html"}, {".htm", "html"},
      {".xlsx", "xlsx"}};
  for (const auto& [extension, format] : extensions) {
    if (ends_with(output, extension)) return format;
  }
  return "";
}

void check_output_name(const output_args& a, const std::string& format) {
  const std::string named = format_named_by(a.output);
  if (named.empty() || named == format) return;
  throw UsageError(fmt::format(
      "-o '{}' is a {} file name, but the output is {}{}", a.output, named,
      format, a.format.empty() ? "" : " (--format " + a.format + ")"));
}

void check_not_input(const std::string& output, const input_args& inputs) {
  if (const std::string input = input_named(output, inputs); !input.empty()) {
    throw UsageError(fmt::format(
        "-o '{}' is {}; write the output to another file", output, input));
  }
}

output_file open_output(const output_args& a, const input_args& inputs) {
  if (is_stdout(a.output)) return output_file("");
  check_not_input(a.output, inputs);
  return output_file(a.output);
}

void write_output(const output_args& a, output_file& out,
                  const std::string& text) {
  out.write(!is_stdout(a.output) && ends_with(a.output, ".gz") ? gzip(text)
                                                               : text);
}

format_options with_skipped(format_options f, const loaded_data& data) {
  f.skipped_rows = data.skipped_rows;
  f.skipped_first = data.skipped_first;
  return f;
}

}  // namespace ndr::cli
