// --help in sections (input, subscriptions, currencies, periods, output,
// gates), with examples, the exit statuses, .gz and --config in a footer.
#pragma once

#include <CLI/App.hpp>

namespace ndr::cli {

// Puts every subcommand's options of `app` in their sections and adds the
// footers. Call once the subcommands are declared.
void organize_help(CLI::App& app);

}  // namespace ndr::cli
