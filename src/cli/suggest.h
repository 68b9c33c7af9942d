// "Did you mean …?" for a mistyped subcommand, option or config key.
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ndr::cli {

// The name in `names` closest to `typo` by edit distance (an insertion,
// deletion, substitution or swap of two neighbours counts one), or "" when
// none is within max(1, typo's length / 3) edits. Ties go to the first.
std::string closest_name(std::string_view typo,
                         const std::vector<std::string>& names);

// The long option names of `cmd` without dashes, as a config file spells them.
std::vector<std::string> long_option_names(const CLI::App& cmd);

// The one-line message for a failed parse of `app`, without "ndr: ": an
// unknown subcommand or option gets the closest name, and every message ends
// with where to look, "(see 'ndr report --help')".
std::string parse_error_message(const CLI::App& app,
                                const CLI::ParseError& error);

}  // namespace ndr::cli
