// libFuzzer target over the subscription reader: any byte string must either
// derive snapshot rows that load, or fail with ndr::InputError.
// Built by `make fuzz` (clang, AddressSanitizer, UndefinedBehaviorSanitizer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ndr/error.h"
#include "ndr/load.h"
#include "ndr/presets.h"
#include "ndr/subscriptions.h"

namespace {

// The first two bytes pick the options, so one corpus explores them all.
ndr::subscription_options options_from(std::uint8_t a, std::uint8_t b) {
  const auto& presets = ndr::all_presets();
  ndr::subscription_options o;
  if (a % (presets.size() + 1) < presets.size())
    o = presets[a % (presets.size() + 1)].options;
  const char delimiters[] = {',', ';', '\t', '|', 0};
  o.delimiter = delimiters[b % 5];
  o.decimal_comma = b & 0x08;
  o.skip_bad_rows = b & 0x10;
  o.on_skipped_row = [](const ndr::InputError&) {};
  o.minor_units = b & 0x20;
  o.snapshot_day = b & 0x40 ? 1 + a % 31 : 0;
  if (b & 0x80) o.date_format = "%m/%d/%Y";
  if (a & 0x40) o.exclude_status = {"trialing", "canceled"};
  if (a & 0x80) o.segment_cols = {"plan"};
  if (a & 0x20) o.as_of = 19800;  // 2024-03-18
  if (a & 0x10) o.reporting_currency = "EUR";
  o.max_rows = 100000;  // keeps a run within the fuzzer's memory and time
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < 2) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  const ndr::subscription_options o = options_from(data[0], data[1]);
  try {
    ndr::derived_snapshots derived =
        ndr::derive_snapshot_texts({{"subs.csv", text}}, o);
    ndr::load_options l;
    l.segment_cols = o.segment_cols;
    ndr::load_derived(std::move(derived), l);
  } catch (const ndr::InputError&) {
    // The documented way to reject input.
  }
  return 0;
}
