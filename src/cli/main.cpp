// ndr: parse options, run one subcommand, turn errors into a message and an exit status.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>

#include "ndr/error.h"
#include "config.h"
#include "report_command.h"
#include "suggest.h"

namespace {

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;

void print_error(const char* what) { fmt::print(stderr, "ndr: {}\n", what); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ndr: net dollar retention, gross revenue retention and logo retention "
               "from billing exports",
               "ndr"};
  app.set_version_flag("--version", std::string("ndr ") + NDR_VERSION);
  app.require_subcommand(1);
  // An option given twice takes its last value, so the command line overrides --config.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  ndr::cli::report_args report;
  ndr::cli::movements_args movements;
  ndr::cli::cohorts_args cohorts;
  ndr::cli::validate_args validate;
  ndr::cli::snapshots_args snapshots;
  CLI::App* report_cmd = ndr::cli::add_report_command(app, report);
  CLI::App* movements_cmd = ndr::cli::add_movements_command(app, movements);
  CLI::App* cohorts_cmd = ndr::cli::add_cohorts_command(app, cohorts);
  CLI::App* validate_cmd = ndr::cli::add_validate_command(app, validate);
  CLI::App* snapshots_cmd = ndr::cli::add_snapshots_command(app, snapshots);
  CLI::App* presets_cmd = ndr::cli::add_presets_command(app);
  try {
    std::vector<std::string> args =
        ndr::cli::expand_config(app, std::vector<std::string>(argv + 1, argv + argc));
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
  } catch (const ndr::UsageError& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const CLI::FileError& e) {  // --config FILE that cannot be read
    print_error(e.what());
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    print_error(ndr::cli::parse_error_message(app, e).c_str());
    return kExitUsage;
  }
  try {
    if (report_cmd->parsed()) return ndr::cli::run_report(report);
    if (movements_cmd->parsed()) return ndr::cli::run_movements(movements);
    if (cohorts_cmd->parsed()) return ndr::cli::run_cohorts(cohorts);
    if (validate_cmd->parsed()) return ndr::cli::run_validate(validate);
    if (snapshots_cmd->parsed()) return ndr::cli::run_snapshots(snapshots);
    if (presets_cmd->parsed()) return ndr::cli::run_presets();
  } catch (const ndr::UsageError& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    // Output is written whole at the end (or to a temporary, removed while
    // unwinding), so there is no partial output to clean up.
    print_error("out of memory (the data set needs more than this machine has: fewer segments, "
                "or a smaller input); nothing was written");
    return kExitInput;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitInput;
  }
  return kExitUsage;
}
