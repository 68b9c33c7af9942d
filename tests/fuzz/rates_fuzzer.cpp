// libFuzzer target over the exchange-rate reader: any byte string must either
// read as rates that answer lookups and convert, or fail with ndr::InputError.
// Built by `make fuzz` (clang, AddressSanitizer, UndefinedBehaviorSanitizer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ndr/error.h"
#include "ndr/fx.h"
#include "ndr/money.h"

namespace {

void look_up(const ndr::fx_rates& rates) {
  for (const char* code : {"", "USD", "EUR", "JPY", "KWD"}) {
    for (ndr::day_number d : {-800000, -1, 0, 19800, 2900000}) {
      if (const auto rate = rates.at(code, d)) {
        ndr::convert_money(ndr::money::from_units(INT64_MAX), *rate);
        ndr::convert_money(ndr::money::from_units(-123456789), *rate);
      }
    }
  }
}

}  // namespace

// The first byte picks the reporting currency and the date layout.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  const char* reporting[] = {"USD", "EUR", "JPY", "usd"};
  const char* layouts[] = {"", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d"};
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    look_up(ndr::fx_rates::parse({"rates.csv", text}, reporting[data[0] % 4],
                                 layouts[(data[0] >> 2) % 4]));
  } catch (const ndr::InputError&) {
    // The documented way to reject input.
  }
  return 0;
}
