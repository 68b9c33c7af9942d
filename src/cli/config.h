// `--config FILE` for every subcommand: a TOML file whose keys are the long
// option names (`period = "quarter"`, `segment-by = ["plan", "region"]`,
// `wide = true`, `files = ["export.csv"]`). CLI11 2.1 only reads a config file
// for the top-level app, so the file is read with CLI11's own TOML reader and
// turned into arguments placed before the command line's, so that what is
// typed wins (options take their last value).
#pragma once

#include <CLI/App.hpp>

#include <string>
#include <vector>

namespace ndr::cli {

// Declares --config on `cmd` (for --help; expand_config does the work).
void add_config_option(CLI::App* cmd);

// Returns args with "--config FILE" (after a subcommand of `app`) replaced by
// the file's options. Throws CLI::FileError for an unreadable file and
// ndr::UsageError for a key that is not an option of that subcommand.
std::vector<std::string> expand_config(const CLI::App& app, std::vector<std::string> args);

}  // namespace ndr::cli
