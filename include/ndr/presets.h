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
// The preset called `name`, or nullptr.
const preset* find_preset(std::string_view name);

}  // namespace ndr
