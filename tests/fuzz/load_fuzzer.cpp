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
#include "ndr/html.h"
#include "ndr/load.h"

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
  r.reactivation = selector & 0x80 ? ndr::reactivation_policy::include : ndr::reactivation_policy::separate;
  const ndr::report report = ndr::build_report(store, r);
  for (auto format : {ndr::output_format::csv, ndr::output_format::json, ndr::output_format::table}) {
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto store = ndr::load_texts({{"fuzz.csv", text}}, options_from(selector));
    exercise(store, selector);
  } catch (const ndr::InputError&) {
    // The documented way to reject input.
  }
  return 0;
}
