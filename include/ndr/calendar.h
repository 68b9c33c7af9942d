// Snapshot dates and reporting periods (SPEC §2). Dates are days since
// 1970-01-01 (date::sys_days); periods are consecutive integers so that
// "P - W" is plain subtraction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ndr {

using day_number = std::int32_t;  // days since 1970-01-01

// Parses a snapshot date: YYYY-MM-DD, YYYY-MM (the month's last day), or a
// date-time whose date part is taken (2024-01-31T00:00:00Z, 2024-01-31 12:00).
// With a non-empty `format` (strftime style, e.g. "%m/%d/%Y") only that
// layout is accepted. nullopt when the text is not a valid date.
std::optional<day_number> parse_date(std::string_view text, const std::string& format = {});

// "2024-01-31".
std::string format_date(day_number d);

enum class period_kind { month, quarter, year };

// How dates fall into periods: the kind and the first month of the fiscal year.
struct period_scheme {
  period_kind kind = period_kind::month;
  int fiscal_start = 1;  // 1..12; shifts quarters and years

  // The period holding date d; consecutive periods have consecutive indexes.
  std::int64_t index_of(day_number d) const;
  // "2024-03", "2024-Q1", "2024", or "FY2025-Q1" / "FY2025" when fiscal_start != 1.
  std::string label(std::int64_t index) const;
  // The inverse of label(); nullopt when text is not a label of this scheme.
  std::optional<std::int64_t> parse_label(std::string_view text) const;
  // A human description of the label layout, for error messages.
  std::string label_example() const;
};

}  // namespace ndr
