// The cohort engine: a snapshot store and report options in, report rows out
// (SPEC §2, §3). Pure computation: no files, no printing.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ndr/calendar.h"
#include "ndr/load.h"
#include "ndr/money.h"

namespace ndr {

enum class reactivation_policy {
  separate,  // a cohort customer who dipped to 0 is churned; a return is reactivation
  include,   // dips between start and end are ignored
};

struct report_options {
  period_scheme scheme;                                        // month by default
  int window = 1;                                              // W >= 1 periods per row
  reactivation_policy reactivation = reactivation_policy::separate;
  std::optional<std::int64_t> from;                            // first period shown
  std::optional<std::int64_t> to;                              // last period shown
};

// One report row (SPEC §3). Money is exact; ratios are computed on demand.
struct report_row {
  std::int64_t period = 0;  // index in the report's period_scheme
  day_number start_date = 0;
  day_number end_date = 0;
  std::int64_t cohort_customers = 0;
  std::int64_t expanded_customers = 0;
  std::int64_t contracted_customers = 0;
  std::int64_t churned_customers = 0;
  std::int64_t reactivated_customers = 0;
  std::int64_t new_customers = 0;
  money starting_mrr, expansion_mrr, contraction_mrr, churned_mrr;
  money reactivation_mrr, new_mrr;
  money end_total_mrr;  // every customer's MRR at the end snapshot (the invariant's left side)

  std::int64_t retained_customers() const { return cohort_customers - churned_customers; }
  money ending_mrr() const;
  ratio ndr() const { return {ending_mrr().units(), starting_mrr.units()}; }
  ratio grr() const;
  ratio logo_retention() const { return {retained_customers(), cohort_customers}; }
};

struct report {
  report_options options;        // what the rows were built with
  std::vector<report_row> rows;  // oldest first
};

// Builds every report row the data allows, limited to options.from..to.
// Throws InputError when a total does not fit the money type.
report build_report(const snapshot_store& store, const report_options& options);

}  // namespace ndr
