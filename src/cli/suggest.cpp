#include "suggest.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace ndr::cli {
namespace {

// Optimal string alignment distance, in three rolling rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1),
      cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute =
          prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({}))
    names.push_back(sub->get_name());
  return names;
}

// "; did you mean 'report'?" or "".
std::string hint(const std::string& suggestion) {
  return suggestion.empty() ? ""
                            : fmt::format("; did you mean '{}'?", suggestion);
}

std::string unknown_command(const CLI::App& app, const std::string& typo) {
  return fmt::format("'{}' is not an ndr command{} (see 'ndr --help')", typo,
                     hint(closest_name(typo, subcommand_names(app))));
}

// The closest option to each unexpected "--name" or "--name=value" left over
// in `sub`: "; did you mean '--window'?", naming each typo when there are more.
std::string option_hints(const CLI::App& sub) {
  const std::vector<std::string> names = long_option_names(sub);
  const std::vector<std::string> rest = sub.remaining();
  std::vector<std::string> hints;
  for (const std::string& arg : rest) {
    if (arg.rfind("--", 0) != 0) continue;
    const std::string near =
        closest_name(arg.substr(2, arg.find('=') - 2), names);
    if (near.empty()) continue;
    hints.push_back(rest.size() == 1
                        ? fmt::format("'--{}'", near)
                        : fmt::format("'--{}' for '{}'", near, arg));
  }
  return hints.empty()
             ? ""
             : fmt::format("; did you mean {}?", fmt::join(hints, ", "));
}

}  // namespace

std::string closest_name(std::string_view typo,
                         const std::vector<std::string>& names) {
  const std::size_t limit = std::max<std::size_t>(1, typo.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& name : names) {
    const std::size_t gap = name.size() > typo.size()
                                ? name.size() - typo.size()
                                : typo.size() - name.size();
    if (gap >= best_distance) continue;  // the distance is at least the gap
    const std::size_t d = edit_distance(typo, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

std::vector<std::string> long_option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const std::string& name : opt->get_lnames()) {
      if (name != "help" && name != "config") names.push_back(name);
    }
  }
  return names;
}

std::string parse_error_message(const CLI::App& app,
                                const CLI::ParseError& error) {
  const std::vector<CLI::App*> parsed = app.get_subcommands();
  if (parsed.empty()) {
    const std::vector<std::string> rest = app.remaining();
    if (!rest.empty() && rest.front().rfind('-', 0) != 0)
      return unknown_command(app, rest.front());
    return fmt::format("{} (see 'ndr --help')", error.what());
  }
  const CLI::App& sub = *parsed.back();
  const bool extras = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr;
  return fmt::format("{}{} (see 'ndr {} --help')", error.what(),
                     extras ? option_hints(sub) : "", sub.get_name());
}

}  // namespace ndr::cli
