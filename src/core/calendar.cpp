#include "ndr/calendar.h"

#include <date/date.h>
#include <fmt/format.h>

#include <sstream>

namespace ndr {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<day_number> to_days(int y, int m, int d) {
  const date::year_month_day ymd{date::year{y}, date::month(unsigned(m)),
                                 date::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return day_number(date::sys_days{ymd}.time_since_epoch().count());
}

std::optional<day_number> parse_builtin(std::string_view s) {
  int y, m, d;
  if (!digits(s, 0, 4, &y) || s.size() < 7 || s[4] != '-' ||
      !digits(s, 5, 2, &m)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12) return std::nullopt;
  if (s.size() == 7) {
    const auto last = date::year_month_day_last{
        date::year{y}, date::month_day_last{date::month(unsigned(m))}};
    return day_number(date::sys_days{last}.time_since_epoch().count());
  }
  if (s.size() < 10 || s[7] != '-' || !digits(s, 8, 2, &d)) return std::nullopt;
  if (s.size() > 10) {
    // A date-time: the date part is taken as written, if a time follows.
    if ((s[10] != 'T' && s[10] != ' ') || s.size() < 12 || s[11] < '0' ||
        s[11] > '9') {
      return std::nullopt;
    }
  }
  return to_days(y, m, d);
}

// The layouts made of %d, %m, %Y, %y and plain characters alone (the
// locales' and most --date-format ones), read by hand: a stream per field
// costs a microsecond, 10 s on 10M rows. std::nullopt in `handled` when the
// layout has anything else, for the stream.
std::optional<day_number> parse_simple_layout(std::string_view s,
                                              std::string_view format,
                                              bool* handled) {
  *handled = false;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == ' ' || format[i] == '\t') return std::nullopt;
    if (format[i] != '%') continue;
    if (i + 1 >= format.size() ||
        std::string_view("dmYy").find(format[i + 1]) == std::string_view::npos)
      return std::nullopt;
    ++i;
  }
  *handled = true;
  int y = -1, m = -1, d = -1;
  size_t at = 0;
  // Reads between min and max digits at `at`.
  const auto number = [&](size_t min, size_t max, int* out) {
    size_t n = 0;
    int v = 0;
    while (n < max && at < s.size() && s[at] >= '0' && s[at] <= '9') {
      v = v * 10 + (s[at++] - '0');
      ++n;
    }
    *out = v;
    return n >= min;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      if (at >= s.size() || s[at++] != format[i]) return std::nullopt;
      continue;
    }
    const char f = format[++i];
    bool ok = false;
    if (f == 'd') ok = number(1, 2, &d);
    if (f == 'm') ok = number(1, 2, &m);
    if (f == 'Y') ok = number(4, 4, &y);
    if (f == 'y' && (ok = number(2, 2, &y)))
      y += y < 69 ? 2000 : 1900;  // POSIX, as date::parse has it
    if (!ok) return std::nullopt;
  }
  if (at != s.size() || y < 1000 || m < 0 || d < 0) return std::nullopt;
  return to_days(y, m, d);
}

std::optional<day_number> parse_with_format(std::string_view s,
                                            const std::string& format) {
  bool handled = false;
  const auto simple = parse_simple_layout(s, format, &handled);
  if (handled) return simple;
  std::istringstream in{std::string(s)};
  date::year_month_day ymd{};
  in >> date::parse(format, ymd);
  // A year before 1000 is a two-digit year read by %Y (31.01.24): an error,
  // never the year 24.
  if (in.fail() || !ymd.ok() || int(ymd.year()) < 1000) return std::nullopt;
  in.peek();
  if (!in.eof()) return std::nullopt;  // trailing text the layout did not cover
  return day_number(date::sys_days{ymd}.time_since_epoch().count());
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// What reads a date the built-in layouts do not: a day-first one (31.01.2024,
// 31/01/2024) is a European export's, which --locale reads whole.
std::string day_first_hint(std::string_view text) {
  int fields[3] = {0, 0, 0};
  size_t n = 0, digits = 0;
  char sep = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9' && n < 3 && digits < 4) {
      fields[n] = fields[n] * 10 + (c - '0');  // at most 4 digits: no overflow
      ++digits;
    } else if ((c == '.' || c == '/' || c == '-') && digits > 0 && n < 2 &&
               (sep == 0 || sep == c)) {
      sep = c;
      ++n;
      digits = 0;
    } else {
      return "--date-format reads other layouts, e.g. %d/%m/%Y";
    }
  }
  const bool day_first = n == 2 && fields[2] >= 1000 && fields[0] >= 1 &&
                         fields[0] <= 31 && fields[1] >= 1 && fields[1] <= 12;
  if (!day_first) return "--date-format reads other layouts, e.g. %d/%m/%Y";
  const std::string layout = fmt::format("%d{}%m{}%Y", sep, sep);
  if (sep == '.')
    return "a day-first date: --date-format %d.%m.%Y reads it, and --locale "
           "de a German export whole (; and 1.234,50 too)";
  if (sep == '-')
    return "a day-first date: --date-format %d-%m-%Y reads it, and --locale "
           "nl a Dutch export whole (; and 1.234,50 too)";
  if (fields[0] > 12)
    return fmt::format(
        "a day-first date: --date-format {} reads it, and --locale fr or "
        "en-gb an export whole (fr: ; and 1.234,50; en-gb: , and 1,234.50)",
        layout);
  return fmt::format(
      "day first or month first? --date-format {} or --date-format "
      "%m{}%d{}%Y",
      layout, sep, sep);
}

}  // namespace

std::optional<day_number> parse_date(std::string_view text,
                                     const std::string& format) {
  if (format.empty()) return parse_builtin(text);
  if (format.find('|') == std::string::npos)
    return parse_with_format(text, format);
  // Layouts tried in order; an empty one is the built-in layouts.
  std::string_view rest = format;
  while (true) {
    const size_t bar = rest.find('|');
    const std::string layout(rest.substr(0, bar));
    const auto d =
        layout.empty() ? parse_builtin(text) : parse_with_format(text, layout);
    if (d || bar == std::string_view::npos) return d;
    rest.remove_prefix(bar + 1);
  }
}

std::string format_date(day_number d) {
  const date::year_month_day ymd{date::sys_days{date::days{d}}};
  return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()));
}

std::int64_t period_scheme::index_of(day_number d) const {
  const date::year_month_day ymd{date::sys_days{date::days{d}}};
  const std::int64_t month_index =
      std::int64_t(int(ymd.year())) * 12 + unsigned(ymd.month()) - 1;
  if (kind == period_kind::month) return month_index;
  // Months counted from the start of fiscal year 0; a fiscal year that starts
  // in month M > 1 is named by the calendar year in which it ends.
  const std::int64_t fiscal_month =
      month_index - (fiscal_start - 1) + (fiscal_start == 1 ? 0 : 12);
  return floor_div(fiscal_month, kind == period_kind::quarter ? 3 : 12);
}

std::string period_scheme::label(std::int64_t index) const {
  const char* fy = fiscal_start == 1 ? "" : "FY";
  switch (kind) {
    case period_kind::month:
      return fmt::format("{:04}-{:02}", floor_div(index, 12),
                         index - floor_div(index, 12) * 12 + 1);
    case period_kind::quarter:
      return fmt::format("{}{:04}-Q{}", fy, floor_div(index, 4),
                         index - floor_div(index, 4) * 4 + 1);
    case period_kind::year:
      return fmt::format("{}{:04}", fy, index);
  }
  return {};
}

std::optional<std::int64_t> period_scheme::parse_label(
    std::string_view text) const {
  std::string_view s = text;
  if (kind != period_kind::month && fiscal_start != 1) {
    if (s.substr(0, 2) != "FY") return std::nullopt;
    s.remove_prefix(2);
  }
  int y, n;
  if (!digits(s, 0, 4, &y)) return std::nullopt;
  switch (kind) {
    case period_kind::month:
      if (s.size() != 7 || s[4] != '-' || !digits(s, 5, 2, &n) || n < 1 ||
          n > 12)
        break;
      return std::int64_t(y) * 12 + n - 1;
    case period_kind::quarter:
      if (s.size() != 7 || s.substr(4, 2) != "-Q" || !digits(s, 6, 1, &n) ||
          n < 1 || n > 4)
        break;
      return std::int64_t(y) * 4 + n - 1;
    case period_kind::year:
      if (s.size() != 4) break;
      return y;
  }
  return std::nullopt;
}

std::string period_scheme::label_example() const {
  const char* fy = fiscal_start == 1 ? "" : "FY";
  switch (kind) {
    case period_kind::month:
      return "a month such as 2024-03";
    case period_kind::quarter:
      return fmt::format("a quarter such as {}2024-Q1", fy);
    case period_kind::year:
      return fmt::format("a year such as {}2024", fy);
  }
  return {};
}

std::string invalid_date_message(std::string_view text,
                                 const std::string& format) {
  if (!format.empty() && format.find('|') != std::string::npos) {
    std::string layouts;
    size_t at = 0;
    while (at <= format.size()) {
      const size_t bar = std::min(format.find('|', at), format.size());
      const std::string layout = format.substr(at, bar - at);
      layouts +=
          (layouts.empty() ? "" : " or ") +
          (layout.empty() ? std::string("YYYY-MM-DD") : "'" + layout + "'");
      at = bar + 1;
    }
    return fmt::format("invalid date '{}': expected {}", text, layouts);
  }
  if (!format.empty()) {
    return fmt::format(
        "invalid date '{}': expected the --date-format layout '{}'", text,
        format);
  }
  return fmt::format(
      "invalid date '{}': expected YYYY-MM-DD, YYYY-MM or a date-time "
      "({})",
      text, day_first_hint(text));
}

date_run main_date_run(
    const std::vector<std::pair<day_number, std::uint64_t>>& dates) {
  date_run best, run;
  std::uint64_t weight = 0;
  std::optional<std::uint64_t> best_weight;
  const auto close_run = [&] {
    if (!best_weight || weight > *best_weight) best = run, best_weight = weight;
  };
  for (size_t k = 0; k < dates.size(); ++k) {
    const day_number d = dates[k].first;
    const bool gap = k > 0 && d - dates[k - 1].first > kOutlierDays;
    if (gap) {
      close_run();
      weight = 0;
    }
    if (k == 0 || gap) run.first = d;
    run.last = d;
    weight += dates[k].second;
  }
  if (!dates.empty()) close_run();
  return best;
}

std::string outlier_date_message(day_number d, const date_run& run) {
  return fmt::format(
      "{} is more than {} years from the rest of the data (which runs from {} "
      "to "
      "{}): a typo? --allow-date-range accepts it",
      format_date(d), kOutlierYears, format_date(run.first),
      format_date(run.last));
}

}  // namespace ndr
