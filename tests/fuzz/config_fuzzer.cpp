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

#include "command.h"
#include "config.h"
#include "ndr/error.h"

namespace {

// ndr's own subcommands, as main declares them, in a fresh command line per
// input.
struct cli {
  ndr::cli::command_line line;
  std::vector<CLI::App*> commands = line.subcommands();
};

// The tokens as `ndr COMMAND TOKENS…` would parse them, then checked as the
// runs check them before reading any file.
void parse(cli& c, CLI::App& cmd, std::vector<std::string> tokens) {
  tokens.insert(tokens.begin(), cmd.get_name());
  std::reverse(tokens.begin(), tokens.end());
  c.line.app().parse(tokens);
  if (ndr::cli::command* chosen = c.line.chosen()) chosen->check();
}

}  // namespace

// The first byte picks the subcommand.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
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
