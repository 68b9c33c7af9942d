// Snapshot dates and reporting periods (SPEC §2). Dates are days since
// 1970-01-01 (date::sys_days); periods are consecutive integers so that
// "P - W" is plain subtraction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ndr {

using day_number = std::int32_t;  // days since 1970-01-01

// Parses a snapshot date: YYYY-MM-DD, YYYY-MM (the month's last day), or a
// date-time whose date part is taken (2024-01-31T00:00:00Z, 2024-01-31 12:00).
// With a non-empty `format` (strftime style, e.g. "%m/%d/%Y") only that
// layout is accepted. nullopt when the text is not a valid date.
std::optional<day_number> parse_date(std::string_view text,
                                     const std::string& format = {});

// "2024-01-31".
std::string format_date(day_number d);

// "invalid date 'TEXT': expected …" naming the layouts accepted and the
// option that changes them.
std::string invalid_date_message(std::string_view text,
                                 const std::string& format);

// Dates more than kOutlierYears from the rest of the data are an error unless
// --allow-date-range (docs/data-format.md): a typo such as 0001-01-01 or
// 9999-12-31 would otherwise make thousands of empty periods.
inline constexpr int kOutlierYears = 10;
inline constexpr day_number kOutlierDays =
    kOutlierYears * 365 + kOutlierYears / 4 + 1;  // 3,653

struct date_run {
  day_number first = 0, last = 0;
  bool contains(day_number d) const { return first <= d && d <= last; }
};
// `dates` (ascending, distinct, each with a weight such as its row count) cut
// into runs wherever two neighbours are more than kOutlierDays apart: the run
// of the most weight (ties: the earliest). Dates outside it are outliers.
date_run main_date_run(
    const std::vector<std::pair<day_number, std::uint64_t>>& dates);
// "D is more than 10 years from the rest of the data (which runs from … to …):
// …"
std::string outlier_date_message(day_number d, const date_run& run);

enum class period_kind { month, quarter, year };

// How dates fall into periods: the kind and the first month of the fiscal year.
struct period_scheme {
  period_kind kind = period_kind::month;
  int fiscal_start = 1;  // 1..12; shifts quarters and years

  // The period holding date d; consecutive periods have consecutive indexes.
  std::int64_t index_of(day_number d) const;
  // "2024-03", "2024-Q1", "2024", or "FY2025-Q1" / "FY2025" when fiscal_start
  // != 1.
  std::string label(std::int64_t index) const;
  // The inverse of label(); nullopt when text is not a label of this scheme.
  std::optional<std::int64_t> parse_label(std::string_view text) const;
  // A human description of the label layout, for error messages.
  std::string label_example() const;
};

}  // namespace ndr
