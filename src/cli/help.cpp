#include "help.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace ndr::cli {
namespace {

// Each option's --help section, by long name; options not listed stay under
// "Options" (--help, --config, a command's own).
struct section {
  const char* title;
  std::initializer_list<std::string_view> options;
};
const section kSections[] = {
    {"Input",
     {"customer-col", "date-col", "mrr-col", "delimiter", "decimal-comma",
      "decimal-point", "locale", "encoding", "allow-date-range", "date-format",
      "segment-by", "max-segments", "skip-bad-rows", "db", "table", "order-col",
      "dialect"}},
    {"Subscriptions",
     {"input", "preset", "start-col", "end-col", "amount-col", "interval-col",
      "interval-count-col", "quantity-col", "status-col", "amount-unit",
      "exclude-status", "as-of", "end-inclusive", "snapshot-day"}},
    {"Currencies and accounts",
     {"currency-col", "currency", "fx", "fx-mode", "customer-map"}},
    {"Periods",
     {"period", "fiscal-year-start", "window", "reactivation", "from", "to",
      "at", "logos"}},
    {"Output", {"format", "output", "wide", "arr", "quiet", "title", "stamp"}},
    {"Gates (exit 3 when the latest period is below)",
     {"min-ndr", "min-grr", "min-logo-retention"}},
};

const char* section_of(const CLI::Option& option) {
  for (const auto& s : kSections) {
    for (const std::string& name : option.get_lnames()) {
      for (std::string_view o : s.options) {
        if (name == o) return s.title;
      }
    }
  }
  return nullptr;
}

// One example per section the command has, and what every command shares.
std::string footer(const CLI::App& cmd) {
  const std::string name = cmd.get_name();
  std::string out = "\nExamples:\n";
  const auto has = [&](const char* option) {
    return cmd.get_option_no_throw(option) != nullptr;
  };
  const std::string file = name == "validate" ? " export.csv" : " mrr.csv";
  out += fmt::format("  ndr {}{}\n", name, file);
  if (has("--locale"))
    out += fmt::format("  ndr {} export.csv --locale de\n", name);
  if (has("--preset"))
    out += fmt::format(
        "  ndr {} subscriptions.csv --preset stripe --as-of "
        "2024-12-31\n",
        name);
  if (has("--fx"))
    out +=
        fmt::format("  ndr {}{} --fx rates.csv --currency EUR\n", name, file);
  if (has("--period"))
    out += fmt::format("  ndr {}{} --period quarter --fiscal-year-start 4\n",
                       name, file);
  if (has("--output"))
    out += fmt::format("  ndr {}{} -o {}.csv -q\n", name, file, name);
  if (has("--min-ndr"))
    out += fmt::format("  ndr {}{} --min-ndr 95% --min-grr 85%\n", name, file);
  out +=
      "\nFiles ending in .gz are read as gzip; '-' is standard input.\n"
      "--config FILE reads options from a TOML file (keys: the long option "
      "names).\n"
      "Exit status: 0 success, 1 bad input or data, 2 bad usage";
  out += has("--min-ndr") ? ", 3 a --min-* floor failed" : "";
  out +=
      ", 70 a bug in ndr.\nDocs: README.md and docs/ (from the Debian "
      "package: /usr/share/doc/ndr), and 'man ndr'.";
  return out;
}

}  // namespace

void organize_help(CLI::App& app) {
  for (CLI::App* cmd : app.get_subcommands({})) {
    for (CLI::Option* option : cmd->get_options()) {
      if (option->get_group().empty()) continue;  // hidden
      if (const char* title = section_of(*option)) option->group(title);
    }
    cmd->footer(footer(*cmd));
  }
  app.footer(
      "\nRun 'ndr COMMAND --help' for a command's options, grouped (input, "
      "subscriptions, currencies, periods, output, gates), with examples.\n"
      "Example: ndr report mrr.csv --period quarter -o report.html\n"
      "Exit status: 0 success, 1 bad input or data, 2 bad usage, 3 a --min-* "
      "floor failed, 70 a bug in ndr.");
}

}  // namespace ndr::cli
