#include "config.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "ndr/error.h"

namespace ndr::cli {
namespace {

// The --config value in args, removed from them; empty if none.
std::string take_config_path(std::vector<std::string>& args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      std::string path = args[i + 1];
      args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
      return path;
    }
    if (args[i].rfind("--config=", 0) == 0) {
      std::string path = args[i].substr(9);
      args.erase(args.begin() + long(i));
      return path;
    }
  }
  return {};
}

// One config item as command-line tokens for `cmd`.
std::vector<std::string> tokens_for(const CLI::App& cmd, const CLI::ConfigItem& item,
                                    const std::string& path) {
  const std::string key = item.fullname();
  if (key == "files") return item.inputs;  // positionals
  const CLI::Option* opt = cmd.get_option_no_throw("--" + key);
  if (!opt || key == "config" || key == "help") {
    throw UsageError(fmt::format("{}: '{}' is not an option of 'ndr {}'", path, key, cmd.get_name()));
  }
  std::vector<std::string> out;
  if (opt->get_expected_max() == 0) {  // a flag: true / false
    const std::string v = item.inputs.empty() ? "true" : item.inputs.front();
    if (v == "true" || v == "1") out.push_back("--" + key);
    return out;
  }
  for (const auto& value : item.inputs) {
    out.push_back("--" + key);
    out.push_back(value);
  }
  return out;
}

}  // namespace

void add_config_option(CLI::App* cmd) {
  // Never parsed by CLI11 (expand_config removes it first); declared for --help.
  cmd->add_option("--config", "read options from a TOML file (keys: long option names)")
      ->type_name("FILE");
}

std::vector<std::string> expand_config(const CLI::App& app, std::vector<std::string> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const CLI::App* cmd = nullptr;
    try {
      cmd = app.get_subcommand(args[i]);
    } catch (const CLI::OptionNotFound&) {
      continue;
    }
    const std::string path = take_config_path(args, i + 1);
    if (path.empty()) return args;
    std::vector<std::string> extra;
    for (const auto& item : CLI::ConfigTOML().from_file(path)) {
      auto t = tokens_for(*cmd, item, path);
      extra.insert(extra.end(), t.begin(), t.end());
    }
    args.insert(args.begin() + long(i) + 1, extra.begin(), extra.end());
    return args;
  }
  return args;
}

}  // namespace ndr::cli
