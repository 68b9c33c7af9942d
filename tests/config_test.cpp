// --config text as command-line tokens (src/cli/config.h) and the "did you
// mean" suggestions (src/cli/suggest.h), fed from strings.
#include "config.h"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "command.h"
#include "ndr/error.h"
#include "suggest.h"

using strings = std::vector<std::string>;

namespace {

// ndr's subcommands, as main declares them.
struct cli {
  ndr::cli::command_line line;
  CLI::App* report = line.app().get_subcommand("report");
  CLI::App* cohorts = line.app().get_subcommand("cohorts");
};

strings report_tokens(const std::string& text) {
  cli c;
  return ndr::cli::config_args(*c.report, text, "c.toml");
}

}  // namespace

TEST_CASE("config: top-level keys, then the subcommand's table, which wins") {
  cli c;
  const std::string text =
      "window = 2\nfiles = [\"a.csv\", \"b.csv\"]\n[report]\nwindow = 3\n"
      "[cohorts]\nlogos = true\n";
  CHECK(ndr::cli::config_args(*c.report, text, "c.toml") ==
        strings{"a.csv", "b.csv", "--window",
                "3"});  // the table's window replaces the top's
  CHECK_THROWS_WITH(ndr::cli::config_args(*c.cohorts, text, "c.toml"),
                    "c.toml:1: 'window' is not an option of 'ndr cohorts'");
  CHECK(ndr::cli::config_args(*c.cohorts,
                              "[report]\nwindow = 3\n[cohorts]\nlogos = true\n",
                              "c.toml") == strings{"--logos"});
}

TEST_CASE("config: a key given twice is an error, also twice in a row") {
  CHECK_THROWS_WITH(report_tokens("window = 2\nwindow = 3\n"),
                    "c.toml:2: duplicate key 'window' (first on line 1)");
  CHECK_THROWS_WITH(
      report_tokens("# c\n[report]\nwindow = 2\n\n[report]\nwindow = 3\n"),
      "c.toml:6: duplicate key 'report.window' (first on line 3)");
  // Not the same key: the table's replaces the top level's.
  CHECK(report_tokens("window = 2\n[report]\nwindow = 3\n") ==
        strings{"--window", "3"});
  CHECK(report_tokens("files = [\"a.csv\"]\n[report]\nfiles = [\"b.csv\"]\n") ==
        strings{"b.csv"});
}

TEST_CASE("config: tables are named after subcommands") {
  CHECK_THROWS_WITH(report_tokens("[reprot]\n"),
                    "c.toml:1: unknown table [reprot]; did you mean [report]?");
  CHECK_THROWS_WITH(
      report_tokens("\n[a.b.c]\n"),
      "c.toml:2: unknown table [a.b.c]; a table is named after a subcommand: "
      "report, movements, cohorts, validate, snapshots");
  CHECK(report_tokens("[[report]]\nwide = true\n") == strings{"--wide"});
}

TEST_CASE("config: a list over several lines keeps its key's line") {
  CHECK(report_tokens("files = [\"a.csv\", # first\n  \"b.csv\" # "
                      "second\n]\nwindow = 4\n") ==
        strings{"a.csv", "b.csv", "--window", "4"});
  CHECK_THROWS_WITH(
      report_tokens("files = [\"a.csv\",\n\"b.csv\"]\nwndow = 4\n"),
      "c.toml:3: 'wndow' is not an option of 'ndr report'; did you mean "
      "'window'?");
}

TEST_CASE(
    "closest_name: within a third of the typo's letters, a swap counting one") {
  const strings names{"report", "movements", "cohorts", "validate",
                      "snapshots"};
  CHECK(ndr::cli::closest_name("reprot", names) == "report");
  CHECK(ndr::cli::closest_name("cohort", names) == "cohorts");
  CHECK(ndr::cli::closest_name("snapshot", names) == "snapshots");
  CHECK(ndr::cli::closest_name("frobnicate", names).empty());
  CHECK(ndr::cli::closest_name("", names).empty());
  CHECK(ndr::cli::closest_name("rpt", names).empty());
}
