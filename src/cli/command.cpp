#include "command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>

#include "help.h"

namespace ndr::cli {
namespace {

struct entry {
  int order;
  command_factory make;
};

// A function-local static: registrations run during static initialisation,
// in whatever order the files are linked.
std::vector<entry>& registry() {
  static std::vector<entry> commands;
  return commands;
}

constexpr const char* kFileValue = "file";  // file_value()'s name

}  // namespace

CLI::Validator file_value() {
  // No description, so nothing is added to the type name --help shows.
  return CLI::Validator([](std::string&) { return std::string(); }, "",
                        kFileValue);
}

bool takes_file(CLI::Option& o) {
  try {
    o.get_validator(kFileValue);
    return true;
  } catch (const CLI::OptionNotFound&) {  // CLI11 2.1's only answer for "no"
    return false;
  }
}

void register_command(int order, command_factory make) {
  registry().push_back({order, make});
}

command_line::command_line()
    : app_(
          "ndr: net dollar retention, gross revenue retention and logo "
          "retention from billing "
          "exports",
          "ndr") {
  app_.set_version_flag("--version", std::string("ndr ") + NDR_VERSION);
  app_.require_subcommand(1);
  // An option given twice takes its last value, so the command line overrides
  // --config.
  app_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::vector<entry> entries = registry();
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const entry& a, const entry& b) { return a.order < b.order; });
  for (const entry& e : entries) {
    std::unique_ptr<command> c = e.make();
    CLI::App* sub = c->declare(app_);
    commands_.emplace_back(sub, std::move(c));
  }
  organize_help(app_);
}

std::vector<CLI::App*> command_line::subcommands() const {
  std::vector<CLI::App*> out;
  for (const auto& [sub, c] : commands_) out.push_back(sub);
  return out;
}

command* command_line::chosen() const {
  for (const auto& [sub, c] : commands_) {
    if (sub->parsed()) return c.get();
  }
  return nullptr;
}

}  // namespace ndr::cli
