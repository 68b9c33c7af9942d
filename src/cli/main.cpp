// ndr: parse the command line, run the chosen subcommand (src/cli/<name>.cpp),
// and turn what it throws into one line on standard error and an exit status:
// 1 bad input, 2 bad usage, 3 a --min-* floor failed (the command's own),
// 70 a bug (a broken invariant).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include "command.h"
#include "config.h"
#include "ndr/error.h"
#include "suggest.h"

namespace {

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 70;  // EX_SOFTWARE

void print_error(const char* what) { fmt::print(stderr, "ndr: {}\n", what); }

// Parses argv (with --config files expanded); an exit status when parsing
// ends the run (--help, --version, a usage error), else -1.
int parse(ndr::cli::command_line& line, int argc, char** argv) {
  CLI::App& app = line.app();
  try {
    std::vector<std::string> args = ndr::cli::expand_config(
        app, std::vector<std::string>(argv + 1, argv + argc));
    std::reverse(args.begin(),
                 args.end());  // CLI11 takes a vector in reverse order
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
  return -1;
}

int run(ndr::cli::command& command) {
  try {
    return command.run();
  } catch (const ndr::UsageError& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    // Output is written whole at the end (or to a temporary, removed while
    // unwinding), so there is no partial output to clean up.
    print_error(
        "out of memory (the data set needs more than this machine has: fewer "
        "segments, "
        "or a smaller input); nothing was written");
    return kExitInput;
  } catch (
      const std::logic_error& e) {  // ndr::InternalError and the library's own
    fmt::print(stderr,
               "ndr: internal error: {} (a bug in ndr; please report it with "
               "the command "
               "line); nothing was written\n",
               e.what());
    return kExitInternal;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitInput;
  }
}

}  // namespace

int main(int argc, char** argv) {
  ndr::cli::command_line line;
  if (const int status = parse(line, argc, argv); status >= 0) return status;
  ndr::cli::command* chosen = line.chosen();
  return chosen ? run(*chosen) : kExitUsage;
}
