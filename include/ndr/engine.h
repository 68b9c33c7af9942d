// The cohort engine: a snapshot store and report options in, report rows,
// movement ledgers and cohort triangles out (SPEC §2-§4). Pure computation:
// no files, no printing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ndr/calendar.h"
#include "ndr/load.h"
#include "ndr/money.h"

namespace ndr {

enum class reactivation_policy {
  separate,  // a cohort customer who dipped to 0 is churned; a return is
             // reactivation
  include,   // dips between start and end are ignored
};

struct report_options {
  period_scheme scheme;  // month by default
  int window = 1;        // W >= 1 periods per row
  reactivation_policy reactivation = reactivation_policy::separate;
  std::optional<std::int64_t> from;  // first period shown
  std::optional<std::int64_t> to;    // last period shown
  std::uint64_t parallel_work = std::uint64_t(1)
                                << 22;  // entries × rows for threads
  // Bytes of per-segment sums held at once: rows are classified in batches
  // that fit, so memory grows with the rows reported, not segments × periods.
  std::size_t segment_sums_budget = std::size_t(64) << 20;
};

// The segment label of the total row of a segmented report (SPEC §4).
inline constexpr const char* kAllSegments = "(all)";

// One report row (SPEC §3). Money is exact; ratios are computed on demand.
struct report_row {
  std::int64_t period = 0;  // index in the report's period_scheme
  day_number start_date = 0;
  day_number end_date = 0;
  std::string segment;  // empty in an unsegmented report; "(all)" on total rows
  std::int64_t cohort_customers = 0;
  std::int64_t expanded_customers = 0;
  std::int64_t contracted_customers = 0;
  std::int64_t churned_customers = 0;
  std::int64_t reactivated_customers = 0;
  std::int64_t new_customers = 0;
  money starting_mrr, expansion_mrr, contraction_mrr, churned_mrr;
  money reactivation_mrr, new_mrr;
  money end_total_mrr;  // every customer's MRR at the end snapshot (the
                        // invariant's left side)
  money fx_impact_mrr;  // with --fx: ending_mrr at spot rates − in constant
                        // currency

  std::int64_t retained_customers() const {
    return cohort_customers - churned_customers;
  }
  money ending_mrr() const;
  ratio ndr() const { return {ending_mrr().units(), starting_mrr.units()}; }
  ratio grr() const;
  ratio logo_retention() const {
    return {retained_customers(), cohort_customers};
  }
};

struct report {
  report_options options;  // what the rows were built with
  bool segmented =
      false;  // rows carry segments, each period ending with "(all)"
  std::vector<report_row>
      rows;  // oldest first; per period segments in byte order, then "(all)"
  bool fx = false;  // rows carry fx_impact_mrr (--fx)
  // The data's first snapshot date, when the caller knows it: where the
  // first row starts in the data's first period, its cohort is every
  // customer then, all new, and no row shows them as new (opening_row).
  std::optional<day_number> first_date;
};

// The row that starts at the end of the data's first period (report::
// first_date): its total row, whose cohort is the opening customers (all
// new: nothing came before). nullptr when --from or a gap leaves no such row,
// or nobody pays there.
const report_row* opening_row(const report& r);

// Builds every report row the data allows, limited to options.from..to; with
// a segmented store, one row per segment and period plus the "(all)" total.
// Throws InputError when a total does not fit the money type.
report build_report(const snapshot_store& store, const report_options& options);

// What happened to one customer in one report row.
enum class movement {
  expansion,
  contraction,
  churn,
  flat,
  reactivation,
  new_customer
};
const char* movement_name(movement m);  // "expansion", …, "new"

struct ledger_line {
  std::uint32_t customer = 0;  // index into snapshot_store::customers
  std::string segment;         // empty when unsegmented
  money start_mrr, end_mrr;
  movement kind = movement::flat;
  money delta;  // end − start; churn: −start; reactivation and new: +end
};

// The ledger behind the report row of `period` (options.from/to ignored):
// one line per customer and movement for everyone in the cohort or paying at
// the end, ordered by movement, then |delta| descending, then customer id
// bytes. nullopt when the data has no row for that period.
std::optional<std::vector<ledger_line>> build_ledger(
    const snapshot_store& store, const report_options& options,
    std::int64_t period);

// One cell of the acquisition-cohort triangle.
struct cohort_cell {
  std::int64_t cohort = 0;  // the acquisition period
  std::int64_t age = 0;     // periods since acquisition
  std::int64_t customers = 0;
  money starting_mrr;  // the cohort's MRR at its own period-end snapshot
  money mrr;  // the cohort's MRR at period cohort+age's period-end snapshot
  std::int64_t paying = 0;  // cohort customers with MRR > 0 then

  ratio revenue_retention() const {
    return {mrr.units(), starting_mrr.units()};
  }
  ratio logo_retention() const { return {paying, customers}; }
};

// The triangle, by cohort then age; ages whose period has no snapshot are left
// out.
std::vector<cohort_cell> build_cohorts(const snapshot_store& store,
                                       const period_scheme& scheme);

}  // namespace ndr
