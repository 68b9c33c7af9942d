// libFuzzer target over `--config FILE`: any byte string must either become
// command-line tokens that CLI11 parses and ndr validates, or fail with
// ndr::UsageError or a CLI11 error.
// Built by `make fuzz` (clang, AddressSanitizer, UndefinedBehaviorSanitizer).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "ndr/error.h"
#include "report_command.h"

namespace {

// ndr's own subcommands, as main declares them, in a fresh app per input.
struct cli {
  CLI::App app{"ndr", "ndr"};
  ndr::cli::report_args report;
  ndr::cli::movements_args movements;
  ndr::cli::cohorts_args cohorts;
  ndr::cli::validate_args validate;
  ndr::cli::snapshots_args snapshots;
  std::vector<CLI::App*> commands;

  cli() {
    app.require_subcommand(1);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    commands = {ndr::cli::add_report_command(app, report),
                ndr::cli::add_movements_command(app, movements),
                ndr::cli::add_cohorts_command(app, cohorts),
                ndr::cli::add_validate_command(app, validate),
                ndr::cli::add_snapshots_command(app, snapshots)};
  }
};

// The tokens as `ndr COMMAND TOKENS…` would parse them, then checked as the
// runs check them before reading any file.
void parse(cli& c, CLI::App& cmd, std::vector<std::string> tokens) {
  tokens.insert(tokens.begin(), cmd.get_name());
  std::reverse(tokens.begin(), tokens.end());
  c.app.parse(tokens);
  if (cmd.get_name() == "report") {
    ndr::cli::to_load_options(c.report.input);
    ndr::cli::to_report_options(c.report.periods);
    ndr::cli::to_format_options(c.report.output);
  }
}

}  // namespace

// The first byte picks the subcommand.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  cli c;
  CLI::App& cmd = *c.commands[data[0] % c.commands.size()];
  try {
    parse(c, cmd, ndr::cli::config_args(cmd, text, "fuzz.toml"));
  } catch (const ndr::UsageError&) {
  } catch (const CLI::Error&) {
    // Both are how a bad config is reported (exit 2).
  }
  return 0;
}
