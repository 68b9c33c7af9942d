// ndr validate: reads a data set exactly as `report` would and says whether
// it can be trusted: what was read, what would stop a report (errors) and
// what would quietly change one (warnings). Every problem names FILE:LINE
// where a line exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ndr/calendar.h"
#include "ndr/data_set.h"
#include "ndr/load.h"

namespace ndr {

struct finding {
  std::string where;    // "file.csv:12", "file.csv" or "" (a gap has no line)
  std::string message;  // one line, no location
};

struct validation {
  std::string input = "snapshots";  // or "subscriptions"
  std::vector<std::string> files;
  std::uint64_t rows_read = 0;
  std::uint64_t rows_skipped = 0;  // bad rows (each is also an error)
  std::uint64_t customers = 0;
  std::uint64_t snapshot_dates = 0;
  day_number first_date = 0, last_date = 0;
  std::string cadence;  // "monthly (month ends)", "weekly", "irregular", …
  std::vector<std::string> gaps;  // labels of periods without a snapshot date
  std::uint64_t summed_pairs = 0, zero_rows = 0, negative_rows = 0;
  std::vector<finding> errors;    // would stop `ndr report`
  std::vector<finding> warnings;  // would change a report without stopping it
  std::uint64_t more_errors = 0;  // errors beyond those listed
  bool loaded = false;            // the data set could be read at all
};

// Reads the input as `ndr report` would, through the same data-set stage
// (load_data_set), and validates it. Never throws for a data problem: it
// becomes an error finding. `scheme` decides which periods count as gaps.
// Subscription input: the rows counted are the derived snapshot rows, and
// the row statistics (zero rows, summed pairs, partial dates) are left out.
validation validate_data_set(input_spec spec, const period_scheme& scheme);

// The cadence of ascending snapshot dates: "monthly (month ends)", "monthly",
// "quarterly (quarter ends)", "weekly", "daily", "irregular", "a single date";
// with ", N irregular steps" when at least 80 % of steps follow the pattern.
std::string describe_cadence(const std::vector<day_number>& dates);

// Dates whose customers-with-rows count is under half of each neighbouring
// date's: indexes into the counts.
std::vector<size_t> partial_dates(
    const std::vector<std::uint32_t>& customers_with_rows);

std::string render_validation_text(const validation& v);
std::string render_validation_json(const validation& v);

}  // namespace ndr
