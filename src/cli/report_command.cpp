#include "report_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <ctime>
#include <optional>

#include "config.h"
#include "ndr/error.h"
#include "ndr/hierarchy.h"
#include "ndr/html.h"
#include "ndr/output.h"
#include "ndr/presets.h"
#include "ndr/validate.h"

namespace ndr::cli {
namespace {

constexpr int kExitGate = 3;

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// A --min-* floor: the metric, the option's text and the value in millionths.
struct gate {
  const char* metric;
  ratio (report_row::*value)() const;  // the metric on a report row
  const char* option;
  std::string text;
  std::int64_t millionths;
};

// "0.95" is a fraction, "95%" a percentage; both become 950000 millionths.
std::optional<gate> parse_gate(const std::string& text, const char* metric,
                               ratio (report_row::*metric_of)() const, const char* option) {
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
  return gate{metric, metric_of, option, text, m};
}

std::vector<gate> parse_gates(const report_args& a) {
  std::vector<gate> gates;
  for (auto g : {parse_gate(a.min_ndr, "NDR", &report_row::ndr, "--min-ndr"),
                 parse_gate(a.min_grr, "GRR", &report_row::grr, "--min-grr"),
                 parse_gate(a.min_logo_retention, "logo retention", &report_row::logo_retention,
                            "--min-logo-retention")}) {
    if (g) gates.push_back(*g);
  }
  return gates;
}

// Checks the floors on the total row of the latest period; prints each
// failure; true when all pass.
bool check_gates(const report& r, const std::vector<gate>& gates) {
  if (gates.empty()) return true;
  if (r.rows.empty()) {
    std::string options;
    for (const auto& g : gates) options += (options.empty() ? "" : ", ") + std::string(g.option);
    fmt::print(stderr, "ndr: the report has no row, so {} cannot be checked\n", options);
    return false;
  }
  const report_row& last = r.rows.back();  // "(all)" comes last in a segmented period
  const std::string period = r.options.scheme.label(last.period);
  bool ok = true;
  for (const auto& g : gates) {
    const ratio value = (last.*g.value)();
    if (!value.defined()) {
      fmt::print(stderr, "ndr: {} {} is undefined (empty cohort), below the floor {} {}\n",
                 period, g.metric, g.option, g.text);
      ok = false;
    } else if (value.compare(g.millionths) < 0) {
      // The comparison is exact; show enough digits (up to 6) that the value
      // is visibly below the floor: 1.00996 against 1.01 is not "1.0100".
      int digits = 4;
      while (digits < money::kScaleDigits &&
             __int128(value.rounded(digits)) * money::kScale >=
                 __int128(g.millionths) * pow10(digits)) {
        ++digits;
      }
      fmt::print(stderr, "ndr: {} {} {} ({}) is below the floor {} {}\n", period, g.metric,
                 format_ratio(value, digits), format_percent(value, 1), g.option, g.text);
      ok = false;
    }
  }
  return ok;
}

html_options html_page(const report_args& a) {
  html_options page;
  page.title = a.title;
  page.arr = a.output.arr;
  if (a.stamp) {
    const std::time_t now = std::time(nullptr);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    page.stamp = text;
  }
  return page;
}

void warn_empty(const report_options& o, const std::string& period) {
  fmt::print(stderr,
             "ndr: warning: the report is empty: no {0} has a snapshot date both in it and "
             "{1} {0}{2} before it{3}\n",
             period, o.window, o.window == 1 ? "" : "s",
             o.from || o.to ? " within --from/--to" : "");
}

std::vector<cohort_cell> cohorts_of(const data_set& data, const period_scheme& scheme) {
  return data.rates ? build_fx_cohorts(*data.parts, *data.rates, data.mode, scheme)
                    : build_cohorts(data.store, scheme);
}

}  // namespace

CLI::App* add_report_command(CLI::App& app, report_args& a) {
  CLI::App* cmd = app.add_subcommand("report", "NDR, GRR and logo retention per period");
  add_input_options(cmd, a.input);
  add_period_options(cmd, a.periods);
  cmd->add_option("--from", a.from, "first period shown (a label: 2024-03, 2024-Q1, FY2025)");
  cmd->add_option("--to", a.to, "last period shown");
  add_output_options(cmd, a.output);
  cmd->add_option("--min-ndr", a.min_ndr, "exit 3 when the latest NDR is below this (0.95 or 95%)");
  cmd->add_option("--min-grr", a.min_grr, "exit 3 when the latest GRR is below this");
  cmd->add_option("--min-logo-retention", a.min_logo_retention,
                  "exit 3 when the latest logo retention is below this");
  cmd->add_option("--title", a.title, "html: the page's title")->capture_default_str();
  cmd->add_flag("--stamp", a.stamp, "html: print when the page was made (otherwise the same input gives the same bytes)");
  return cmd;
}

int run_report(const report_args& a) {
  report_options options = to_report_options(a.periods);
  if (!a.from.empty()) options.from = parse_period(a.from, "--from", options.scheme);
  if (!a.to.empty()) options.to = parse_period(a.to, "--to", options.scheme);
  if (options.from && options.to && *options.from > *options.to) {
    throw UsageError(fmt::format("--from {} is after --to {}", a.from, a.to));
  }
  const format_options format = to_format_options(a.output);
  const std::vector<gate> gates = parse_gates(a);
  output_file out = open_output(a.output, a.input);

  const data_set data = load_data(a.input, a.output.quiet);
  const report r = data.rates ? build_fx_report(*data.parts, *data.rates, data.mode, options)
                              : build_report(data.store, options);
  if (r.rows.empty() && !a.output.quiet) warn_empty(options, a.periods.period);
  if (format.format == output_format::html) {
    html_options page = html_page(a);
    page.skipped_rows = data.skipped_rows;
    page.skipped_first = data.skipped_first;
    write_output(a.output, out, render_html(r, cohorts_of(data, options.scheme), page));
  } else {
    write_output(a.output, out, render_report(r, with_skipped(format, data)));
  }
  return check_gates(r, gates) ? 0 : kExitGate;
}

CLI::App* add_movements_command(CLI::App& app, movements_args& a) {
  CLI::App* cmd = app.add_subcommand("movements", "the per-customer ledger behind one report row");
  add_input_options(cmd, a.input);
  add_period_options(cmd, a.periods);
  cmd->add_option("--at", a.at, "the report row's period (a label: 2024-03, 2024-Q1, FY2025)")
      ->required();
  add_output_options(cmd, a.output, false);
  return cmd;
}

int run_movements(const movements_args& a) {
  const report_options options = to_report_options(a.periods);
  const std::int64_t at = parse_period(a.at, "--at", options.scheme);
  const format_options format = to_format_options(a.output);
  output_file out = open_output(a.output, a.input);
  const data_set data = load_data(a.input, a.output.quiet);
  const std::optional<snapshot_store> converted =
      data.rates ? fx_store_for_row(*data.parts, *data.rates, data.mode, options, at)
                 : std::nullopt;
  const snapshot_store& store = data.rates ? (converted ? *converted : data.store) : data.store;
  const auto lines = build_ledger(store, options, at);
  if (!lines) {
    throw InputError(fmt::format("no report row for {}: it needs a snapshot date in {} and in {}",
                                 a.at, a.at, options.scheme.label(at - options.window)));
  }
  write_output(a.output, out, render_ledger(*lines, store, options, at, with_skipped(format, data)));
  return 0;
}

CLI::App* add_cohorts_command(CLI::App& app, cohorts_args& a) {
  CLI::App* cmd = app.add_subcommand("cohorts", "the acquisition-cohort triangle");
  add_input_options(cmd, a.input, {false, true, true, true});
  add_period_options(cmd, a.periods, period_flags::no_window, {"month", "quarter", "year"});
  add_output_options(cmd, a.output, false);
  cmd->add_flag("--logos", a.logos, "table: logo retention instead of revenue retention");
  return cmd;
}

int run_cohorts(const cohorts_args& a) {
  const report_options options = to_report_options(a.periods);
  format_options format = to_format_options(a.output);
  format.logos = a.logos;
  output_file out = open_output(a.output, a.input);
  const data_set data = load_data(a.input, a.output.quiet);
  write_output(a.output, out,
               render_cohorts(cohorts_of(data, options.scheme), options.scheme,
                              with_skipped(format, data)));
  return 0;
}

CLI::App* add_validate_command(CLI::App& app, validate_args& a) {
  CLI::App* cmd = app.add_subcommand("validate", "check an export before reporting on it");
  add_input_options(cmd, a.input, {false, false, false, true});
  add_period_options(cmd, a.periods, period_flags::no_window);
  cmd->add_option("--format", a.output.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-o,--output", a.output.output, "write to FILE atomically instead of standard output");
  cmd->add_flag("--strict", a.strict, "exit 1 on warnings too");
  add_config_option(cmd);
  return cmd;
}

int run_validate(const validate_args& a) {
  const report_options options = to_report_options(a.periods);
  const bool json = a.output.format == "json" ||
                    (a.output.format.empty() && format_named_by(a.output.output) == "json");
  check_output_name(a.output, json ? "json" : "text");
  output_file out = open_output(a.output, a.input);
  load_options load = to_load_options(a.input);
  const customer_map parents =
      a.input.customer_map.empty() ? customer_map() : customer_map::load(a.input.customer_map);
  load.parents = &parents;
  const validation v = validate_files(a.input.files, load, options.scheme);
  write_output(a.output, out, json ? render_validation_json(v) : render_validation_text(v));
  if (!v.errors.empty()) return 1;
  return a.strict && !v.warnings.empty() ? 1 : 0;
}

}  // namespace ndr::cli

namespace ndr::cli {

CLI::App* add_snapshots_command(CLI::App& app, snapshots_args& a) {
  CLI::App* cmd = app.add_subcommand(
      "snapshots", "the snapshot rows derived from subscriptions, to trace or re-run");
  add_input_options(cmd, a.input, {true, true, false, false});
  cmd->add_option("--currency", a.input.currency,
                  "the reporting currency: blank currency cells in minor units are in it "
                  "(default: the data's single currency, else USD)");
  cmd->add_option("--format", a.output.format, "csv (the only one)")->check(CLI::IsMember({"csv"}));
  cmd->add_option("-o,--output", a.output.output, "write to FILE atomically instead of standard output");
  cmd->add_flag("-q,--quiet", a.output.quiet, "no warnings; errors only (for cron)");
  add_config_option(cmd);
  return cmd;
}

int run_snapshots(const snapshots_args& a) {
  check_output_name(a.output, "csv");
  output_file out = open_output(a.output, a.input);
  write_output(a.output, out, derived_snapshot_csv(a.input, a.output.quiet));
  return 0;
}

CLI::App* add_presets_command(CLI::App& app) {
  return app.add_subcommand("presets", "list the subscription export presets and their columns");
}

namespace {

std::string column_text(const subscription_column& c) {
  if (c.names.empty()) return "(not read)";
  std::string out;
  for (const auto& n : c.names) out += (out.empty() ? "" : " or ") + n;
  return out;
}

}  // namespace

int run_presets() {
  std::string out;
  for (const preset& p : all_presets()) {
    const subscription_options& o = p.options;
    out += fmt::format("{}\n  {}\n  source: {}\n", p.name, p.description, p.source);
    const std::pair<const char*, const subscription_column*> columns[] = {
        {"customer_id", &o.customer},   {"start_date", &o.start},
        {"end_date", &o.end},           {"amount", &o.amount},
        {"interval", &o.interval},      {"interval_count", &o.interval_count},
        {"quantity", &o.quantity},      {"currency", &o.currency},
        {"status", &o.status}};
    for (const auto& [ours, theirs] : columns) {
      out += fmt::format("  {:<15} {}\n", ours, column_text(*theirs));
    }
    out += fmt::format("  {:<15} {}\n\n", "amounts",
                       o.minor_units ? "minor units (cents; yen for JPY)" : "major units (12.50)");
  }
  write_stdout(out);
  return 0;
}

}  // namespace ndr::cli
