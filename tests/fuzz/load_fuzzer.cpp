// libFuzzer target over the loader and everything downstream of it: any byte
// string must either load or fail with ndr::InputError, and whatever loads
// must report, render and pass the engine's own invariant checks.
// Built by `make fuzz` (clang, AddressSanitizer, UndefinedBehaviorSanitizer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ndr/engine.h"
#include "ndr/error.h"
#include "ndr/format.h"
#include "ndr/fx.h"
#include "ndr/hierarchy.h"
#include "ndr/html.h"
#include "ndr/load.h"
#include "ndr/subscriptions.h"

namespace {

// The first byte picks the options, so one corpus explores them all.
ndr::load_options options_from(std::uint8_t selector) {
  ndr::load_options o;
  const char delimiters[] = {',', ';', '\t', '|', 0};
  o.delimiter = delimiters[selector % 5];
  o.decimal_comma = selector & 0x08;
  o.skip_bad_rows = selector & 0x10;
  if (selector & 0x20) o.segment_cols = {"plan"};
  if (selector & 0x40) o.date_format = "%m/%d/%Y";
  return o;
}

void exercise(const ndr::snapshot_store& store, std::uint8_t selector) {
  ndr::report_options r;
  r.window = 1 + selector % 3;
  r.scheme.kind = ndr::period_kind(selector % 3);
  r.scheme.fiscal_start = 1 + selector % 12;
  r.reactivation = selector & 0x80 ? ndr::reactivation_policy::include
                                   : ndr::reactivation_policy::separate;
  const ndr::report report = ndr::build_report(store, r);
  for (auto format : {ndr::output_format::csv, ndr::output_format::json,
                      ndr::output_format::table}) {
    ndr::render_report(report, {format, true, bool(selector & 1)});
  }
  if (!report.rows.empty()) {
    const auto period = report.rows.back().period;
    if (auto lines = ndr::build_ledger(store, r, period)) {
      ndr::render_ledger(*lines, store, r, period, {ndr::output_format::json});
    }
  }
  const auto cohorts = ndr::build_cohorts(store, r.scheme);
  ndr::render_cohorts(cohorts, r.scheme, {ndr::output_format::table});
  ndr::render_html(report, cohorts, {});
}

// The same bytes as a subscription export, then in several currencies.
void exercise_subscriptions(const std::string& text, std::uint8_t selector) {
  ndr::subscription_options o;
  o.skip_bad_rows = selector & 0x10;
  o.minor_units = selector & 0x04;
  o.snapshot_day = selector & 0x02 ? 15 : 0;
  if (selector & 0x20) o.segment_cols = {"plan"};
  if (selector & 0x40) o.exclude_status = {"trialing"};
  o.max_rows = 100000;  // keeps a run within the fuzzer's memory and time
  const auto store = ndr::load_derived(
      ndr::derive_snapshot_texts({{"fuzz.csv", text}}, o), {});
  exercise(store, selector);
}

void exercise_currencies(const std::string& text, std::uint8_t selector) {
  ndr::load_options o = options_from(selector);
  const auto parts =
      ndr::split_currencies(ndr::load_texts({{"fuzz.csv", text}}, o));
  const auto rates = ndr::fx_rates::parse(
      {"rates.csv",
       "date,currency,rate\n1900-01-01,EUR,1.1\n1900-01-01,JPY,0.0067\n"
       "2024-03-01,EUR,1.2\n"},
      "USD");
  ndr::report_options r;
  r.window = 1 + selector % 3;
  const auto mode =
      selector & 0x80 ? ndr::fx_mode::spot : ndr::fx_mode::constant;
  const ndr::report report = ndr::build_fx_report(parts, rates, mode, r);
  ndr::render_report(report, {ndr::output_format::csv});
  ndr::build_fx_cohorts(parts, rates, mode, r.scheme);
}

// Each reader on its own: the same bytes as a customer map and as rates.
void exercise_side_files(const std::string& text) {
  try {
    ndr::customer_map::parse({"map.csv", text});
  } catch (const ndr::InputError&) {
  }
  try {
    ndr::fx_rates::parse({"rates.csv", text}, "USD");
  } catch (const ndr::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto store =
        ndr::load_texts({{"fuzz.csv", text}}, options_from(selector));
    exercise(store, selector);
  } catch (const ndr::InputError&) {
    // The documented way to reject input.
  }
  try {
    exercise_subscriptions(text, selector);
  } catch (const ndr::InputError&) {
  }
  try {
    exercise_currencies(text, selector);
  } catch (const ndr::InputError&) {
  }
  exercise_side_files(text);
  return 0;
}
