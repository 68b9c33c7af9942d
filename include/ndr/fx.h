// Currencies (docs/inputs.md): exchange rates, and turning a data set whose
// customers are split into currency parts into one in the reporting currency,
// either at each date's own rates (spot) or at a report row's start rates
// (constant currency).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ndr/engine.h"
#include "ndr/load.h"

namespace ndr {

// Rates: units of the reporting currency per one unit of a currency, by date.
class fx_rates {
 public:
  static constexpr int kDigits = 12;  // decimals a rate may have
  static constexpr std::int64_t kScale =
      1'000'000'000'000;  // a rate is held × 10^12

  explicit fx_rates(std::string reporting = "USD")
      : reporting_(std::move(reporting)) {}

  // Reads `date,currency,rate` (any case, any order; other columns ignored).
  // Throws InputError for a bad row (naming file, line and column), a
  // currency given two rates on one date, or a reporting-currency rate other
  // than 1.
  static fx_rates load(const std::string& path, const std::string& reporting,
                       const std::string& date_format = {});
  static fx_rates parse(const named_text& text, const std::string& reporting,
                        const std::string& date_format = {});

  const std::string& reporting() const { return reporting_; }
  const std::string& source() const { return source_; }
  // The latest rate of `code` on or before d (× kScale); the reporting
  // currency's (and "", which means it) is kScale; nullopt when there is none.
  std::optional<std::int64_t> at(std::string_view code, day_number d) const;

 private:
  struct dated_rate {
    day_number date;
    std::int64_t rate;
  };
  std::string reporting_;
  std::string source_;
  std::unordered_map<std::string, std::vector<dated_rate>> series_;  // by date
  friend class fx_reader;
};

// amount × rate (× kScale) rounded half to even to money's 6 decimals;
// nullopt when the result does not fit.
std::optional<money> convert_money(money amount, std::int64_t rate);

// A data set whose customers are split by currency: `parts` is the loaded
// store, whose customers are currency parts
// (snapshot_store::customer_currency).
struct currency_parts {
  snapshot_store parts;
  std::vector<std::uint32_t> owner;  // per part: index into customers
  std::vector<std::string> code;     // per part: its currency ("" = reporting)
  std::vector<std::string> customers;  // plain ids in order of first appearance
};
currency_parts split_currencies(snapshot_store store);

enum class fx_mode { constant, spot };

// How to convert each snapshot date's amounts (one entry per date index).
struct rate_plan {
  std::vector<day_number> day;  // amounts at date d convert at day[d]'s rates
  // false: the amounts at d only matter as zero or not (a date between a
  // row's start and end, or before its start), so a missing rate there is
  // no error and the amount stays unconverted.
  std::vector<bool> exact;
};

// One store in the reporting currency: part amounts converted as `plan`
// says and added up per customer (parts hold only amounts > 0, so whether a
// customer pays never depends on a rate). A customer's segment at a date is
// its part with the largest converted amount's (ties: the part read first).
// Throws InputError for a missing rate at an exact date, naming the currency
// and the day.
snapshot_store convert_parts(const currency_parts& data, const fx_rates& rates,
                             const rate_plan& plan);

// Every date at its own rates, every one exact.
snapshot_store spot_store(const currency_parts& data, const fx_rates& rates);

// The report of a data set in several currencies, by the engine
// (engine.cpp): rows in `mode`, each with fx_impact_mrr = ending_mrr at spot
// rates − ending_mrr in constant currency. Throws InputError naming the
// currency and the earliest date that needs a rate it has none for.
report build_fx_report(const currency_parts& data, const fx_rates& rates,
                       fx_mode mode, const report_options& options);

// Throws that InputError when a report with `options` would need a rate
// `rates` lacks: in both modes (a report: fx_impact_mrr needs both), or in
// `only`.
void require_rates(const currency_parts& data, const fx_rates& rates,
                   const report_options& options,
                   std::optional<fx_mode> only = std::nullopt);

// Every amount converted as a whole converted store would convert it (at its
// own date's rate where there is one) must convert to a non-zero amount that
// fits, and every customer's total at every date must fit: the checks of
// spot_store, without building it, so that report, movements, cohorts and
// validate stop on the same data. Throws InputError.
void check_conversions(const currency_parts& data, const fx_rates& rates);

// The ledger behind report row `period` in `mode`, by the engine; its
// customer numbers index data.customers. nullopt when there is no such row.
std::optional<std::vector<ledger_line>> build_fx_ledger(
    const currency_parts& data, const fx_rates& rates, fx_mode mode,
    const report_options& options, std::int64_t period);

// Part entry e converted at `rate` (× kScale), with its segment row's amount
// converted too (SPEC §4 across parts: the largest converted row's segment,
// ties to the row read first). Throws InputError when it does not fit, or
// when a paying amount would convert to 0.
struct part_amount {
  money amount;
  money segment_amount;
  std::uint32_t segment_row = 0;
};
part_amount convert_part_entry(const currency_parts& data, std::uint32_t part,
                               std::uint32_t e, std::int64_t rate);

// The store behind report row `period` in `mode`, converted whole, or
// nullopt when there is no such row: the long way round, kept as the
// oracle of the engine's conversion in tests (fx_test.cpp).
std::optional<snapshot_store> fx_store_for_row(const currency_parts& data,
                                               const fx_rates& rates,
                                               fx_mode mode,
                                               const report_options& options,
                                               std::int64_t period);

// The cohort triangle in `mode`, by the engine (engine.cpp): each cell at its
// own snapshot's rates (spot), or at the rates of its cohort's own period-end
// snapshot (constant). Throws InputError naming the currency and the earliest
// date a cell needs a rate it has none for, or for an amount that cannot be
// converted (check_conversions).
std::vector<cohort_cell> build_fx_cohorts(const currency_parts& data,
                                          const fx_rates& rates, fx_mode mode,
                                          const period_scheme& scheme);

}  // namespace ndr
