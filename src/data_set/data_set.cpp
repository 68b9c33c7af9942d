#include "ndr/data_set.h"

#include <fmt/format.h>

#include "ndr/error.h"
#include "ndr/hierarchy.h"

namespace ndr {
namespace {

snapshot_store load_snapshots(const input_spec& spec,
                              const load_options& options) {
  if (!spec.subscriptions) return load_files(spec.files, options);
  subscription_options derive = *spec.subscriptions;
  derive.on_skipped_row = options.on_skipped_row;
  derive.segment_cols = options.segment_cols;
  derive.skip_bad_rows = options.skip_bad_rows;
  if (!can_read_twice(spec.files))
    return load_derived(derive_snapshots(spec.files, derive), options);
  return load_derived(
      [&](bool again) {
        subscription_options once = derive;
        if (again) {  // reported the first time
          once.on_skipped_row = nullptr;
          once.on_warning = nullptr;
        }
        return derive_snapshots(spec.files, once);
      },
      options);
}

// The reporting currency: --currency, else the data's single code without
// --fx, else USD (docs/inputs.md#currencies).
std::string reporting_currency(const input_spec& spec,
                               const snapshot_store& store) {
  if (!spec.currency.empty()) return spec.currency;
  const auto codes = currency_codes(store);
  return spec.rates.empty() && codes.size() == 1 ? codes[0]->code
                                                 : std::string("USD");
}

// Without rates, every amount must be in the reporting currency. The
// message names the rows (two of them, so the error has no one place).
std::optional<InputError> unconverted_amounts(const input_spec& spec,
                                              const snapshot_store& store,
                                              const std::string& reporting) {
  const auto codes = currency_codes(store);
  for (const auto* seen : codes) {
    if (seen->code == reporting) continue;
    if (spec.currency.empty()) {  // two codes, neither chosen
      const auto* first = codes[0];
      const auto* second = codes[1];
      return InputError(fmt::format(
          "amounts in {} ({}:{}) and {} ({}:{}); convert them with --fx "
          "RATES.csv (date,currency,rate)",
          first->code, first->source, first->line, second->code, second->source,
          second->line));
    }
    return InputError(
        fmt::format("amounts in {} ({}:{}), but the reporting currency is {}; "
                    "convert them with --fx RATES.csv (date,currency,rate)",
                    seen->code, seen->source, seen->line, reporting));
  }
  return std::nullopt;
}

}  // namespace

data_set load_data_set(const input_spec& spec) {
  const customer_map parents = spec.customer_map.empty()
                                   ? customer_map()
                                   : customer_map::load(spec.customer_map);
  load_options options = spec.snapshots;
  options.parents = &parents;
  options.reporting_currency =
      spec.currency.empty() && !spec.rates.empty() ? "USD" : spec.currency;
  options.reporting_currency_from_data =
      spec.currency.empty() && spec.rates.empty();

  data_set data;
  data.store = load_snapshots(spec, options);
  data.rows_skipped = data.store.rows_skipped;
  data.reporting_currency = reporting_currency(spec, data.store);
  if (!spec.rates.empty()) {
    data.rates = fx_rates::load(spec.rates, data.reporting_currency);
    data.mode = spec.mode;
    data.parts = split_currencies(std::move(data.store));
    data.store = snapshot_store();
    return data;
  }
  if (auto error =
          unconverted_amounts(spec, data.store, data.reporting_currency)) {
    if (!options.on_data_error) throw *error;
    options.on_data_error(*error);
    return data;
  }
  // The loader keys the reporting currency's rows (blank or its code) as
  // plain ids, and any other code was refused just above: no parts remain.
  check_invariant(data.store.customer_currency.empty(),
                  "currency parts left in a data set without rates");
  return data;
}

report build_report(const data_set& data, const report_options& options) {
  report r = data.rates
                 ? build_fx_report(*data.parts, *data.rates, data.mode, options)
                 : build_report(data.store, options);
  if (!data.loaded().dates.empty()) r.first_date = data.loaded().dates.front();
  return r;
}

std::vector<cohort_cell> build_cohorts(const data_set& data,
                                       const period_scheme& scheme) {
  return data.rates
             ? build_fx_cohorts(*data.parts, *data.rates, data.mode, scheme)
             : build_cohorts(data.store, scheme);
}

std::optional<ledger> build_ledger(const data_set& data,
                                   const report_options& options,
                                   std::int64_t period) {
  ledger out;
  if (data.rates) {
    auto lines =
        build_fx_ledger(*data.parts, *data.rates, data.mode, options, period);
    if (!lines) return std::nullopt;
    out.lines = std::move(*lines);
    // The lines number the customers, not their currency parts.
    out.names.emplace();
    out.names->customers = data.parts->customers;
    out.names->segments = data.parts->parts.segments;
    return out;
  }
  out.loaded = &data.store;
  auto lines = build_ledger(data.store, options, period);
  if (!lines) return std::nullopt;
  out.lines = std::move(*lines);
  return out;
}

}  // namespace ndr
