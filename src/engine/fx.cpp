// Converting currency parts into the reporting currency, at spot or
// constant rates, and the reports built from them (docs/inputs.md#currencies).
#include "ndr/fx.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "customer_index.h"
#include "run_on.h"

namespace ndr {

std::optional<money> convert_money(money amount, std::int64_t rate) {
  if (rate == fx_rates::kScale) return amount;  // the reporting currency
  return divide_half_even(__int128(amount.units()) * rate, fx_rates::kScale);
}

currency_parts split_currencies(snapshot_store store) {
  currency_parts data;
  // Plain ids, numbered in order of first appearance.
  data.owner = number_distinct(store.customers);
  data.code.reserve(store.customers.size());
  for (std::uint32_t c = 0; c < store.customers.size(); ++c) {
    data.code.push_back(store.currency_of(c));
    if (data.owner[c] == data.customers.size())
      data.customers.push_back(store.customers[c]);
  }
  data.parts = std::move(store);
  return data;
}

namespace {

// The rate of each currency at each date index's rate day, looked up once.
class rate_table {
 public:
  rate_table(const currency_parts& data, const fx_rates& rates,
             const rate_plan& plan)
      : rates_(rates), rate_day_(plan.day), exact_(plan.exact) {
    for (const auto& code : data.code) {
      if (std::find(codes_.begin(), codes_.end(), code) == codes_.end())
        codes_.push_back(code);
    }
    for (const auto& code : data.code) {
      part_code_.push_back(std::uint32_t(
          std::find(codes_.begin(), codes_.end(), code) - codes_.begin()));
    }
    table_.assign(codes_.size() * rate_day_.size(), kUnknown);
  }
  // Part p is in the reporting currency: its amounts convert to themselves.
  bool identity(std::uint32_t part) const {
    const std::string& code = codes_[part_code_[part]];
    return code.empty() || code == rates_.reporting();
  }
  std::int64_t rate(std::uint32_t part, std::uint16_t d) {
    const std::uint32_t k = part_code_[part];
    std::int64_t& slot = table_[size_t(k) * rate_day_.size() + d];
    if (slot == kUnknown) {
      auto r = rates_.at(codes_[k], rate_day_[d]);
      if (!r && !exact_[d])
        r = fx_rates::kScale;  // only zero or not matters here
      if (!r) {
        throw InputError(fmt::format("no {} rate on or before {}", codes_[k],
                                     format_date(rate_day_[d])),
                         rates_.source());
      }
      slot = *r;
    }
    return slot;
  }

 private:
  static constexpr std::int64_t kUnknown = -1;
  const fx_rates& rates_;
  const std::vector<day_number>& rate_day_;
  const std::vector<bool>& exact_;
  std::vector<std::string> codes_;
  std::vector<std::uint32_t> part_code_;
  std::vector<std::int64_t> table_;
};

struct converted_entry {
  std::uint16_t date;
  money amount;
  std::uint32_t entry;            // index into the parts' entries
  money segment_amount;           // the segment row's amount, converted
  std::uint32_t segment_row = 0;  // its read position
};

// SPEC §4 across currency parts: the row with the largest amount (converted)
// gives the segment; ties go to the row read first.
bool wins_segment(const converted_entry& a, const converted_entry& b) {
  if (a.segment_amount != b.segment_amount)
    return a.segment_amount > b.segment_amount;
  return a.segment_row < b.segment_row;
}

}  // namespace

namespace {

// A rate × 10^12 as the decimal it is: "0.4", "1.0834".
std::string rate_text(std::int64_t rate) {
  std::string text = fmt::format("{}.{:012}", rate / fx_rates::kScale,
                                 rate % fx_rates::kScale);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// Part entry e converted at `rate` (with its segment row's amount).
converted_entry convert_entry(const currency_parts& data, std::uint32_t part,
                              std::uint32_t e, std::int64_t rate) {
  const snapshot_store& in = data.parts;
  const auto too_large = [&] {
    return InputError(
        fmt::format("customer '{}' on {}: the converted amount is too large",
                    data.customers[data.owner[part]],
                    format_date(in.dates[in.entry_date[e]])));
  };
  const auto amount = convert_money(in.entry_mrr[e], rate);
  if (!amount) throw too_large();
  if (amount->is_zero()) {
    // A paying customer would stop paying by rounding, in one mode and not
    // the other: refuse rather than guess.
    throw InputError(
        fmt::format("customer '{}' on {}: {} {} is 0.000000 at the rate {}; an "
                    "amount this small cannot be "
                    "converted",
                    data.customers[data.owner[part]],
                    format_date(in.dates[in.entry_date[e]]),
                    format_money(in.entry_mrr[e], money::kScaleDigits),
                    data.code[part], rate_text(rate)));
  }
  converted_entry entry{in.entry_date[e], *amount, e, money(), 0};
  if (!in.entry_segment_amount.empty()) {
    const auto top = convert_money(in.entry_segment_amount[e], rate);
    if (!top) throw too_large();
    entry.segment_amount = *top;
    entry.segment_row = in.entry_segment_row[e];
  }
  return entry;
}

// One customer's converted part entries at one date, added up: the total
// and the entry whose segment wins.
std::pair<money, const converted_entry*> merge_group(
    const converted_entry* first, const converted_entry* last,
    const std::string& customer, const snapshot_store& in) {
  money total;
  const converted_entry* largest = first;
  for (const auto* e = first; e != last; ++e) {
    if (wins_segment(*e, *largest)) largest = e;
    if (!total.add(e->amount)) {
      throw InputError(
          fmt::format("the total MRR of customer '{}' on {} is too large",
                      customer, format_date(in.dates[first->date])));
    }
  }
  return {total, largest};
}

// Customer c's part entries converted at `table`'s rates and merged per date
// (merge_group: the total must fit): each date's total and the entry whose
// segment wins go to f(total, largest), dates ascending.
template <typename F>
void convert_customer(const currency_parts& data, std::uint32_t c,
                      const std::vector<std::uint32_t>& parts,
                      rate_table& table, std::vector<converted_entry>& entries,
                      F f) {
  const snapshot_store& in = data.parts;
  entries.clear();
  for (const std::uint32_t p : parts) {
    for (std::uint32_t e = in.offsets[p]; e < in.offsets[p + 1]; ++e) {
      entries.push_back(
          convert_entry(data, p, e, table.rate(p, in.entry_date[e])));
    }
  }
  if (parts.size() > 1) {
    std::stable_sort(
        entries.begin(), entries.end(),
        [](const auto& a, const auto& b) { return a.date < b.date; });
  }
  for (size_t g = 0; g < entries.size();) {
    size_t h = g;
    while (h < entries.size() && entries[h].date == entries[g].date) ++h;
    const auto [total, largest] = merge_group(
        entries.data() + g, entries.data() + h, data.customers[c], in);
    f(total, *largest);
    g = h;
  }
}

std::vector<std::vector<std::uint32_t>> parts_by_customer(
    const currency_parts& data) {
  std::vector<std::vector<std::uint32_t>> parts_of(data.customers.size());
  for (std::uint32_t p = 0; p < data.owner.size(); ++p)
    parts_of[data.owner[p]].push_back(p);
  return parts_of;
}

}  // namespace

snapshot_store convert_parts(const currency_parts& data, const fx_rates& rates,
                             const rate_plan& plan) {
  const snapshot_store& in = data.parts;
  rate_table table(data, rates, plan);
  const auto parts_of = parts_by_customer(data);  // in read order
  snapshot_store out;
  out.customers = data.customers;
  out.dates = in.dates;
  out.segments = in.segments;
  out.rows_read = in.rows_read;
  out.rows_skipped = in.rows_skipped;
  out.currencies_seen = in.currencies_seen;
  out.offsets.assign(data.customers.size() + 1, 0);
  out.entry_date.reserve(in.entry_date.size());
  out.entry_mrr.reserve(in.entry_mrr.size());
  std::vector<converted_entry> entries;
  for (std::uint32_t c = 0; c < data.customers.size(); ++c) {
    // The common case, one part in the reporting currency, is a plain copy.
    if (parts_of[c].size() == 1 && table.identity(parts_of[c][0])) {
      const std::uint32_t p = parts_of[c][0];
      const auto first = in.offsets[p], last = in.offsets[p + 1];
      out.entry_date.insert(out.entry_date.end(), in.entry_date.begin() + first,
                            in.entry_date.begin() + last);
      out.entry_mrr.append(in.entry_mrr, first, last);
      if (in.segmented()) {
        out.entry_segment.append(in.entry_segment, first, last);
      }
      out.offsets[c + 1] = last - first;
      continue;
    }
    convert_customer(
        data, c, parts_of[c], table, entries,
        [&](money total, const converted_entry& largest) {
          if (total > money()) {
            out.entry_date.push_back(largest.date);
            out.entry_mrr.push_back(total);
            if (in.segmented())
              out.entry_segment.push_back(in.entry_segment[largest.entry]);
            ++out.offsets[c + 1];
          }
        });
  }
  for (size_t c = 0; c < data.customers.size(); ++c)
    out.offsets[c + 1] += out.offsets[c];
  return out;
}

void check_conversions(const currency_parts& data, const fx_rates& rates) {
  const snapshot_store& in = data.parts;
  // Not exact anywhere: where a date has no rate, its amounts stay as they
  // are, as in a spot store (require_rates checks the dates that need one).
  const rate_plan plan{in.dates, std::vector<bool>(in.dates.size(), false)};
  const auto parts_of = parts_by_customer(data);
  const auto customers = std::uint32_t(data.customers.size());
  const unsigned threads =
      in.entry_date.size() < (std::size_t(1) << 20) ? 1 : 2;
  std::vector<std::optional<InputError>> errors(threads);
  run_on(threads, [&](unsigned t) {
    rate_table table(data, rates, plan);  // one per thread: it fills as it goes
    std::vector<converted_entry> entries;
    try {
      for (std::uint32_t c =
               std::uint32_t(std::uint64_t(customers) * t / threads);
           c < std::uint64_t(customers) * (t + 1) / threads; ++c) {
        if (parts_of[c].size() == 1 && table.identity(parts_of[c][0])) continue;
        convert_customer(data, c, parts_of[c], table, entries,
                         [](money, const converted_entry&) {});
      }
    } catch (const InputError& e) {
      errors[t] = e;  // the first in customer order wins
    }
  });
  for (const auto& e : errors) {
    if (e) throw *e;
  }
}

snapshot_store spot_store(const currency_parts& data, const fx_rates& rates) {
  return convert_parts(
      data, rates,
      {data.parts.dates, std::vector<bool>(data.parts.dates.size(), true)});
}

namespace {

// Per currency code: the date indexes at which some part in it has MRR.
std::map<std::string, std::vector<std::uint8_t>> dates_with_amounts(
    const currency_parts& data) {
  const snapshot_store& in = data.parts;
  std::vector<std::string> codes;
  std::vector<std::vector<std::uint8_t>> has;  // bytes: one store per entry
  for (std::uint32_t p = 0; p < data.owner.size(); ++p) {
    // Parts of one code tend to follow each other: look at the last code first.
    size_t k = codes.size();
    if (k == 0 || codes.back() != data.code[p]) {
      k = size_t(std::find(codes.begin(), codes.end(), data.code[p]) -
                 codes.begin());
      if (k == codes.size()) {
        codes.push_back(data.code[p]);
        has.emplace_back(in.dates.size(), 0);
      }
    } else {
      --k;
    }
    for (std::uint32_t e = in.offsets[p]; e < in.offsets[p + 1]; ++e)
      has[k][in.entry_date[e]] = 1;
  }
  std::map<std::string, std::vector<std::uint8_t>> by_code;
  for (size_t k = 0; k < codes.size(); ++k)
    by_code.emplace(codes[k], std::move(has[k]));
  return by_code;
}

size_t date_index(const snapshot_store& s, day_number d) {
  return size_t(std::lower_bound(s.dates.begin(), s.dates.end(), d) -
                s.dates.begin());
}

// Which rates a row's numbers need: spot, each end's amounts at its own
// date; constant, both ends' at the start's.
enum needs : unsigned { kSpot = 1, kConstant = 2 };

// The error for the currency whose earliest needed rate is missing: a
// currency with an amount at a row's start or end needs a rate there.
void check_rates(const currency_parts& data, const fx_rates& rates,
                 const std::vector<report_row>& rows, unsigned needs) {
  std::optional<std::pair<day_number, std::string>> worst;
  for (const auto& [code, has] : dates_with_amounts(data)) {
    std::optional<day_number> need;
    const auto earlier = [&](day_number d) {
      if (!need || d < *need) need = d;
    };
    for (const auto& row : rows) {
      const bool at_start = has[date_index(data.parts, row.start_date)] != 0;
      const bool at_end = has[date_index(data.parts, row.end_date)] != 0;
      if ((needs & kSpot) && at_start) earlier(row.start_date);
      if ((needs & kSpot) && at_end) earlier(row.end_date);
      if ((needs & kConstant) && (at_start || at_end)) earlier(row.start_date);
    }
    if (need && !rates.at(code, *need) && (!worst || *need < worst->first))
      worst = {{*need, code}};
  }
  if (worst) {
    throw InputError(
        fmt::format("no {} rate on or before {}, the first date that needs one",
                    worst->second, format_date(worst->first)),
        rates.source());
  }
}

// Spot conversion for a report's rows: each date at its own rates, exact at
// the rows' starts and ends.
rate_plan spot_plan(const snapshot_store& s,
                    const std::vector<report_row>& rows) {
  rate_plan plan{s.dates, std::vector<bool>(s.dates.size(), false)};
  for (const auto& row : rows) {
    plan.exact[date_index(s, row.start_date)] = true;
    plan.exact[date_index(s, row.end_date)] = true;
  }
  return plan;
}

// Constant-currency conversion for the row from S to E: amounts at S and E
// at S's rates; elsewhere only zero or not matters.
rate_plan constant_plan(const snapshot_store& s, day_number start,
                        day_number end) {
  rate_plan plan{s.dates, std::vector<bool>(s.dates.size(), false)};
  for (const day_number d : {start, end}) {
    plan.day[date_index(s, d)] = start;
    plan.exact[date_index(s, d)] = true;
  }
  return plan;
}

// The rows a report has (their periods, starts and ends), which depend on the
// snapshot dates alone: the unconverted parts have the same dates.
std::vector<report_row> rows_by_date(const currency_parts& data,
                                     const report_options& options) {
  snapshot_store dates_only;
  dates_only.dates = data.parts.dates;
  dates_only.offsets = {0};
  dates_only.segments = data.parts.segments;
  report r = build_report(dates_only, options);
  // Without customers every row is a total row; keep one per period.
  std::vector<report_row> rows;
  for (auto& row : r.rows) {
    if (rows.empty() || rows.back().period != row.period)
      rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

void require_rates(const currency_parts& data, const fx_rates& rates,
                   const report_options& options, std::optional<fx_mode> only) {
  const unsigned needs = !only                    ? kSpot | kConstant
                         : *only == fx_mode::spot ? kSpot
                                                  : kConstant;
  check_rates(data, rates, rows_by_date(data, options), needs);
}

part_amount convert_part_entry(const currency_parts& data, std::uint32_t part,
                               std::uint32_t e, std::int64_t rate) {
  const converted_entry c = convert_entry(data, part, e, rate);
  return {c.amount, c.segment_amount, c.segment_row};
}

std::optional<snapshot_store> fx_store_for_row(const currency_parts& data,
                                               const fx_rates& rates,
                                               fx_mode mode,
                                               const report_options& options,
                                               std::int64_t period) {
  report_options one = options;
  one.from = one.to = period;
  const std::vector<report_row> rows = rows_by_date(data, one);
  if (rows.empty()) return std::nullopt;
  check_rates(data, rates, rows, mode == fx_mode::spot ? kSpot : kConstant);
  if (mode == fx_mode::spot)
    return convert_parts(data, rates, spot_plan(data.parts, rows));
  return convert_parts(
      data, rates,
      constant_plan(data.parts, rows[0].start_date, rows[0].end_date));
}

}  // namespace ndr
