#include "report_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <optional>

#include "ndr/engine.h"
#include "ndr/error.h"
#include "ndr/format.h"
#include "ndr/load.h"
#include "ndr/output.h"

namespace ndr::cli {
namespace {

constexpr int kExitGate = 3;
constexpr std::uint64_t kSkippedShown = 20;  // skipped rows reported one by one

// A --min-* floor: the metric, the option's text and the value in millionths.
struct gate {
  const char* metric;
  const char* option;
  std::string text;
  std::int64_t millionths;
};

// The typed job that report_args validates into.
struct report_job {
  load_options load;
  report_options report;
  format_options format;
  std::string output;
  std::vector<gate> gates;
};

char parse_delimiter(const std::string& d) {
  if (d == "," || d == ";" || d == "|") return d[0];
  if (d == "tab" || d == "\t" || d == "\\t") return '\t';
  throw UsageError(fmt::format("--delimiter '{}' is not one of , ; | tab", d));
}

std::optional<std::int64_t> parse_period_option(const std::string& text, const char* option,
                                                const period_scheme& scheme) {
  if (text.empty()) return std::nullopt;
  const auto p = scheme.parse_label(text);
  if (!p) {
    throw UsageError(fmt::format("{} '{}' is not a period label of this report ({})", option, text,
                                 scheme.label_example()));
  }
  return p;
}

// "0.95" is a fraction, "95%" a percentage; both become 950000 millionths.
std::optional<gate> parse_gate(const std::string& text, const char* metric, const char* option) {
  if (text.empty()) return std::nullopt;
  const bool percent = text.back() == '%';
  const char* why = nullptr;
  const auto value = parse_money(percent ? text.substr(0, text.size() - 1) : text, &why);
  const auto bad = [&](const char* reason) {
    return UsageError(fmt::format("{} '{}': {}; write a fraction (0.95) or a percentage (95%)",
                                  option, text, reason));
  };
  if (!value || text.find_first_of("$(,") != std::string::npos) throw bad("not a number");
  if (value->units() < 0) throw bad("a floor cannot be negative");
  std::int64_t m = value->units();
  if (percent) {
    if (m % 100 != 0) throw bad("too many decimal places");
    m /= 100;
  } else if (m > 10 * money::kScale) {
    throw bad("a fraction above 10 is surely a percentage without '%'");
  }
  return gate{metric, option, text, m};
}

output_format choose_format(const report_args& args) {
  if (!args.format.empty()) {
    if (auto f = parse_format(args.format)) return *f;
    throw UsageError(fmt::format("--format '{}' is not one of table, csv, json, markdown", args.format));
  }
  const auto ends_with = [&](const char* ext) {
    const std::string e = ext;
    return args.output.size() > e.size() && args.output.compare(args.output.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".csv")) return output_format::csv;
  if (ends_with(".json")) return output_format::json;
  if (ends_with(".md") || ends_with(".markdown")) return output_format::markdown;
  return output_format::table;
}

report_job validate(const report_args& args) {
  report_job job;
  job.load.customer_col = args.customer_col;
  job.load.date_col = args.date_col;
  job.load.mrr_col = args.mrr_col;
  job.load.delimiter = parse_delimiter(args.delimiter);
  job.load.date_format = args.date_format;
  job.load.skip_bad_rows = args.skip_bad_rows;

  auto& scheme = job.report.scheme;
  scheme.kind = args.period == "quarter" ? period_kind::quarter
                : args.period == "year"  ? period_kind::year
                                         : period_kind::month;
  scheme.fiscal_start = args.fiscal_year_start;
  job.report.window = args.window;
  job.report.reactivation = args.reactivation == "include" ? reactivation_policy::include
                                                           : reactivation_policy::separate;
  job.report.from = parse_period_option(args.from, "--from", scheme);
  job.report.to = parse_period_option(args.to, "--to", scheme);
  if (job.report.from && job.report.to && *job.report.from > *job.report.to) {
    throw UsageError(fmt::format("--from {} is after --to {}", args.from, args.to));
  }

  job.format = {choose_format(args), args.wide, args.arr};
  job.output = args.output == "-" ? std::string() : args.output;
  for (auto g : {parse_gate(args.min_ndr, "NDR", "--min-ndr"),
                 parse_gate(args.min_grr, "GRR", "--min-grr"),
                 parse_gate(args.min_logo_retention, "logo retention", "--min-logo-retention")}) {
    if (g) job.gates.push_back(*g);
  }
  return job;
}

// Checks the floors on the latest row; prints each failure; true when all pass.
bool check_gates(const report& r, const std::vector<gate>& gates) {
  if (gates.empty()) return true;
  if (r.rows.empty()) {
    fmt::print(stderr, "ndr: the report has no row, so {} cannot be checked\n", gates[0].option);
    return false;
  }
  const report_row& last = r.rows.back();
  const std::string period = r.options.scheme.label(last.period);
  bool ok = true;
  for (const auto& g : gates) {
    const std::string metric = g.metric;
    const ratio value = metric == "NDR" ? last.ndr() : metric == "GRR" ? last.grr() : last.logo_retention();
    if (!value.defined()) {
      fmt::print(stderr, "ndr: {} {} is undefined (empty cohort), below the floor {} {}\n",
                 period, g.metric, g.option, g.text);
      ok = false;
    } else if (value.compare(g.millionths) < 0) {
      fmt::print(stderr, "ndr: {} {} {} ({}) is below the floor {} {}\n", period, g.metric,
                 format_ratio(value, 4), format_percent(value, 1), g.option, g.text);
      ok = false;
    }
  }
  return ok;
}

}  // namespace

CLI::App* add_report_command(CLI::App& app, report_args& a) {
  CLI::App* cmd = app.add_subcommand("report", "NDR, GRR and logo retention per period");
  cmd->add_option("files", a.files, "snapshot CSV files ('-' is standard input)")->required();
  cmd->add_option("--period", a.period, "month, quarter or year")
      ->check(CLI::IsMember({"month", "quarter", "year"}))->capture_default_str();
  cmd->add_option("--fiscal-year-start", a.fiscal_year_start, "first month of the fiscal year (1-12)")
      ->check(CLI::Range(1, 12))->capture_default_str();
  cmd->add_option("--window", a.window, "periods between a row's start and end (12 with months: trailing twelve months)")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--reactivation", a.reactivation, "separate: a customer who dipped to 0 is churned, the return is reactivation; include: dips are ignored")
      ->check(CLI::IsMember({"separate", "include"}))->capture_default_str();
  cmd->add_option("--from", a.from, "first period shown (a label: 2024-03, 2024-Q1, FY2025)");
  cmd->add_option("--to", a.to, "last period shown");
  cmd->add_option("--customer-col", a.customer_col, "customer id column")->capture_default_str();
  cmd->add_option("--date-col", a.date_col, "snapshot date column")->capture_default_str();
  cmd->add_option("--mrr-col", a.mrr_col, "MRR amount column")->capture_default_str();
  cmd->add_option("--delimiter", a.delimiter, "field delimiter: , ; | or tab")->capture_default_str();
  cmd->add_option("--date-format", a.date_format, "strftime layout of the dates, e.g. %m/%d/%Y");
  cmd->add_option("--format", a.format, "table, csv, json or markdown (default: from -o's extension, else table)");
  cmd->add_option("-o,--output", a.output, "write to FILE atomically instead of standard output");
  cmd->add_flag("--wide", a.wide, "table/markdown: show every field");
  cmd->add_flag("--arr", a.arr, "show money ×12 as ARR (ratios unchanged)");
  cmd->add_flag("--skip-bad-rows", a.skip_bad_rows, "report bad rows on standard error and go on");
  cmd->add_option("--min-ndr", a.min_ndr, "exit 3 when the latest NDR is below this (0.95 or 95%)");
  cmd->add_option("--min-grr", a.min_grr, "exit 3 when the latest GRR is below this");
  cmd->add_option("--min-logo-retention", a.min_logo_retention, "exit 3 when the latest logo retention is below this");
  return cmd;
}

int run_report(const report_args& args) {
  report_job job = validate(args);
  std::uint64_t skipped = 0;
  job.load.on_skipped_row = [&skipped](const InputError& e) {
    if (++skipped <= kSkippedShown) fmt::print(stderr, "ndr: warning: skipped {}\n", e.what());
  };
  const snapshot_store store = load_files(args.files, job.load);
  if (skipped > kSkippedShown) {
    fmt::print(stderr, "ndr: warning: skipped {} more bad rows ({} in all)\n",
               skipped - kSkippedShown, skipped);
  }
  const report r = build_report(store, job.report);
  if (r.rows.empty()) {
    fmt::print(stderr,
               "ndr: warning: the report is empty: no {0} has a snapshot date both in it and "
               "{1} {0}{2} before it{3}\n",
               args.period, job.report.window, job.report.window == 1 ? "" : "s",
               job.report.from || job.report.to ? " within --from/--to" : "");
  }
  const std::string text = render_report(r, job.format);
  if (job.output.empty()) {
    write_stdout(text);
  } else {
    write_file_atomically(job.output, text);
  }
  return check_gates(r, job.gates) ? 0 : kExitGate;
}

}  // namespace ndr::cli
