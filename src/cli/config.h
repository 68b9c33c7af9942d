// `--config FILE` for every subcommand: a TOML file whose keys are the long
// option names (`period = "quarter"`, `segment-by = ["plan", "region"]`,
// `wide = true`, `files = ["export.csv"]`). CLI11 2.1 only reads a config file
// for the top-level app, so the file is read with CLI11's own TOML reader and
// turned into arguments placed before the command line's, so that what is
// typed wins (options take their last value).
//
// Keys at the top level are for whichever subcommand runs. Keys under a table
// named after a subcommand (`[report]`, `[cohorts]`, …) are for that one only
// and override the top level's; the other subcommands skip them, so one file
// can serve several commands. Any other table is an error, and so is a key
// given twice.
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ndr::cli {

// Declares --config on `cmd` (for --help; expand_config does the work).
void add_config_option(CLI::App* cmd);

// Returns args with "--config FILE" (after a subcommand of `app`) replaced by
// the file's options (see config_args); its `output` is left out when the
// typed arguments give -o, which is repeatable (one file per -o). Throws
// CLI::FileError for an unreadable file and ndr::UsageError for a file over 64
// KiB or one that config_args rejects.
std::vector<std::string> expand_config(const CLI::App& app,
                                       std::vector<std::string> args);

// The options that config text `text`, read from `path`, gives subcommand
// `cmd` (a subcommand of the app whose subcommands name the tables), as
// command-line tokens: the top level's first, then those of `cmd`'s table.
// Throws ndr::UsageError "PATH:LINE: …" for a key given twice, a table that is
// not named after a subcommand, or a key that is not an option of `cmd`.
// Takes time linear in the text's length for lists of a few kilobytes;
// CLI11's reader is quadratic in the length of one list, which is why
// expand_config caps the file's size.
std::vector<std::string> config_args(const CLI::App& cmd, std::string_view text,
                                     const std::string& path);

}  // namespace ndr::cli
