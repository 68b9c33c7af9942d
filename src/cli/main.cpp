// ndr: parse options, run one subcommand, turn errors into a message and an exit status.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "ndr/error.h"
#include "report_command.h"

namespace {

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;

void print_error(const char* what) { fmt::print(stderr, "ndr: {}\n", what); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ndr: net dollar retention, gross revenue retention and logo retention "
               "from billing exports"};
  app.set_version_flag("--version", std::string("ndr ") + NDR_VERSION);
  app.require_subcommand(1);
  ndr::cli::report_args report;
  CLI::App* report_cmd = ndr::cli::add_report_command(app, report);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    fmt::print(stderr, "ndr: {} (see 'ndr {}--help')\n", e.what(),
               report_cmd->parsed() ? "report " : "");
    return kExitUsage;
  }
  try {
    if (report_cmd->parsed()) return ndr::cli::run_report(report);
  } catch (const ndr::UsageError& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitInput;
  }
  return kExitUsage;
}
