// Presets: the subscription layouts people actually have, each only a column
// and value mapping onto subscription_options (docs/inputs.md#presets).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ndr/subscriptions.h"

namespace ndr {

struct preset {
  std::string name;         // what --preset takes
  std::string description;  // one line
  std::string source;       // where the column names come from (a public page)
  subscription_options options;
};

// Every preset, in the order `ndr presets` lists them.
const std::vector<preset>& all_presets();
// How to read a file with this header as subscriptions, when its header is
// that of a subscription export (a customer, a start and an end date and an
// amount per row): "--preset NAME" for the first preset whose columns it has,
// else "--input subscriptions" with the column options it needs. "" when the
// header does not look like one. `customer_col`: --customer-col's name.
std::string subscription_hint(const std::vector<std::string>& header,
                              const std::string& customer_col);
// The preset called `name`, or nullptr.
const preset* find_preset(std::string_view name);

}  // namespace ndr
