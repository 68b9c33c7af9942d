#include "ndr/engine.h"

#include <algorithm>
#include <cassert>

#include "ndr/error.h"

namespace ndr {
namespace {

using i128 = __int128;

// A report row being filled: start and end date indexes and 128-bit sums, so
// that adding up millions of customers cannot overflow before the final check.
struct row_builder {
  std::int64_t period;
  std::uint32_t start, end;
  std::int64_t counts[6] = {};  // cohort, expanded, contracted, churned, reactivated, new
  i128 sums[7] = {};  // starting, expansion, contraction, churned, reactivation, new, end total
};

enum count_slot { kCohort, kExpanded, kContracted, kChurned, kReactivated, kNew };
enum sum_slot { kStarting, kExpansion, kContraction, kChurnedMrr, kReactivation, kNewMrr, kEndTotal };

// The period-end snapshot of every period that has one: (period, date index).
std::vector<std::pair<std::int64_t, std::uint32_t>> period_ends(const snapshot_store& store,
                                                                const period_scheme& scheme) {
  std::vector<std::pair<std::int64_t, std::uint32_t>> ends;
  for (std::uint32_t d = 0; d < store.dates.size(); ++d) {
    const std::int64_t p = scheme.index_of(store.dates[d]);
    if (!ends.empty() && ends.back().first == p) {
      ends.back().second = d;  // dates ascend: the latest one in P wins
    } else {
      ends.emplace_back(p, d);
    }
  }
  return ends;
}

std::vector<row_builder> plan_rows(const snapshot_store& store, const report_options& options) {
  const auto ends = period_ends(store, options.scheme);
  std::vector<row_builder> rows;
  for (const auto& [period, end] : ends) {
    if (options.from && period < *options.from) continue;
    if (options.to && period > *options.to) continue;
    const auto start = std::lower_bound(
        ends.begin(), ends.end(), std::make_pair(period - options.window, std::uint32_t(0)));
    if (start == ends.end() || start->first != period - options.window) continue;
    rows.push_back(row_builder{period, start->second, end});
  }
  return rows;
}

// A customer's positive-MRR entries, sorted by date index.
struct customer_series {
  const std::uint32_t* date_begin;
  const std::uint32_t* date_end;
  const money* mrr;

  money at(std::uint32_t d) const {
    const auto* it = std::lower_bound(date_begin, date_end, d);
    return it != date_end && *it == d ? mrr[it - date_begin] : money();
  }
  // Number of snapshot dates strictly between a and b where MRR > 0.
  std::int64_t positive_between(std::uint32_t a, std::uint32_t b) const {
    return std::lower_bound(date_begin, date_end, b) - std::upper_bound(date_begin, date_end, a);
  }
  bool positive_before(std::uint32_t d) const { return date_begin != date_end && *date_begin < d; }
};

void classify(const customer_series& c, reactivation_policy policy, row_builder& row) {
  const i128 s = c.at(row.start).units();
  const i128 e = c.at(row.end).units();
  row.sums[kEndTotal] += e;
  if (s > 0) {
    ++row.counts[kCohort];
    row.sums[kStarting] += s;
    const std::int64_t between = std::int64_t(row.end) - row.start - 1;
    const bool dipped = c.positive_between(row.start, row.end) < between;
    if (e == 0 || (dipped && policy == reactivation_policy::separate)) {
      ++row.counts[kChurned];
      row.sums[kChurnedMrr] += s;
      if (e > 0) {
        ++row.counts[kReactivated];
        row.sums[kReactivation] += e;
      }
    } else if (e > s) {
      ++row.counts[kExpanded];
      row.sums[kExpansion] += e - s;
    } else if (e < s) {
      ++row.counts[kContracted];
      row.sums[kContraction] += s - e;
    }
  } else if (e > 0) {
    const bool returning = c.positive_before(row.start);
    ++row.counts[returning ? kReactivated : kNew];
    row.sums[returning ? kReactivation : kNewMrr] += e;
  }
}

money to_money(i128 v, const char* what) {
  if (v > INT64_MAX || v < INT64_MIN) {
    throw InputError(std::string("the total ") + what + " of a report row is too large to hold exactly");
  }
  return money::from_units(std::int64_t(v));
}

report_row finish_row(const snapshot_store& store, const row_builder& b) {
  report_row r;
  r.period = b.period;
  r.start_date = store.dates[b.start];
  r.end_date = store.dates[b.end];
  r.cohort_customers = b.counts[kCohort];
  r.expanded_customers = b.counts[kExpanded];
  r.contracted_customers = b.counts[kContracted];
  r.churned_customers = b.counts[kChurned];
  r.reactivated_customers = b.counts[kReactivated];
  r.new_customers = b.counts[kNew];
  r.starting_mrr = to_money(b.sums[kStarting], "starting MRR");
  r.expansion_mrr = to_money(b.sums[kExpansion], "expansion MRR");
  r.contraction_mrr = to_money(b.sums[kContraction], "contraction MRR");
  r.churned_mrr = to_money(b.sums[kChurnedMrr], "churned MRR");
  r.reactivation_mrr = to_money(b.sums[kReactivation], "reactivation MRR");
  r.new_mrr = to_money(b.sums[kNewMrr], "new MRR");
  r.end_total_mrr = to_money(b.sums[kEndTotal], "ending MRR");
  to_money(b.sums[kStarting] + b.sums[kExpansion], "ending MRR");  // ending_mrr() fits
  assert(b.sums[kEndTotal] == b.sums[kStarting] + b.sums[kExpansion] - b.sums[kContraction] -
                                  b.sums[kChurnedMrr] + b.sums[kReactivation] + b.sums[kNewMrr]);
  return r;
}

}  // namespace

money report_row::ending_mrr() const {
  money m = starting_mrr;
  const bool ok = m.add(expansion_mrr) && m.sub(contraction_mrr) && m.sub(churned_mrr);
  assert(ok);  // checked when the row was built
  (void)ok;
  return m;
}

ratio report_row::grr() const {
  money m = starting_mrr;
  const bool ok = m.sub(contraction_mrr) && m.sub(churned_mrr);
  assert(ok);
  (void)ok;
  return {m.units(), starting_mrr.units()};
}

report build_report(const snapshot_store& store, const report_options& options) {
  assert(options.window >= 1);
  std::vector<row_builder> rows = plan_rows(store, options);
  // Customer by customer, so that one customer's entries stay in cache for all rows.
  for (std::uint32_t c = 0; c + 1 < store.offsets.size(); ++c) {
    const customer_series series{store.entry_date.data() + store.offsets[c],
                                 store.entry_date.data() + store.offsets[c + 1],
                                 store.entry_mrr.data() + store.offsets[c]};
    if (series.date_begin == series.date_end) continue;  // never paid: no row sees it
    for (auto& row : rows) classify(series, options.reactivation, row);
  }
  report out{options, {}};
  out.rows.reserve(rows.size());
  for (const auto& b : rows) out.rows.push_back(finish_row(store, b));
  return out;
}

}  // namespace ndr
