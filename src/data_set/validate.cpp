#include "ndr/validate.h"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "ndr/error.h"
#include "ndr/format.h"
#include "ndr/fx.h"

namespace ndr {
namespace {

// Customers, not currency parts: acme's EUR part and acme are one.
size_t count_customers(const snapshot_store& store) {
  if (store.customer_currency.empty()) return store.customers.size();
  std::unordered_set<std::string_view> ids(store.customers.begin(),
                                           store.customers.end());
  return ids.size();
}

constexpr size_t kListed = 20;  // findings listed per kind in the text summary

std::string where_of(const load_stats::place& p) {
  return fmt::format("{}:{}", p.source, p.line);
}

std::string where_of(const InputError& e) {
  if (e.source().empty()) return {};
  if (!e.line()) return e.source();
  if (e.position())
    return fmt::format("{}:{}:{}", e.source(), e.line(), e.position());
  return fmt::format("{}:{}", e.source(), e.line());
}

// The message of an InputError without its location.
std::string message_of(const InputError& e) {
  return e.column().empty()
             ? e.detail()
             : fmt::format("column '{}': {}", e.column(), e.detail());
}

date::year_month_day ymd(day_number d) {
  return date::year_month_day{date::sys_days{date::days{d}}};
}

bool month_end(day_number d) {
  const auto x = ymd(d);
  return x.day() ==
         date::year_month_day_last{x.year(), date::month_day_last{x.month()}}
             .day();
}

int months_between(day_number a, day_number b) {
  const auto x = ymd(a), y = ymd(b);
  return (int(y.year()) - int(x.year())) * 12 + int(unsigned(y.month())) -
         int(unsigned(x.month()));
}

// The step from a to b as a cadence name, or "" when it is none.
std::string step_kind(day_number a, day_number b) {
  if (b - a == 1) return "daily";
  if (b - a == 7) return "weekly";
  const int months = months_between(a, b);
  const bool ends = month_end(a) && month_end(b);
  const bool same_day = ymd(a).day() == ymd(b).day();
  if (months == 1 && ends) return "monthly (month ends)";
  if (months == 1 && same_day) return "monthly";
  if (months == 3 && ends && unsigned(ymd(b).month()) % 3 == 0)
    return "quarterly (quarter ends)";
  return {};
}

void add_gap_warnings(validation& v, const std::vector<day_number>& dates,
                      const period_scheme& scheme) {
  if (dates.empty()) return;
  std::vector<std::int64_t> periods;
  for (day_number d : dates) periods.push_back(scheme.index_of(d));
  // One finding per run of missing periods, so that a stray far date costs
  // one line, not one per period.
  for (size_t i = 1; i < periods.size(); ++i) {
    const std::int64_t first = periods[i - 1] + 1, last = periods[i] - 1;
    if (first > last) continue;
    const std::string run =
        first == last
            ? scheme.label(first)
            : fmt::format("{} to {}", scheme.label(first), scheme.label(last));
    v.gaps.push_back(run);
    v.warnings.push_back(
        {"", first == last
                 ? fmt::format(
                       "no snapshot date in {}: no report row can start or end "
                       "there",
                       run)
                 : fmt::format(
                       "no snapshot date from {} ({} periods): no report row "
                       "can start or end there",
                       run, last - first + 1)});
  }
}

void add_stat_warnings(validation& v, const load_stats& s,
                       const snapshot_store& store) {
  for (size_t d : partial_dates(s.customers_with_rows)) {
    const std::uint32_t before = d > 0 ? s.customers_with_rows[d - 1] : 0;
    const std::uint32_t after =
        d + 1 < s.customers_with_rows.size() ? s.customers_with_rows[d + 1] : 0;
    std::string neighbours;
    if (d > 0)
      neighbours +=
          fmt::format("{} on {}", before, format_date(store.dates[d - 1]));
    if (d + 1 < store.dates.size()) {
      neighbours += fmt::format("{}{} on {}", neighbours.empty() ? "" : " and ",
                                after, format_date(store.dates[d + 1]));
    }
    v.warnings.push_back(
        {where_of(s.first_row_of_date[d]),
         fmt::format("{} is a partial snapshot date: rows for {} customer{} "
                     "against {}; every "
                     "other customer counts as 0 there",
                     format_date(store.dates[d]), s.customers_with_rows[d],
                     s.customers_with_rows[d] == 1 ? "" : "s", neighbours)});
  }
  if (s.summed_pairs > 0) {
    const auto& pair = s.summed_examples.front();
    std::string lines;
    for (const auto& p : pair.rows)
      lines += (lines.empty() ? "" : ", ") + std::to_string(p.line);
    v.warnings.push_back(
        {where_of(pair.rows.front()),
         fmt::format("{} (customer, date) pair{} summed from several rows, for "
                     "example customer "
                     "'{}' on {} (lines {})",
                     s.summed_pairs, s.summed_pairs == 1 ? " was" : "s were",
                     pair.customer, format_date(pair.date), lines)});
  }
  if (s.zero_rows > 0) {
    v.warnings.push_back(
        {where_of(s.zero_examples.front()),
         fmt::format("{} row{} a zero amount, for example this one",
                     s.zero_rows, s.zero_rows == 1 ? " has" : "s have")});
  }
}

// Errors and skipped-row warnings kept; further errors are only counted
// (validation::more_errors).
constexpr size_t kKept = 1000;

void add_error(validation& v, const InputError& e) {
  if (v.errors.size() < kKept) {
    v.errors.push_back({where_of(e), message_of(e)});
  } else {
    ++v.more_errors;
  }
}

// Bad rows and data errors become findings instead of stopping the load.
// A bad row is an error unless --skip-bad-rows is given: then it would not
// stop a report, so it is a warning.
void collect_findings(validation& v, input_spec& spec) {
  load_options& options = spec.snapshots;
  if (spec.subscriptions) {
    spec.subscriptions->on_warning = [&v](const std::string& what) {
      v.warnings.push_back({"", what});
    };
  }
  const bool report_skips = options.skip_bad_rows;
  options.skip_bad_rows = true;
  options.on_skipped_row = [&v, report_skips](const InputError& e) {
    if (!report_skips) return add_error(v, e);
    if (v.warnings.size() < kKept) {
      v.warnings.push_back(
          {where_of(e), "skipped by --skip-bad-rows: " + message_of(e)});
    }
  };
  options.on_data_error = [&v](const InputError& e) { add_error(v, e); };
}

// Loads the data set and, since what stops the engine (a missing exchange
// rate, a total too large) stops a report, runs one on it with these periods
// and a window of 1. What stops either becomes an error; v.loaded says
// whether the returned data set was read.
data_set load_and_report(validation& v, const input_spec& spec,
                         const period_scheme& scheme) {
  data_set data;
  try {
    data = load_data_set(spec);
    v.loaded = true;
    report_options report;
    report.scheme = scheme;
    if (data.rates || data.store.customer_currency.empty())
      build_report(data, report);
  } catch (const InputError& e) {
    // Unreadable, a missing column, nothing to report, a missing rate.
    add_error(v, e);
  }
  return data;
}

void add_counts(validation& v, const snapshot_store& store,
                const load_stats& stats) {
  v.rows_read = store.rows_read;
  v.rows_skipped = store.rows_skipped;
  v.customers = count_customers(store);
  v.snapshot_dates = store.dates.size();
  v.first_date = store.dates.front();
  v.last_date = store.dates.back();
  v.cadence = describe_cadence(store.dates);
  v.summed_pairs = stats.summed_pairs;
  v.zero_rows = stats.zero_rows;
  v.negative_rows = stats.negative_rows;
}

void add_store_warnings(validation& v, const snapshot_store& store) {
  if (store.empty_rows > 0) {
    v.warnings.push_back(
        {store.first_empty_row,
         fmt::format("{} empty row{} (delimiters alone, as a spreadsheet "
                     "saves unused rows) skipped; the first is here",
                     store.empty_rows, store.empty_rows == 1 ? "" : "s")});
  }
  if (store.dates.size() == 1) {
    v.warnings.push_back(
        {"",
         fmt::format("one snapshot date only ({}): a report needs two, so it "
                     "would have no rows",
                     format_date(store.dates.front()))});
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The text summary's lines on what was read.
std::string counts_text(const validation& v) {
  const auto n = [](std::uint64_t x) {
    return format_money(money::from_whole(std::int64_t(x)), 0, true);
  };
  std::string out;
  if (v.input == "subscriptions") {
    out += fmt::format(
        "rows            {} snapshot rows derived, {} subscription rows "
        "skipped as bad\n",
        n(v.rows_read), n(v.rows_skipped));
  } else {
    out += fmt::format("rows            {} read, {} skipped as bad\n",
                       n(v.rows_read), n(v.rows_skipped));
  }
  out += fmt::format("customers       {}\n", n(v.customers));
  out += fmt::format("snapshot dates  {}, {} to {}, {}\n", n(v.snapshot_dates),
                     format_date(v.first_date), format_date(v.last_date),
                     v.cadence);
  const std::string gaps = joined(v.gaps);
  out += fmt::format("gaps            {}\n", gaps.empty() ? "none" : gaps);
  // Derived rows are not the file's: no row statistics.
  if (v.input == "snapshots") {
    out += fmt::format(
        "summed pairs    {} (customer, date) pair{} summed from several "
        "rows\n",
        n(v.summed_pairs), v.summed_pairs == 1 ? "" : "s");
    out += fmt::format("zero rows       {}\n", n(v.zero_rows));
    out += fmt::format(
        "negative rows   {} (fine while a customer's total stays >= 0)\n",
        n(v.negative_rows));
  }
  return out;
}

// A titled list of findings, the first kListed of them; "" when none.
std::string findings_text(const char* title, const std::vector<finding>& items,
                          std::uint64_t more) {
  const std::uint64_t total = items.size() + more;
  if (total == 0) return {};
  std::string out = fmt::format("\n{} ({}):\n", title, total);
  for (size_t i = 0; i < std::min(items.size(), kListed); ++i) {
    const auto& f = items[i];
    out += fmt::format("  {}{}{}\n", f.where, f.where.empty() ? "" : ": ",
                       f.message);
  }
  if (total > kListed) out += fmt::format("  … and {} more\n", total - kListed);
  return out;
}

std::string result_text(const validation& v) {
  const std::uint64_t errors = v.errors.size() + v.more_errors;
  return fmt::format("\nresult: {} error{}, {} warning{}: {}\n", errors,
                     errors == 1 ? "" : "s", v.warnings.size(),
                     v.warnings.size() == 1 ? "" : "s",
                     errors ? "ndr report would stop on this data"
                     : v.warnings.empty()
                         ? "ready to report"
                         : "ndr report would run; read the warnings");
}

}  // namespace

std::string describe_cadence(const std::vector<day_number>& dates) {
  if (dates.size() < 2) return dates.empty() ? "no dates" : "a single date";
  // Each step's kind, tallied in one pass (a handful of kinds).
  std::vector<std::pair<std::string, size_t>> tally;
  for (size_t i = 1; i < dates.size(); ++i) {
    std::string kind = step_kind(dates[i - 1], dates[i]);
    auto it = std::find_if(tally.begin(), tally.end(),
                           [&](const auto& t) { return t.first == kind; });
    if (it == tally.end()) {
      tally.emplace_back(std::move(kind), 1);
    } else {
      ++it->second;
    }
  }
  const size_t steps = dates.size() - 1;
  std::string best;
  size_t best_count = 0;
  for (const auto& [kind, n] : tally) {
    if (!kind.empty() && n > best_count) best = kind, best_count = n;
  }
  if (best_count == steps) return best;
  if (best_count * 5 >= steps * 4) {
    const size_t odd = steps - best_count;
    return fmt::format("{}, {} irregular step{}", best, odd,
                       odd == 1 ? "" : "s");
  }
  return "irregular";
}

std::vector<size_t> partial_dates(const std::vector<std::uint32_t>& counts) {
  std::vector<size_t> out;
  for (size_t d = 0; d < counts.size(); ++d) {
    const bool has_before = d > 0, has_after = d + 1 < counts.size();
    if (!has_before && !has_after) continue;
    const bool under_before =
        !has_before || std::uint64_t(counts[d]) * 2 < counts[d - 1];
    const bool under_after =
        !has_after || std::uint64_t(counts[d]) * 2 < counts[d + 1];
    if (under_before && under_after) out.push_back(d);
  }
  return out;
}

validation validate_data_set(input_spec spec, const period_scheme& scheme) {
  validation v;
  load_stats stats;
  const bool subscriptions = spec.subscriptions.has_value();
  v.input = subscriptions ? "subscriptions" : "snapshots";
  // Derived snapshot rows are not the file's rows: their zero rows and sums
  // say nothing about the export.
  if (!subscriptions) spec.snapshots.stats = &stats;
  collect_findings(v, spec);
  const data_set data = load_and_report(v, spec, scheme);
  if (!v.loaded) {
    v.files = spec.files;
    return v;
  }
  const snapshot_store& store = data.loaded();
  v.files = subscriptions ? spec.files : stats.files;
  add_counts(v, store, stats);
  add_store_warnings(v, store);
  add_gap_warnings(v, store.dates, scheme);
  if (!subscriptions) add_stat_warnings(v, stats, store);
  return v;
}

std::string render_validation_text(const validation& v) {
  std::string out = fmt::format("files           {}\n", joined(v.files));
  if (v.loaded) out += counts_text(v);
  out += findings_text("errors", v.errors, v.more_errors);
  out += findings_text("warnings", v.warnings, 0);
  return out + result_text(v);
}

std::string render_validation_json(const validation& v) {
  const auto strings = [](const std::vector<std::string>& xs) {
    std::string out = "[";
    for (size_t i = 0; i < xs.size(); ++i)
      out += (i ? ", " : "") + json_string(xs[i]);
    return out + "]";
  };
  const auto findings = [](const std::vector<finding>& xs) {
    std::string out = "[";
    for (size_t i = 0; i < xs.size(); ++i) {
      out += fmt::format("{}\n    {{\"where\": {}, \"message\": {}}}",
                         i ? "," : "", json_string(xs[i].where),
                         json_string(xs[i].message));
    }
    return out + (xs.empty() ? "]" : "\n  ]");
  };
  std::string out = "{\n";
  out += fmt::format("  \"files\": {},\n  \"loaded\": {},\n", strings(v.files),
                     v.loaded ? "true" : "false");
  // Snapshot files, the common case, keep the key out (older readers).
  if (v.input != "snapshots")
    out += fmt::format("  \"input\": {},\n", json_string(v.input));
  if (v.loaded) {
    out += fmt::format(
        "  \"rows_read\": {},\n  \"rows_skipped\": {},\n  \"customers\": {},\n"
        "  \"snapshot_dates\": {},\n  \"first_date\": \"{}\",\n  "
        "\"last_date\": \"{}\",\n"
        "  \"cadence\": {},\n  \"gaps\": {},\n",
        v.rows_read, v.rows_skipped, v.customers, v.snapshot_dates,
        format_date(v.first_date), format_date(v.last_date),
        json_string(v.cadence), strings(v.gaps));
    if (v.input ==
        "snapshots") {  // derived rows are not the file's: no row statistics
      out += fmt::format(
          "  \"summed_pairs\": {},\n  \"zero_rows\": {},\n  \"negative_rows\": "
          "{},\n",
          v.summed_pairs, v.zero_rows, v.negative_rows);
    }
  }
  out += fmt::format(
      "  \"error_count\": {},\n  \"errors\": {},\n  \"warning_count\": {},\n  "
      "\"warnings\": {}\n}}\n",
      v.errors.size() + v.more_errors, findings(v.errors), v.warnings.size(),
      findings(v.warnings));
  return out;
}

}  // namespace ndr
