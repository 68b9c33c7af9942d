// `ndr snapshots`: the snapshot rows derived from subscription input, to
// trace a number or to re-run `report` on them.
#include <CLI/CLI.hpp>

#include "command.h"
#include "common.h"
#include "config.h"

namespace ndr::cli {
namespace {

class snapshots_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand(
        "snapshots",
        "the snapshot rows derived from subscriptions, to trace or re-run");
    add_input_options(cmd, input_, {true, true, false, false});
    cmd->add_option(
        "--currency", input_.currency,
        "the reporting currency: blank currency cells in minor units are in it "
        "(default: the data's single currency, else USD)");
    cmd->add_option("--format", output_.format, "csv (the only one)")
        ->check(CLI::IsMember({"csv"}));
    cmd->add_option("-o,--output", output_.output,
                    "write to FILE atomically instead of standard output")
        ->check(file_value());
    cmd->add_flag("-q,--quiet", output_.quiet,
                  "no warnings; errors only (for cron)");
    add_config_option(cmd);
    return cmd;
  }

  void check() override { check_output_name(output_, "csv"); }

  int run() override {
    check();
    output_file out = open_output(output_, input_);
    write_output(output_, out, derived_snapshot_csv(input_, output_.quiet));
    return 0;
  }

 private:
  input_args input_;
  output_args output_;
};

const registered<snapshots_command> registration(50);

}  // namespace
}  // namespace ndr::cli
