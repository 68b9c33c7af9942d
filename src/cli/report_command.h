// The subcommands: option declarations and runs. Each run returns the exit
// status, or throws ndr::InputError (exit 1) or ndr::UsageError (exit 2).
#pragma once

#include <CLI/App.hpp>

#include <string>

#include "common.h"

namespace ndr::cli {

// `ndr report`: NDR, GRR and logo retention per period (and segment).
struct report_args {
  input_args input;
  period_args periods;
  output_args output;
  std::string from;                // first period shown (a period label)
  std::string to;                  // last period shown
  std::string min_ndr;             // floors: "0.95" or "95%"
  std::string min_grr;
  std::string min_logo_retention;
  std::string title = "Net dollar retention";  // html: the page's title
  bool stamp = false;                          // html: say when it was made
};
CLI::App* add_report_command(CLI::App& app, report_args& args);
int run_report(const report_args& args);

// `ndr movements`: the per-customer ledger behind one report row.
struct movements_args {
  input_args input;
  period_args periods;
  output_args output;
  std::string at;  // the report row's period label
};
CLI::App* add_movements_command(CLI::App& app, movements_args& args);
int run_movements(const movements_args& args);

// `ndr cohorts`: the acquisition-cohort triangle.
struct cohorts_args {
  input_args input;
  period_args periods;
  output_args output;
  bool logos = false;  // table: logo retention instead of revenue retention
};
CLI::App* add_cohorts_command(CLI::App& app, cohorts_args& args);
int run_cohorts(const cohorts_args& args);

// `ndr validate`: can this export be trusted?
struct validate_args {
  input_args input;
  period_args periods;
  output_args output;
  bool strict = false;  // warnings fail too (exit 1)
};
CLI::App* add_validate_command(CLI::App& app, validate_args& args);
int run_validate(const validate_args& args);

// `ndr snapshots`: the snapshot rows derived from subscription input.
struct snapshots_args {
  input_args input;
  output_args output;
};
CLI::App* add_snapshots_command(CLI::App& app, snapshots_args& args);
int run_snapshots(const snapshots_args& args);

// `ndr presets`: the subscription export presets and their columns.
CLI::App* add_presets_command(CLI::App& app);
int run_presets();

}  // namespace ndr::cli
