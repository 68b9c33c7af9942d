// The subcommands of ndr. Each lives in src/cli/<name>.cpp: it declares its
// options, checks them into the library's typed options, and runs. A file
// registers its command with a static `registered<…>`, so adding a command
// is adding a file; main() only parses and runs whichever was chosen.
#pragma once

#include <CLI/App.hpp>
#include <memory>
#include <utility>
#include <vector>

namespace ndr::cli {

class command {
 public:
  virtual ~command() = default;
  // Declares the subcommand and its options on `app`.
  virtual CLI::App* declare(CLI::App& app) = 0;
  // Checks the parsed options into typed ones without reading any file:
  // throws UsageError (exit 2). run() does this first too.
  virtual void check() {}
  // Runs the parsed command: its exit status, or throws InputError (exit 1)
  // or UsageError (exit 2).
  virtual int run() = 0;
};

// Marks an option whose value names a file ('-' included), for `ndr
// completion` to offer file names. It changes neither parsing nor --help.
CLI::Validator file_value();
// Whether `o` was marked with file_value().
bool takes_file(CLI::Option& o);

using command_factory = std::unique_ptr<command> (*)();
// Adds a command to every command_line; `order` places it in --help.
void register_command(int order, command_factory make);

template <typename Command>
struct registered {
  explicit registered(int order) {
    register_command(order, []() -> std::unique_ptr<command> {
      return std::make_unique<Command>();
    });
  }
};

// ndr's command line: the app with every registered command declared.
class command_line {
 public:
  command_line();
  CLI::App& app() { return app_; }
  // The declared subcommands, in --help order.
  std::vector<CLI::App*> subcommands() const;
  // The command the parsed arguments chose, or nullptr.
  command* chosen() const;

 private:
  CLI::App app_;
  std::vector<std::pair<CLI::App*, std::unique_ptr<command>>> commands_;
};

}  // namespace ndr::cli
