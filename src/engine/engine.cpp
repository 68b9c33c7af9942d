#include "ndr/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <numeric>
#include <thread>
#include <utility>

#include "ndr/error.h"
#include "ndr/fx.h"
#include "run_on.h"

namespace ndr {
namespace {

using i128 = __int128;
constexpr std::uint32_t kNoSegment = UINT32_MAX;

// A report row being filled: 128-bit sums, so that adding up millions of
// customers cannot overflow before the final check.
struct row_sums {
  std::int64_t members = 0;  // customers in the cohort or paying at the end
  std::int64_t counts[6] =
      {};             // cohort, expanded, contracted, churned, reactivated, new
  i128 sums[8] = {};  // starting, expansion, contraction, churned,
                      // reactivation, new, end total, FX impact
};

enum count_slot {
  kCohort,
  kExpanded,
  kContracted,
  kChurned,
  kReactivated,
  kNew
};
enum sum_slot {
  kStarting,
  kExpansion,
  kContraction,
  kChurnedMrr,
  kReactivation,
  kNewMrr,
  kEndTotal,
  kFxImpact  // with currency parts: ending MRR at spot rates − at constant
};

// One planned report row: its period, start and end date indexes, and sums
// for the total and (when segmented) for each segment.
struct row_plan {
  std::int64_t period;
  std::uint32_t start, end;
  row_sums total;
  std::vector<row_sums> by_segment;
};

// The period-end snapshot of every period that has one: (period, date index).
std::vector<std::pair<std::int64_t, std::uint32_t>> period_ends(
    const snapshot_store& store, const period_scheme& scheme) {
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

std::vector<row_plan> plan_rows(const snapshot_store& store,
                                const report_options& options) {
  const auto ends = period_ends(store, options.scheme);
  std::vector<row_plan> rows;
  for (const auto& [period, end] : ends) {
    if (options.from && period < *options.from) continue;
    if (options.to && period > *options.to) continue;
    const auto start = std::lower_bound(
        ends.begin(), ends.end(),
        std::make_pair(period - options.window, std::uint32_t(0)));
    if (start == ends.end() || start->first != period - options.window)
      continue;
    rows.push_back(row_plan{period, start->second, end, {}, {}});
  }
  return rows;
}

// A customer's positive-MRR entries, sorted by date index.
struct customer_series {
  const std::uint16_t* date_begin;
  const std::uint16_t* date_end;
  money_column::view mrr;
  segment_column::view segment;
  bool segmented;

  static customer_series of(const snapshot_store& store, std::uint32_t c) {
    const std::uint32_t o = store.offsets[c], o1 = store.offsets[c + 1];
    return {store.entry_date.data() + o, store.entry_date.data() + o1,
            store.entry_mrr.from(o),
            store.segmented() ? store.entry_segment.from(o)
                              : segment_column::view(),
            store.segmented()};
  }
  bool empty() const { return date_begin == date_end; }
  // The entry at date index d, or -1.
  std::ptrdiff_t find(std::uint32_t d) const {
    const auto* it = std::lower_bound(date_begin, date_end, d);
    return it != date_end && *it == d ? it - date_begin : -1;
  }
  // Number of snapshot dates strictly between a and b where MRR > 0.
  std::int64_t positive_between(std::uint32_t a, std::uint32_t b) const {
    return std::lower_bound(date_begin, date_end, b) -
           std::upper_bound(date_begin, date_end, a);
  }
  bool positive_before(std::uint32_t d) const {
    return !empty() && *date_begin < d;
  }
  i128 at(std::uint32_t d) const {
    const auto i = find(d);
    return i < 0 ? 0 : mrr[i].units();
  }
  std::uint32_t segment_at(std::uint32_t d) const {
    if (!segmented) return kNoSegment;
    const auto i = find(d);
    return i < 0 ? kNoSegment : segment[i];
  }
};

// The same customer laid out over every snapshot date, for data sets with few
// dates: each lookup is an index instead of a binary search.
class dense_series {
 public:
  static constexpr size_t kMaxDates = 512;
  explicit dense_series(size_t dates)
      : mrr_(dates, 0), segment_(dates, kNoSegment), before_(dates + 1) {}

  void load(const customer_series& c) {
    for (const auto* d = c.date_begin; d != c.date_end; ++d) {
      mrr_[*d] = c.mrr[d - c.date_begin].units();
      if (c.segmented) segment_[*d] = c.segment[d - c.date_begin];
    }
    for (size_t d = 0; d < mrr_.size(); ++d)
      before_[d + 1] = before_[d] + (mrr_[d] > 0);
    loaded_ = c;
  }
  void unload() {
    for (const auto* d = loaded_.date_begin; d != loaded_.date_end; ++d) {
      mrr_[*d] = 0;
      segment_[*d] = kNoSegment;
    }
  }
  i128 at(std::uint32_t d) const { return mrr_[d]; }
  std::uint32_t segment_at(std::uint32_t d) const { return segment_[d]; }
  std::int64_t positive_between(std::uint32_t a, std::uint32_t b) const {
    return std::int64_t(before_[b]) - before_[a + 1];
  }
  bool positive_before(std::uint32_t d) const { return before_[d] > 0; }

 private:
  std::vector<std::int64_t> mrr_;
  std::vector<std::uint32_t> segment_;
  std::vector<std::uint32_t> before_;  // before_[d]: dates < d with MRR > 0
  customer_series loaded_{};
};

// One customer's part in one report row (SPEC §3, §4).
struct customer_movement {
  i128 s = 0, e = 0;
  bool in_cohort = false;
  bool churned = false;      // includes a dip under `separate`
  bool reactivated = false;  // e counted as reactivation
  bool is_new = false;
  std::uint32_t segment = kNoSegment;  // frozen at the start; else the end's
};

// The movement of a customer worth s at the row's start and e at its end,
// `paying` telling at which dates it paid (positive_between, positive_before).
template <typename Paying>
customer_movement movement_of(i128 s, i128 e, std::uint32_t segment,
                              const Paying& paying, reactivation_policy policy,
                              std::uint32_t start, std::uint32_t end) {
  customer_movement m;
  m.s = s;
  m.e = e;
  m.segment = segment;
  m.in_cohort = m.s > 0;
  if (m.in_cohort) {
    const bool dipped =
        paying.positive_between(start, end) < std::int64_t(end) - start - 1;
    m.churned = m.e == 0 || (dipped && policy == reactivation_policy::separate);
    m.reactivated = m.churned && m.e > 0;
  } else if (m.e > 0) {
    m.reactivated = paying.positive_before(start);
    m.is_new = !m.reactivated;
  }
  return m;
}

template <typename Series>
customer_movement classify(const Series& c, reactivation_policy policy,
                           std::uint32_t start, std::uint32_t end) {
  const i128 s = c.at(start), e = c.at(end);
  const std::uint32_t segment = s > 0   ? c.segment_at(start)
                                : e > 0 ? c.segment_at(end)
                                        : kNoSegment;
  return movement_of(s, e, segment, c, policy, start, end);
}

void add(const customer_movement& m, row_sums& row) {
  if (!m.in_cohort && m.e == 0) return;
  ++row.members;
  row.sums[kEndTotal] += m.e;
  if (m.in_cohort) {
    ++row.counts[kCohort];
    row.sums[kStarting] += m.s;
    if (m.churned) {
      ++row.counts[kChurned];
      row.sums[kChurnedMrr] += m.s;
    } else if (m.e > m.s) {
      ++row.counts[kExpanded];
      row.sums[kExpansion] += m.e - m.s;
    } else if (m.e < m.s) {
      ++row.counts[kContracted];
      row.sums[kContraction] += m.s - m.e;
    }
  }
  if (m.reactivated) {
    ++row.counts[kReactivated];
    row.sums[kReactivation] += m.e;
  } else if (m.is_new) {
    ++row.counts[kNew];
    row.sums[kNewMrr] += m.e;
  }
}

money to_money(i128 v, const char* what) {
  if (v > INT64_MAX || v < INT64_MIN) {
    throw InputError(std::string("the total ") + what +
                     " of a report row is too large to hold exactly");
  }
  return money::from_units(std::int64_t(v));
}

report_row finish_row(const snapshot_store& store, const row_plan& plan,
                      const row_sums& b, std::string segment, bool fx) {
  report_row r;
  r.period = plan.period;
  r.start_date = store.dates[plan.start];
  r.end_date = store.dates[plan.end];
  r.segment = std::move(segment);
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
  to_money(b.sums[kStarting] + b.sums[kExpansion],
           "ending MRR");  // ending_mrr() fits
  check_invariant(
      b.sums[kEndTotal] == b.sums[kStarting] + b.sums[kExpansion] -
                               b.sums[kContraction] - b.sums[kChurnedMrr] +
                               b.sums[kReactivation] + b.sums[kNewMrr],
      "a report row's movements do not add up to its ending MRR (SPEC §3)");
  if (fx) {
    const i128 impact = b.sums[kFxImpact];
    if (impact > INT64_MAX || impact < INT64_MIN) {
      throw InputError("the FX impact does not fit the money type");
    }
    r.fx_impact_mrr = money::from_units(std::int64_t(impact));
  }
  return r;
}

// Segment indexes in byte order of their labels (SPEC §4).
std::vector<std::uint32_t> segment_order(const snapshot_store& store) {
  std::vector<std::uint32_t> order(store.segments.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return store.segments[a] < store.segments[b];
  });
  return order;
}

void merge(const row_sums& from, row_sums& into) {
  into.members += from.members;
  for (size_t i = 0; i < std::size(from.counts); ++i)
    into.counts[i] += from.counts[i];
  for (size_t i = 0; i < std::size(from.sums); ++i)
    into.sums[i] += from.sums[i];
}

// Laying a customer out costs O(dates); it pays off over several rows, while
// a row or two are cheaper with a few binary searches (measured: 36 one-row
// passes over 10M entries, 2.2 s dense, see docs/performance.md).
std::optional<dense_series> dense_for(const snapshot_store& store,
                                      const std::vector<row_plan>& rows) {
  if (store.dates.size() > dense_series::kMaxDates || rows.size() <= 2)
    return {};
  return dense_series(store.dates.size());
}

// One customer's movements into every row (laid_out: over every date).
void classify_customer(const customer_series& series, dense_series* laid_out,
                       const report_options& options,
                       std::vector<row_plan>& rows) {
  if (laid_out) laid_out->load(series);
  for (auto& row : rows) {
    const customer_movement m =
        laid_out ? classify(*laid_out, options.reactivation, row.start, row.end)
                 : classify(series, options.reactivation, row.start, row.end);
    add(m, row.total);
    if (m.segment != kNoSegment) add(m, row.by_segment[m.segment]);
  }
  if (laid_out) laid_out->unload();
}

// Currency parts (fx.h): the store's customers are parts, each in one
// currency, of the data set's customers (owners). A row converts an owner's
// parts at its start's rates for the start; for the end, at the start's rates
// (constant currency) or the end's (spot), and adds up the parts. Both are
// computed: fx_impact_mrr is ending MRR at spot rates minus at constant.
class fx_context {
 public:
  fx_context(const currency_parts& data, const fx_rates& rates, fx_mode mode)
      : data_(data), mode_(mode), dates_(data.parts.dates.size()) {
    first_part_.assign(data.customers.size() + 1, 0);
    for (const std::uint32_t o : data.owner) ++first_part_[o + 1];
    for (size_t o = 0; o < data.customers.size(); ++o)
      first_part_[o + 1] += first_part_[o];
    parts_.resize(data.owner.size());
    std::vector<std::uint32_t> next(first_part_.begin(), first_part_.end() - 1);
    for (std::uint32_t p = 0; p < data.owner.size(); ++p)
      parts_[next[data.owner[p]]++] = p;  // in part order: read order
    std::vector<std::string> codes;
    for (const std::string& code : data.code) {
      auto it = std::find(codes.begin(), codes.end(), code);
      if (it == codes.end()) it = codes.insert(codes.end(), code);
      part_code_.push_back(std::uint32_t(it - codes.begin()));
    }
    for (const std::string& code : codes) {
      identity_.push_back(code.empty() || code == rates.reporting());
      for (std::uint32_t d = 0; d < dates_; ++d) {
        rate_.push_back(rates.at(code, data.parts.dates[d]).value_or(-1));
      }
    }
  }
  const currency_parts& data() const { return data_; }
  fx_mode mode() const { return mode_; }
  std::uint32_t owners() const { return std::uint32_t(first_part_.size() - 1); }
  const std::uint32_t* parts_begin(std::uint32_t o) const {
    return parts_.data() + first_part_[o];
  }
  const std::uint32_t* parts_end(std::uint32_t o) const {
    return parts_.data() + first_part_[o + 1];
  }
  bool identity(std::uint32_t part) const {
    return identity_[part_code_[part]];
  }
  // Part p's rate at date index d (require_rates has checked the ones needed).
  std::int64_t rate(std::uint32_t part, std::uint32_t d) const {
    const std::int64_t r = rate_or_none(part, d);
    check_invariant(r > 0, "a rate require_rates checked is missing");
    return r;
  }
  // The same, or -1 when there is none (a part with no amount there).
  std::int64_t rate_or_none(std::uint32_t part, std::uint32_t d) const {
    return rates_of(part)[d];
  }
  // Part p's rates (or -1) per date index.
  const std::int64_t* rates_of(std::uint32_t part) const {
    return rate_.data() + size_t(part_code_[part]) * dates_;
  }

 private:
  const currency_parts& data_;
  fx_mode mode_;
  size_t dates_;
  std::vector<std::uint32_t> first_part_,
      parts_;  // owner o: parts_[first_part_[o]…]
  std::vector<std::uint32_t> part_code_;
  std::vector<bool> identity_;      // per code
  std::vector<std::int64_t> rate_;  // per code and date index; -1: none
};

// An owner's MRR at one date, its parts converted at one date's rates, and
// its segment there: the part whose segment row converts to the most (ties:
// the row read first; SPEC §4 across currencies).
struct owner_value {
  i128 total = 0;
  std::uint32_t segment = kNoSegment;
  money segment_amount;
  std::uint32_t segment_row = 0;
  bool any = false;
};

owner_value value_at(const fx_context& fx, std::uint32_t owner, std::uint32_t d,
                     std::uint32_t rate_date) {
  const snapshot_store& store = fx.data().parts;
  owner_value v;
  money total;
  for (const std::uint32_t* p = fx.parts_begin(owner); p != fx.parts_end(owner);
       ++p) {
    const auto i = customer_series::of(store, *p).find(d);
    if (i < 0) continue;
    const std::uint32_t e = store.offsets[*p] + std::uint32_t(i);
    const part_amount a =
        convert_part_entry(fx.data(), *p, e, fx.rate(*p, rate_date));
    if (!total.add(a.amount)) {
      throw InputError(
          fmt::format("the total MRR of customer '{}' on {} is too large",
                      fx.data().customers[owner], format_date(store.dates[d])));
    }
    if (!v.any || a.segment_amount > v.segment_amount ||
        (a.segment_amount == v.segment_amount &&
         a.segment_row < v.segment_row)) {
      v.segment = store.segmented() ? store.entry_segment[e] : kNoSegment;
      v.segment_amount = a.segment_amount;
      v.segment_row = a.segment_row;
    }
    v.any = true;
  }
  v.total = total.units();
  return v;
}

// An owner of several parts laid out over the snapshot dates, once per owner
// however many rows ask: its value at each date at that date's own rates
// (spot), from every part entry converted as check_conversions converts it
// (so the same entry fails with the same error, and a report need not
// convert twice), and the dates at which it pays.
class owner_layout {
 public:
  explicit owner_layout(size_t dates) : spot_(dates), exact_(dates, false) {}

  // Throws the InputError check_conversions throws for this owner: the
  // first entry that cannot be converted (parts in read order), else the
  // first date whose total does not fit.
  void load(const fx_context& fx, std::uint32_t owner) {
    unload();
    owner_ = owner;
    const snapshot_store& store = fx.data().parts;
    converted_.clear();
    for (const std::uint32_t* p = fx.parts_begin(owner);
         p != fx.parts_end(owner); ++p) {
      for (std::uint32_t e = store.offsets[*p]; e < store.offsets[*p + 1];
           ++e) {
        const std::uint16_t d = store.entry_date[e];
        const std::int64_t rate = fx.rate_or_none(*p, d);
        // No rate: only zero or not matters there (require_rates checked
        // every date whose amount is used), as in check_conversions.
        converted_.push_back(
            {d, e,
             convert_part_entry(fx.data(), *p, e,
                                rate < 0 ? fx_rates::kScale : rate),
             rate >= 0});
      }
    }
    for (const converted& c : converted_) add(store, c);
    dates_.clear();
    for (const converted& c : converted_) dates_.push_back(c.date);
    std::sort(dates_.begin(), dates_.end());
    dates_.erase(std::unique(dates_.begin(), dates_.end()), dates_.end());
    for (const std::uint16_t d : dates_) {
      if (spot_[d].total > INT64_MAX) {
        throw InputError(fmt::format(
            "the total MRR of customer '{}' on {} is too large",
            fx.data().customers[owner], format_date(store.dates[d])));
      }
    }
  }
  // The owner's value at d at d's own rates.
  owner_value spot(const fx_context& fx, std::uint32_t d) const {
    return exact_[d] || !spot_[d].any ? spot_[d] : value_at(fx, owner_, d, d);
  }
  // The owner's value at d at rate_date's rates.
  owner_value at_rates_of(const fx_context& fx, std::uint32_t d,
                          std::uint32_t rate_date) const {
    return value_at(fx, owner_, d, rate_date);
  }
  // The owner's parts have the same rates at dates a and b.
  bool same_rates(const fx_context& fx, std::uint32_t owner, std::uint32_t a,
                  std::uint32_t b) const {
    for (const std::uint32_t* p = fx.parts_begin(owner);
         p != fx.parts_end(owner); ++p) {
      if (fx.rate_or_none(*p, a) != fx.rate_or_none(*p, b)) return false;
    }
    return true;
  }
  std::int64_t positive_between(std::uint32_t a, std::uint32_t b) const {
    return std::lower_bound(dates_.begin(), dates_.end(), b) -
           std::upper_bound(dates_.begin(), dates_.end(), a);
  }
  bool positive_before(std::uint32_t d) const {
    return !dates_.empty() && dates_.front() < d;
  }

 private:
  struct converted {
    std::uint16_t date;
    std::uint32_t entry;
    part_amount amount;
    bool exact;  // at the date's own rate (not left unconverted)
  };
  // Adds a converted entry to its date; the segment of the part whose
  // segment row converts to the most, ties to the row read first (SPEC §4).
  void add(const snapshot_store& store, const converted& c) {
    owner_value& v = spot_[c.date];
    const part_amount& a = c.amount;
    if (!v.any) exact_[c.date] = true;
    exact_[c.date] = exact_[c.date] && c.exact;
    v.total += a.amount.units();
    if (!v.any || a.segment_amount > v.segment_amount ||
        (a.segment_amount == v.segment_amount &&
         a.segment_row < v.segment_row)) {
      v.segment = store.segmented() ? store.entry_segment[c.entry] : kNoSegment;
      v.segment_amount = a.segment_amount;
      v.segment_row = a.segment_row;
    }
    v.any = true;
  }
  void unload() {
    for (const std::uint16_t d : dates_) {
      spot_[d] = owner_value{};
      exact_[d] = false;
    }
    dates_.clear();
  }

  std::uint32_t owner_ = 0;
  std::vector<converted> converted_;
  std::vector<owner_value> spot_;     // per date index
  std::vector<bool> exact_;           // spot_[d] is at d's own rates
  std::vector<std::uint16_t> dates_;  // where it pays, ascending
};

// An owner's amount and segment at one date, for an owner of one part.
struct part_value {
  i128 total = 0;
  std::uint32_t segment = kNoSegment;
};

// An owner of one part (the common case: one currency per customer) laid
// out like dense_series, per date index: the part's entry, its amount as read
// and at the date's own rate, its segment, and a count of paying dates. A row
// then costs a few loads and, when the part's rate moved and its amount did
// too, one conversion.
class part_layout {
 public:
  explicit part_layout(size_t dates)
      : spot_(dates, 0),
        raw_(dates, 0),
        entry_(dates),
        segment_(dates, kNoSegment),
        before_(dates + 1, 0) {}

  // Throws the InputError check_conversions throws for this owner: the
  // part's first entry that cannot be converted.
  void load(const fx_context& fx, std::uint32_t owner) {
    unload();
    part_ = *fx.parts_begin(owner);
    store_ = &fx.data().parts;
    rates_ = fx.rates_of(part_);
    first_ = store_->offsets[part_];
    last_ = store_->offsets[part_ + 1];
    const bool segmented = store_->segmented();
    for (std::uint32_t e = first_; e < last_; ++e) {
      const std::uint16_t d = store_->entry_date[e];
      // As owner_layout: a date without a rate keeps the amount unconverted
      // (only whether it pays matters there).
      spot_[d] = rates_[d] < 0 ? kInexact : entry_at(fx, e, rates_[d]);
      raw_[d] = store_->entry_mrr[e].units();
      entry_[d] = e;
      if (segmented) segment_[d] = store_->entry_segment[e];
    }
    std::uint32_t paying = 0;
    for (size_t d = 0; d < raw_.size(); ++d) {
      before_[d] = paying;
      paying += raw_[d] != 0;
    }
    before_[raw_.size()] = paying;
  }
  // The owner's value at d at d's own rate.
  part_value spot(const fx_context& fx, std::uint32_t d) const {
    const std::int64_t v = spot_[d];
    return {v != kInexact ? v : paid_at(fx, d, d), segment_[d]};
  }
  // The owner's value at d at rate_date's rate.
  part_value at_rates_of(const fx_context& fx, std::uint32_t d,
                         std::uint32_t rate_date) const {
    if (raw_[d] == 0) return {};
    if (raw_[rate_date] == raw_[d] && spot_[rate_date] != kInexact &&
        same_segment_amounts(rate_date, d)) {
      // Converted at rate_date already (the common case: a flat month).
      return {spot_[rate_date], segment_[d]};
    }
    return {paid_at(fx, d, rate_date), segment_[d]};
  }
  bool same_rates(const fx_context&, std::uint32_t, std::uint32_t a,
                  std::uint32_t b) const {
    return rates_[a] == rates_[b];
  }
  std::int64_t positive_between(std::uint32_t a, std::uint32_t b) const {
    return std::int64_t(before_[b]) - before_[a + 1];
  }
  bool positive_before(std::uint32_t d) const { return before_[d] > 0; }

 private:
  // Not converted (no rate at its date); a converted amount is never this.
  static constexpr std::int64_t kInexact = INT64_MIN;

  // What it pays at d, at rate_date's rate (require_rates checked the rate).
  i128 paid_at(const fx_context& fx, std::uint32_t d,
               std::uint32_t rate_date) const {
    return entry_at(fx, entry_[d], fx.rate(part_, rate_date));
  }
  // Entry e at `rate`, as convert_part_entry converts it; without segment
  // rows' amounts to convert too, it is asked only to name an error.
  std::int64_t entry_at(const fx_context& fx, std::uint32_t e,
                        std::int64_t rate) const {
    if (store_->entry_segment_amount.empty()) {
      const std::optional<money> a = convert_money(store_->entry_mrr[e], rate);
      if (a && !a->is_zero()) return a->units();
    }
    return convert_part_entry(fx.data(), part_, e, rate).amount.units();
  }
  // The entries at dates a and b (both paying, the same amount) convert
  // alike at any rate: their segment rows' amounts are the same too.
  bool same_segment_amounts(std::uint32_t a, std::uint32_t b) const {
    const auto& top = store_->entry_segment_amount;
    return top.empty() || top[entry_[a]] == top[entry_[b]];
  }
  void unload() {
    for (std::uint32_t e = first_; e < last_; ++e) {
      const std::uint16_t d = store_->entry_date[e];
      spot_[d] = raw_[d] = 0;
      segment_[d] = kNoSegment;
    }
    first_ = last_ = 0;
  }

  const snapshot_store* store_ = nullptr;
  const std::int64_t* rates_ = nullptr;            // the part's, per date index
  std::uint32_t part_ = 0, first_ = 0, last_ = 0;  // its entries
  // Per date index; spot_ and raw_ are 0 where it does not pay, segment_
  // kNoSegment, and entry_ is only read where it pays.
  std::vector<std::int64_t> spot_;  // at the date's rate, or kInexact
  std::vector<std::int64_t> raw_;   // as read
  std::vector<std::uint32_t> entry_;
  std::vector<std::uint32_t> segment_;
  std::vector<std::uint32_t> before_;  // before_[d]: paying dates < d
};

// One owner in one row: the movement in the report's mode, and the row's FX
// impact (a cohort customer still paying at the end: spot − constant).
// Without `impact` (a ledger), only the report's mode is worked out, so only
// its rates are needed. Layout: owner_layout or part_layout, loaded.
template <typename Layout>
customer_movement classify_owner(const fx_context& fx, std::uint32_t owner,
                                 const Layout& layout,
                                 reactivation_policy policy,
                                 std::uint32_t start, std::uint32_t end,
                                 i128* impact) {
  using value = decltype(layout.spot(fx, start));
  const value s = layout.spot(fx, start);
  const bool spot_end = fx.mode() == fx_mode::spot || impact;
  // The end at the start's rates: the spot value when no rate moved.
  const bool moved = !layout.same_rates(fx, owner, start, end);
  const value e_spot = spot_end || !moved ? layout.spot(fx, end) : value{};
  const value e_constant = fx.mode() == fx_mode::spot && !impact ? value{}
                           : moved ? layout.at_rates_of(fx, end, start)
                                   : e_spot;
  const value& e = fx.mode() == fx_mode::spot ? e_spot : e_constant;
  const std::uint32_t segment = s.total > 0   ? s.segment
                                : e.total > 0 ? e.segment
                                              : kNoSegment;
  const customer_movement m =
      movement_of(s.total, e.total, segment, layout, policy, start, end);
  if (impact) {
    *impact = m.in_cohort && !m.churned ? e_spot.total - e_constant.total : 0;
  }
  return m;
}

void add_impact(const customer_movement& m, i128 impact, row_plan& row) {
  row.total.sums[kFxImpact] += impact;
  if (m.segment != kNoSegment)
    row.by_segment[m.segment].sums[kFxImpact] += impact;
}

// Both layouts: an owner is loaded into the one that fits it.
class owner_layouts {
 public:
  explicit owner_layouts(size_t dates) : one_(dates), several_(dates) {}

  // Throws as owner_layout::load.
  void load(const fx_context& fx, std::uint32_t o) {
    single_ = fx.parts_end(o) - fx.parts_begin(o) == 1;
    single_ ? one_.load(fx, o) : several_.load(fx, o);
  }
  // f(the loaded layout).
  template <typename F>
  void visit(F&& f) const {
    single_ ? f(one_) : f(several_);
  }

 private:
  part_layout one_;
  owner_layout several_;
  bool single_ = false;
};

// The first error of a slice of owners, by kind: an amount that cannot be
// converted at its own date's rate (check_conversions' errors) stops the
// data whichever owner it is in, so it comes before an error in a row.
struct slice_errors {
  std::optional<InputError> conversion, row;
};

// Owners [first, last) into every planned row. An owner whose one part is in
// the reporting currency takes the plain path (no conversion, no impact).
void classify_owners(const fx_context& fx, const report_options& options,
                     std::uint32_t first, std::uint32_t last,
                     std::vector<row_plan>& rows, slice_errors& errors) {
  const snapshot_store& store = fx.data().parts;
  owner_layouts layouts(store.dates.size());
  std::optional<dense_series> dense = dense_for(store, rows);
  dense_series* const laid_out = dense ? &*dense : nullptr;
  for (std::uint32_t o = first; o < last; ++o) {
    const std::uint32_t* p = fx.parts_begin(o);
    if (fx.parts_end(o) - p == 1 && fx.identity(*p)) {
      const auto series = customer_series::of(store, *p);
      if (!series.empty() && !errors.row)
        classify_customer(series, laid_out, options, rows);
      continue;
    }
    try {
      layouts.load(fx, o);
    } catch (const InputError& e) {
      errors.conversion = e;  // later owners' errors come after it
      return;
    }
    if (errors.row) continue;  // only conversions are still checked
    try {
      layouts.visit([&](const auto& layout) {
        for (auto& row : rows) {
          i128 impact = 0;
          const customer_movement m = classify_owner(
              fx, o, layout, options.reactivation, row.start, row.end, &impact);
          add(m, row.total);
          if (m.segment != kNoSegment) add(m, row.by_segment[m.segment]);
          add_impact(m, impact, row);
        }
      });
    } catch (const InputError& e) {
      errors.row = e;
    }
  }
}

// Classifies customers [first, last) into every planned row, customer by
// customer so that one customer's entries stay in cache for all rows.
void classify_slice(const snapshot_store& store, const report_options& options,
                    std::uint32_t first, std::uint32_t last,
                    std::vector<row_plan>& rows) {
  std::optional<dense_series> dense = dense_for(store, rows);
  for (std::uint32_t c = first; c < last; ++c) {
    const auto series = customer_series::of(store, c);
    if (series.empty()) continue;  // never paid: no row sees it
    classify_customer(series, dense ? &*dense : nullptr, options, rows);
  }
}

}  // namespace

money report_row::ending_mrr() const {
  money m = starting_mrr;
  const bool ok =
      m.add(expansion_mrr) && m.sub(contraction_mrr) && m.sub(churned_mrr);
  check_invariant(
      ok, "ending MRR does not fit (it is checked when the row is built)");
  return m;
}

ratio report_row::grr() const {
  money m = starting_mrr;
  const bool ok = m.sub(contraction_mrr) && m.sub(churned_mrr);
  check_invariant(
      ok, "retained MRR does not fit (it is checked when the row is built)");
  return {m.units(), starting_mrr.units()};
}

namespace {

// Per-segment sums arrays, zeroed and reused from one batch of rows to the
// next: fresh ones would each cost page faults (memory is time).
class sums_pool {
 public:
  explicit sums_pool(size_t segments) : segments_(segments) {}
  std::vector<row_sums> take() {
    if (spare_.empty()) return std::vector<row_sums>(segments_);
    std::vector<row_sums> v = std::move(spare_.back());
    spare_.pop_back();
    std::fill(v.begin(), v.end(), row_sums{});
    return v;
  }
  void give(std::vector<row_sums>&& v) {
    if (v.size() == segments_) spare_.push_back(std::move(v));
  }

 private:
  size_t segments_;
  std::vector<std::vector<row_sums>> spare_;
};

// The first conversion error in owner order, else the first row error.
void throw_first(const std::vector<slice_errors>& errors) {
  for (const auto& e : errors) {
    if (e.conversion) throw *e.conversion;
  }
  for (const auto& e : errors) {
    if (e.row) throw *e.row;
  }
}

// Classifies every customer into rows[first, last) on up to four threads (in
// slices of about equal work; the slices' sums add up).
void classify_rows(const snapshot_store& store, const report_options& options,
                   const fx_context* fx, std::vector<row_plan>& all,
                   size_t first, size_t last, sums_pool& pool_of_sums) {
  std::vector<row_plan> rows(std::make_move_iterator(all.begin() + long(first)),
                             std::make_move_iterator(all.begin() + long(last)));
  const bool segmented = store.segmented();
  if (segmented) {
    for (auto& row : rows) row.by_segment = pool_of_sums.take();
  }
  // With currency parts, owners are classified, not the store's customers.
  const std::uint32_t customers =
      fx ? fx->owners() : std::uint32_t(store.offsets.size() - 1);
  const size_t work =
      store.entry_date.size() * std::max<size_t>(rows.size(), 1);
  const unsigned threads =
      work < options.parallel_work
          ? 1
          : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::vector<std::vector<row_plan>> partial(threads - 1);
  for (auto& part : partial) {
    for (const auto& row : rows) {
      part.push_back(row_plan{row.period, row.start, row.end, {}, {}});
      if (segmented) part.back().by_segment = pool_of_sums.take();
    }
  }
  std::vector<std::uint32_t> bounds{0};
  for (unsigned t = 1; t < threads; ++t) {
    const auto target = store.entry_date.size() * t / threads;
    bounds.push_back(
        fx ? std::uint32_t(std::uint64_t(customers) * t / threads)
           : std::uint32_t(std::lower_bound(store.offsets.begin(),
                                            store.offsets.end(), target) -
                           store.offsets.begin()));
  }
  bounds.push_back(customers);
  // A slice's exception is rethrown here, never left to terminate.
  std::vector<slice_errors> errors(threads);
  run_on(threads, [&](unsigned t) {
    auto& slice_rows = t == 0 ? rows : partial[t - 1];
    if (fx) {
      classify_owners(*fx, options, bounds[t], bounds[t + 1], slice_rows,
                      errors[t]);
    } else {
      classify_slice(store, options, bounds[t], bounds[t + 1], slice_rows);
    }
  });
  throw_first(errors);
  for (auto& part : partial) {
    for (size_t r = 0; r < rows.size(); ++r) {
      merge(part[r].total, rows[r].total);
      for (size_t s = 0; s < rows[r].by_segment.size(); ++s)
        merge(part[r].by_segment[s], rows[r].by_segment[s]);
      pool_of_sums.give(std::move(part[r].by_segment));
    }
  }
  std::move(rows.begin(), rows.end(), all.begin() + long(first));
}

}  // namespace

namespace {

// The report over `store`; with fx, its customers are currency parts.
report build_rows(const snapshot_store& store, const report_options& options,
                  const fx_context* fx) {
  check_invariant(options.window >= 1, "a report window below 1 period");
  std::vector<row_plan> rows = plan_rows(store, options);
  const size_t per_row =
      store.segments.size() * sizeof(row_sums) *
      std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  // Per-segment sums cost sizeof(row_sums) per (segment, row, thread) while
  // a row is classified: rows go in batches within the budget, and each
  // batch's sums are reused for the next once its report rows are made.
  const size_t batch =
      per_row == 0 ? std::max<size_t>(rows.size(), 1)
                   : std::max<size_t>(options.segment_sums_budget / per_row, 1);
  report out{options, store.segmented(), {}, fx != nullptr, {}};
  const auto order = segment_order(store);
  sums_pool pool_of_sums(store.segments.size());
  for (size_t first = 0; first < rows.size(); first += batch) {
    const size_t last = std::min(rows.size(), first + batch);
    classify_rows(store, options, fx, rows, first, last, pool_of_sums);
    for (size_t r = first; r < last; ++r) {
      const row_plan& plan = rows[r];
      for (std::uint32_t s : order) {
        if (plan.by_segment[s].members > 0) {
          out.rows.push_back(finish_row(store, plan, plan.by_segment[s],
                                        store.segments[s], fx != nullptr));
        }
      }
      out.rows.push_back(finish_row(store, plan, plan.total,
                                    out.segmented ? kAllSegments : "",
                                    fx != nullptr));
      pool_of_sums.give(std::move(rows[r].by_segment));
    }
  }
  return out;
}

}  // namespace

report build_report(const snapshot_store& store,
                    const report_options& options) {
  return build_rows(store, options, nullptr);
}

report build_fx_report(const currency_parts& data, const fx_rates& rates,
                       fx_mode mode, const report_options& options) {
  require_rates(data, rates, options);
  // The rows convert every amount as check_conversions would (owner_layout);
  // without rows, nothing would.
  if (plan_rows(data.parts, options).empty()) check_conversions(data, rates);
  const fx_context fx(data, rates, mode);
  return build_rows(data.parts, options, &fx);
}

const char* movement_name(movement m) {
  switch (m) {
    case movement::expansion:
      return "expansion";
    case movement::contraction:
      return "contraction";
    case movement::churn:
      return "churn";
    case movement::flat:
      return "flat";
    case movement::reactivation:
      return "reactivation";
    case movement::new_customer:
      return "new";
  }
  return "";
}

namespace {

// The ledger lines of customer c's movement m (two for a churned cohort
// customer who came back: churn, then reactivation).
void add_ledger_lines(const customer_movement& m, std::uint32_t c,
                      const std::vector<std::string>& segments,
                      std::vector<ledger_line>& lines) {
  if (!m.in_cohort && m.e == 0) return;
  ledger_line base;
  base.customer = c;
  if (m.segment != kNoSegment) base.segment = segments[m.segment];
  base.start_mrr = money::from_units(std::int64_t(m.s));
  base.end_mrr = money::from_units(std::int64_t(m.e));
  const auto emit = [&](movement kind, i128 delta) {
    lines.push_back(base);
    lines.back().kind = kind;
    lines.back().delta = money::from_units(std::int64_t(delta));
  };
  if (m.in_cohort) {
    if (m.churned) {
      emit(movement::churn, -m.s);
    } else {
      emit(m.e > m.s   ? movement::expansion
           : m.e < m.s ? movement::contraction
                       : movement::flat,
           m.e - m.s);
    }
  }
  if (m.reactivated) emit(movement::reactivation, m.e);
  if (m.is_new) emit(movement::new_customer, m.e);
}

// By movement, then |delta| descending, then customer id bytes.
void sort_ledger(std::vector<ledger_line>& lines,
                 const std::vector<std::string>& names) {
  std::sort(lines.begin(), lines.end(),
            [&](const ledger_line& a, const ledger_line& b) {
              if (a.kind != b.kind) return a.kind < b.kind;
              const auto ma = std::abs(a.delta.units()),
                         mb = std::abs(b.delta.units());
              if (ma != mb) return ma > mb;
              return names[a.customer] < names[b.customer];
            });
}

std::optional<row_plan> one_row(const snapshot_store& store,
                                const report_options& options,
                                std::int64_t period) {
  report_options only = options;
  only.from = only.to = period;
  std::vector<row_plan> plans = plan_rows(store, only);
  if (plans.empty()) return std::nullopt;
  return std::move(plans.front());
}

}  // namespace

std::optional<std::vector<ledger_line>> build_ledger(
    const snapshot_store& store, const report_options& options,
    std::int64_t period) {
  const auto row = one_row(store, options, period);
  if (!row) return std::nullopt;
  std::vector<ledger_line> lines;
  for (std::uint32_t c = 0; c + 1 < store.offsets.size(); ++c) {
    const auto series = customer_series::of(store, c);
    if (series.empty()) continue;
    add_ledger_lines(
        classify(series, options.reactivation, row->start, row->end), c,
        store.segments, lines);
  }
  sort_ledger(lines, store.customers);
  return lines;
}

std::optional<std::vector<ledger_line>> build_fx_ledger(
    const currency_parts& data, const fx_rates& rates, fx_mode mode,
    const report_options& options, std::int64_t period) {
  const snapshot_store& store = data.parts;
  const auto row = one_row(store, options, period);
  if (!row) return std::nullopt;
  report_options only = options;
  only.from = only.to = period;
  require_rates(data, rates, only, mode);
  check_conversions(data, rates);
  const fx_context fx(data, rates, mode);
  owner_layouts layouts(store.dates.size());
  std::vector<ledger_line> lines;
  for (std::uint32_t o = 0; o < fx.owners(); ++o) {
    layouts.load(fx, o);
    layouts.visit([&](const auto& layout) {
      add_ledger_lines(classify_owner(fx, o, layout, options.reactivation,
                                      row->start, row->end, nullptr),
                       o, store.segments, lines);
    });
  }
  sort_ledger(lines, data.customers);
  return lines;
}

namespace {

// The triangle being filled, customer by customer: cells by cohort, then age.
class cohort_grid {
 public:
  cohort_grid(const snapshot_store& store, const period_scheme& scheme)
      : ends_(period_ends(store, scheme)) {
    if (!ends_.empty())
      grid_.resize(size_t(ends_.back().first - ends_.front().first + 1));
  }
  bool empty() const { return ends_.empty(); }
  // The cohort of a customer paying at date indexes [first, last), ascending:
  // the first period at whose period-end snapshot it pays (the triangle
  // samples period ends, so one paying only between them is in no cohort:
  // INT64_MIN).
  template <typename DateIt>
  std::int64_t cohort_of(DateIt first, DateIt last, const snapshot_store& store,
                         const period_scheme& scheme) const {
    for (; first != last; ++first) {
      const std::int64_t p = scheme.index_of(store.dates[*first]);
      if (end_of(p) == *first) return p;
    }
    return INT64_MIN;
  }
  // The period-end date index of period p (one that has a snapshot).
  std::uint32_t end_of(std::int64_t p) const {
    return std::lower_bound(ends_.begin(), ends_.end(),
                            std::make_pair(p, std::uint32_t(0)))
        ->second;
  }
  // A customer acquired in `cohort`; mrr_at(d) is its MRR at period-end date
  // index d of a period from its cohort on (0: not paying).
  template <typename MrrAt>
  void add(std::int64_t cohort, MrrAt mrr_at) {
    auto& cells = grid_[size_t(cohort - ends_.front().first)];
    if (cells.empty()) {
      for (const auto& [p, d] : ends_) {
        if (p >= cohort)
          cells.push_back(cohort_cell{cohort, p - cohort, 0, {}, {}, 0});
      }
    }
    size_t k = 0;
    for (const auto& [p, d] : ends_) {
      if (p < cohort) continue;
      cohort_cell& cell = cells[k++];
      ++cell.customers;
      const money mrr = mrr_at(d);
      if (mrr > money()) {
        ++cell.paying;
        if (!cell.mrr.add(mrr))
          throw InputError("a cohort's total MRR is too large");
      }
    }
  }
  std::vector<cohort_cell> cells() {
    std::vector<cohort_cell> out;
    for (auto& cells : grid_) {
      if (cells.empty()) continue;
      const bool has_age0 = cells.front().age == 0;
      for (auto& cell : cells) {
        cell.starting_mrr = has_age0 ? cells.front().mrr : money();
        out.push_back(cell);
      }
    }
    return out;
  }

 private:
  std::vector<std::pair<std::int64_t, std::uint32_t>> ends_;
  std::vector<std::vector<cohort_cell>> grid_;
};

// The cohort of each owner (cohort_grid::cohort_of over all its parts; an
// owner pays where any part does; none: INT64_MIN).
std::vector<std::int64_t> owner_cohorts(const fx_context& fx,
                                        const cohort_grid& grid,
                                        const period_scheme& scheme) {
  const snapshot_store& store = fx.data().parts;
  std::vector<std::int64_t> cohort(fx.owners(), INT64_MIN);
  for (std::uint32_t o = 0; o < fx.owners(); ++o) {
    for (const std::uint32_t* p = fx.parts_begin(o); p != fx.parts_end(o);
         ++p) {
      const std::uint16_t* dates = store.entry_date.data();
      const std::int64_t c =
          grid.cohort_of(dates + store.offsets[*p],
                         dates + store.offsets[*p + 1], store, scheme);
      if (c != INT64_MIN && (cohort[o] == INT64_MIN || c < cohort[o]))
        cohort[o] = c;
    }
  }
  return cohort;
}

// The error for the earliest date a cell needs a rate that is missing (ties:
// the first code in byte order): a part's amount at a period end converts
// at that date's rates (spot) or at its cohort's own period end's (constant).
void require_cohort_rates(const fx_context& fx, const cohort_grid& grid,
                          const period_scheme& scheme,
                          const std::vector<std::int64_t>& cohort,
                          const fx_rates& rates) {
  const snapshot_store& store = fx.data().parts;
  std::optional<std::pair<std::uint32_t, std::string>> worst;
  for (std::uint32_t p = 0; p < fx.data().owner.size(); ++p) {
    const std::int64_t c = cohort[fx.data().owner[p]];
    for (std::uint32_t e = store.offsets[p]; e < store.offsets[p + 1]; ++e) {
      const std::uint32_t d = store.entry_date[e];
      if (grid.end_of(scheme.index_of(store.dates[d])) != d) continue;
      const std::uint32_t need =
          fx.mode() == fx_mode::spot ? d : grid.end_of(c);
      if (fx.rate_or_none(p, need) >= 0) continue;
      const std::string& code = fx.data().code[p];
      if (!worst ||
          std::tie(need, code) < std::tie(worst->first, worst->second))
        worst = {{need, code}};
    }
  }
  if (worst) {
    throw InputError(
        fmt::format("no {} rate on or before {}, the first date that needs one",
                    worst->second, format_date(store.dates[worst->first])),
        rates.source());
  }
}

}  // namespace

const report_row* opening_row(const report& r) {
  if (!r.first_date || r.rows.empty()) return nullptr;
  const period_scheme& scheme = r.options.scheme;
  const std::int64_t first_period = r.rows.front().period;
  if (scheme.index_of(r.rows.front().start_date) !=
      scheme.index_of(*r.first_date))
    return nullptr;
  const report_row* total = &r.rows.front();
  for (const report_row& row : r.rows) {
    if (row.period != first_period) break;
    total = &row;  // the period's "(all)" row comes last
  }
  return total->cohort_customers > 0 ? total : nullptr;
}

std::vector<cohort_cell> build_cohorts(const snapshot_store& store,
                                       const period_scheme& scheme) {
  cohort_grid grid(store, scheme);
  if (grid.empty()) return {};
  for (std::uint32_t c = 0; c + 1 < store.offsets.size(); ++c) {
    const auto series = customer_series::of(store, c);
    const std::int64_t cohort =
        grid.cohort_of(series.date_begin, series.date_end, store, scheme);
    if (cohort == INT64_MIN) continue;
    grid.add(cohort, [&](std::uint32_t d) {
      const auto i = series.find(d);
      return i < 0 ? money() : series.mrr[i];
    });
  }
  return grid.cells();
}

std::vector<cohort_cell> build_fx_cohorts(const currency_parts& data,
                                          const fx_rates& rates, fx_mode mode,
                                          const period_scheme& scheme) {
  const fx_context fx(data, rates, mode);
  cohort_grid grid(data.parts, scheme);
  if (grid.empty()) return {};
  const std::vector<std::int64_t> cohort = owner_cohorts(fx, grid, scheme);
  require_cohort_rates(fx, grid, scheme, cohort, rates);
  check_conversions(data, rates);
  for (std::uint32_t o = 0; o < fx.owners(); ++o) {
    if (cohort[o] == INT64_MIN) continue;
    const std::uint32_t own = grid.end_of(cohort[o]);
    grid.add(cohort[o], [&](std::uint32_t d) {
      const owner_value v = value_at(fx, o, d, mode == fx_mode::spot ? d : own);
      return money::from_units(std::int64_t(v.total));
    });
  }
  return grid.cells();
}

}  // namespace ndr
