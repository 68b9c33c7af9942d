// `ndr report`: NDR, GRR and logo retention per period (and segment), with
// --min-* floors for CI (exit 3).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <optional>

#include "command.h"
#include "common.h"
#include "ndr/error.h"
#include "ndr/html.h"
#include "ndr/warehouse.h"
#include "ndr/xlsx.h"
#include "outputs.h"

namespace ndr::cli {
namespace {

constexpr int kExitGate = 3;

struct report_args {
  input_args input;
  period_args periods;
  output_args output;
  std::string from;     // first period shown (a period label)
  std::string to;       // last period shown
  std::string min_ndr;  // floors: "0.95" or "95%"
  std::string min_grr;
  std::string min_logo_retention;
  std::string title = "Net dollar retention";  // html: the page's title
  bool stamp = false;  // html, xlsx: say when it was made
  // --db: the report computed by PostgreSQL over a table (docs/sql.md).
  std::string db, table, order_col;
};

// The first option given with --db that reads files, or "".
std::string file_option(const input_args& a) {
  const input_args defaults;
  const std::pair<bool, const char*> given[] = {
      {!a.files.empty(), "input files"},
      {a.delimiter != defaults.delimiter, "--delimiter"},
      {a.decimal_comma, "--decimal-comma"},
      {a.decimal_point, "--decimal-point"},
      {!a.encoding.empty(), "--encoding"},
      {a.allow_date_range, "--allow-date-range"},
      {!a.date_format.empty(), "--date-format"},
      {a.skip_bad_rows, "--skip-bad-rows"},
      {a.max_segments != defaults.max_segments, "--max-segments"},
      {a.input != defaults.input || !a.preset.empty(),
       "--input subscriptions or --preset"},
      {!a.as_of.empty() || a.snapshot_day != 0 || !a.exclude_status.empty() ||
           !a.amount_unit.empty() || !a.start_col.empty() ||
           !a.end_col.empty() || !a.amount_col.empty() ||
           !a.interval_col.empty() || !a.interval_count_col.empty() ||
           !a.quantity_col.empty() || !a.status_col.empty(),
       "subscription options"},
      {!a.currency_col.empty() || !a.currency.empty(),
       "--currency-col or --currency"},
      {!a.fx.empty(), "--fx"},
      {!a.customer_map.empty(), "--customer-map"},
      {a.segment_by.size() > 1, "a second --segment-by"},
  };
  for (const auto& [yes, name] : given) {
    if (yes) return name;
  }
  return "";
}

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

// `m` millionths as a decimal without trailing zeros: 0.015, 1.5, 2.
std::string fraction_text(std::int64_t m) {
  std::string t = format_money(money::from_units(m), 6);
  while (t.back() == '0') t.pop_back();
  if (t.back() == '.') t.pop_back();
  return t;
}
std::string percent_text(std::int64_t m) {
  return fraction_text(m * 100) + "%";
}

// A floor no report could mean: a percentage under 10% (1.5% is 0.015, not
// 1.5), GRR or logo retention above 100% (never reached), NDR above 300%.
// The message gives the reading the value has and the likely one.
void check_plausible(const std::string& text, const char* metric,
                     const char* option, std::int64_t m, bool percent) {
  const std::int64_t one = money::kScale;
  const bool ndr = std::string_view(metric) == "NDR";
  const std::int64_t most = ndr ? 3 * one : one;  // the plausible top
  const char* write = "write a fraction (0.95) or a percentage (95%)";
  std::string why;
  if (percent && m > 0 && m < one / 10) {
    const std::int64_t meant = m * 100;  // 1.5% written for 1.5
    why = fmt::format("{} is {}; {} (a floor under 10% is implausible for {})",
                      text, fraction_text(m),
                      meant <= most
                          ? fmt::format("did you mean {}?", percent_text(meant))
                          : std::string(write),
                      metric);
  } else if (!ndr && m > one) {
    why = fmt::format(
        "{} is {}, and {} is never above 100%, so the floor could never be "
        "met; {}",
        text, percent_text(m), metric, write);
  } else if (m > most) {
    why = fmt::format("{} is {}; an NDR floor above 300% is implausible; {}",
                      text, percent_text(m), write);
  }
  if (!why.empty()) throw UsageError(fmt::format("{} {}", option, why));
}

// "0.95" is a fraction, "95%" a percentage; both become 950000 millionths.
std::optional<gate> parse_gate(const std::string& text, const char* metric,
                               ratio (report_row::*metric_of)() const,
                               const char* option) {
  if (text.empty()) return std::nullopt;
  const bool percent = text.back() == '%';
  const char* why = nullptr;
  const auto value =
      parse_money(percent ? text.substr(0, text.size() - 1) : text, &why);
  const auto bad = [&](const char* reason) {
    return UsageError(fmt::format(
        "{} '{}': {}; write a fraction (0.95) or a percentage (95%)", option,
        text, reason));
  };
  if (!value || text.find_first_of("$(,") != std::string::npos)
    throw bad("not a number");
  if (value->units() < 0) throw bad("a floor cannot be negative");
  std::int64_t m = value->units();
  if (percent) {
    if (m % 100 != 0) throw bad("too many decimal places");
    m /= 100;
  } else if (m > 10 * money::kScale) {
    throw bad("a fraction above 10 is surely a percentage without '%'");
  }
  check_plausible(text, metric, option, m, percent);
  return gate{metric, metric_of, option, text, m};
}

std::vector<gate> parse_gates(const report_args& a) {
  std::vector<gate> gates;
  for (auto g :
       {parse_gate(a.min_ndr, "NDR", &report_row::ndr, "--min-ndr"),
        parse_gate(a.min_grr, "GRR", &report_row::grr, "--min-grr"),
        parse_gate(a.min_logo_retention, "logo retention",
                   &report_row::logo_retention, "--min-logo-retention")}) {
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
    for (const auto& g : gates)
      options += (options.empty() ? "" : ", ") + std::string(g.option);
    fmt::print(stderr, "ndr: the report has no row, so {} cannot be checked\n",
               options);
    return false;
  }
  const report_row& last =
      r.rows.back();  // "(all)" comes last in a segmented period
  const std::string period = r.options.scheme.label(last.period);
  bool ok = true;
  for (const auto& g : gates) {
    const ratio value = (last.*g.value)();
    if (!value.defined()) {
      fmt::print(
          stderr,
          "ndr: {} {} is undefined (empty cohort), below the floor {} {}\n",
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
      fmt::print(stderr, "ndr: {} {} {} ({}) is below the floor {} {}\n",
                 period, g.metric, format_ratio(value, digits),
                 format_percent(value, 1), g.option, g.text);
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
             "ndr: warning: the report is empty: no {0} has a snapshot date "
             "both in it and "
             "{1} {0}{2} before it{3}\n",
             period, o.window, o.window == 1 ? "" : "s",
             o.from || o.to ? " within --from/--to" : "");
}

class report_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    report_args& a = args_;
    CLI::App* cmd =
        app.add_subcommand("report", "NDR, GRR and logo retention per period");
    add_input_options(cmd, a.input);
    add_period_options(cmd, a.periods);
    cmd->add_option("--from", a.from,
                    "first period shown (a label: 2024-03, 2024-Q1, FY2025)");
    cmd->add_option("--to", a.to, "last period shown");
    add_output_options(cmd, a.output);
    cmd->add_option("--min-ndr", a.min_ndr,
                    "exit 3 when the latest NDR is below this (0.95 or 95%)");
    cmd->add_option("--min-grr", a.min_grr,
                    "exit 3 when the latest GRR is below this");
    cmd->add_option("--min-logo-retention", a.min_logo_retention,
                    "exit 3 when the latest logo retention is below this");
    cmd->add_option("--title", a.title, "html: the page's title")
        ->capture_default_str();
    cmd->add_flag("--stamp", a.stamp,
                  "html, xlsx: record when the file was made (otherwise the "
                  "same input gives the same bytes)");
    cmd->get_option("files")->required(false);
    cmd->add_option("--db", a.db,
                    "compute the report in PostgreSQL instead of reading "
                    "files: a connection URL, e.g. postgresql://user@host/db "
                    "(docs/sql.md)");
    cmd->add_option("--table", a.table,
                    "with --db: the snapshots table or view (schema.table)");
    cmd->add_option("--order-col", a.order_col,
                    "with --db and --segment-by: the column that orders a "
                    "customer's rows for ties (SPEC §4)");
    return cmd;
  }

  void check() override {
    options_ = to_report_options(args_.periods);
    if (!args_.from.empty())
      options_.from = parse_period(args_.from, "--from", options_.scheme);
    if (!args_.to.empty())
      options_.to = parse_period(args_.to, "--to", options_.scheme);
    if (options_.from && options_.to && *options_.from > *options_.to) {
      throw UsageError(
          fmt::format("--from {} is after --to {}", args_.from, args_.to));
    }
    destinations_ = to_destinations(args_.output, true);
    gates_ = parse_gates(args_);
    if (!args_.db.empty()) return check_db();
    if (!args_.table.empty() || !args_.order_col.empty())
      throw UsageError(
          fmt::format("{} is for --db; add --db URL",
                      args_.table.empty() ? "--order-col" : "--table"));
    if (args_.input.files.empty())
      throw UsageError(
          "files is required, or --db URL --table T (see 'ndr report --help')");
    to_input_spec(args_.input);
  }

  void check_db() {
    if (args_.table.empty())
      throw UsageError("--db needs --table, the snapshots table to report on");
    const std::string conflict = file_option(args_.input);
    if (!conflict.empty()) {
      throw UsageError(fmt::format(
          "{} cannot be used with --db: the table is read by the database "
          "(docs/sql.md)",
          conflict));
    }
    if (!args_.order_col.empty() && args_.input.segment_by.empty())
      throw UsageError(
          "--order-col breaks ties between a customer's rows for --segment-by; "
          "add --segment-by COLUMN");
    sql_.table = args_.table;
    sql_.customer_col = args_.input.customer_col;
    sql_.date_col = args_.input.date_col;
    sql_.mrr_col = args_.input.mrr_col;
    if (!args_.input.segment_by.empty())
      sql_.segment_col = args_.input.segment_by.front();
    if (!args_.order_col.empty()) sql_.order_col = args_.order_col;
    sql_.report = options_;
  }

  // The report and (for html and xlsx) the cohorts, from the files or the
  // database.
  struct computed {
    report r;
    std::vector<cohort_cell> cohorts;
    loaded_data data;
  };
  computed compute(bool with_cohorts) const {
    if (!args_.db.empty()) {
      const warehouse db(args_.db);
      computed c{db.build_report(sql_), {}, {}};
      if (with_cohorts) c.cohorts = db.build_cohorts(sql_);
      return c;
    }
    computed c{{}, {}, load_data(args_.input, args_.output.quiet)};
    c.r = build_report(c.data.data, options_);
    if (with_cohorts) c.cohorts = build_cohorts(c.data.data, options_.scheme);
    return c;
  }

  // The ledger of the latest row, for the workbook; none with --db.
  // The workbook's Movements sheet: the latest row's ledger, left out (and
  // said so) when it has more lines than a worksheet holds; the report
  // itself is a few rows and is written.
  std::optional<ledger> latest_ledger(const computed& c) const {
    if (!args_.db.empty() || c.r.rows.empty()) return std::nullopt;
    std::optional<ledger> l =
        build_ledger(c.data.data, options_, c.r.rows.back().period);
    if (l && l->lines.size() > kXlsxMaxRows) {
      const std::string at = options_.scheme.label(c.r.rows.back().period);
      if (!args_.output.quiet)
        fmt::print(stderr,
                   "ndr: warning: the workbook has no Movements sheet: {}'s "
                   "ledger has {} lines, more than a worksheet holds ({}); "
                   "'ndr movements --at {} -o FILE.csv' writes it\n",
                   at, l->lines.size(), kXlsxMaxRows, at);
      return std::nullopt;
    }
    return l;
  }

  std::string workbook(const computed& c,
                       const std::optional<ledger>& latest) const {
    xlsx_options o = to_xlsx_options(args_.output, args_.input, &c.data);
    if (args_.stamp) o.created = std::time(nullptr);
    if (!latest) return report_xlsx(c.r, c.cohorts, nullptr, o);
    const xlsx_ledger movements{latest->lines, latest->store(),
                                options_.scheme.label(c.r.rows.back().period)};
    return report_xlsx(c.r, c.cohorts, &movements, o);
  }

  std::string render(const destination& d, const computed& c,
                     const std::optional<ledger>& latest) const {
    if (d.format.format == output_format::xlsx) return workbook(c, latest);
    if (d.format.format != output_format::html)
      return render_report(c.r, with_skipped(d.format, c.data));
    html_options page = html_page(args_);
    page.skipped_rows = c.data.skipped_rows;
    page.skipped_first = c.data.skipped_first;
    return render_html(c.r, c.cohorts, page);
  }

  int run() override {
    check();
    opened_outputs out(destinations_, args_.input);
    const bool xlsx = any_in(destinations_, output_format::xlsx);
    const computed c =
        compute(xlsx || any_in(destinations_, output_format::html));
    if (c.r.rows.empty() && !args_.output.quiet)
      warn_empty(options_, args_.periods.period);
    const std::optional<ledger> latest = xlsx ? latest_ledger(c) : std::nullopt;
    for (size_t i = 0; i < destinations_.size(); ++i)
      out.stage(i, render(destinations_[i], c, latest));
    out.commit();
    return check_gates(c.r, gates_) ? 0 : kExitGate;
  }

 private:
  report_args args_;
  report_options options_;
  std::vector<destination> destinations_;
  std::vector<gate> gates_;
  sql_options sql_;  // with --db
};

const registered<report_command> registration(10);

}  // namespace
}  // namespace ndr::cli
