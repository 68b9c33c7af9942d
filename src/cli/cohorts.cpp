// `ndr cohorts`: the acquisition-cohort triangle.
#include <CLI/CLI.hpp>

#include "command.h"
#include "common.h"

namespace ndr::cli {
namespace {

class cohorts_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    CLI::App* cmd =
        app.add_subcommand("cohorts", "the acquisition-cohort triangle");
    add_input_options(cmd, input_, {false, true, true, true});
    add_period_options(cmd, periods_, period_flags::no_window,
                       {"month", "quarter", "year"});
    add_output_options(cmd, output_, false);
    cmd->add_flag("--logos", logos_,
                  "table: logo retention instead of revenue retention");
    return cmd;
  }

  void check() override {
    options_ = to_report_options(periods_);
    format_ = to_format_options(output_);
    format_.logos = logos_;
    to_input_spec(input_);
  }

  int run() override {
    check();
    output_file out = open_output(output_, input_);
    const loaded_data data = load_data(input_, output_.quiet);
    write_output(output_, out,
                 render_cohorts(build_cohorts(data.data, options_.scheme),
                                options_.scheme, with_skipped(format_, data)));
    return 0;
  }

 private:
  input_args input_;
  period_args periods_;
  output_args output_;
  bool logos_ = false;  // table: logo retention instead of revenue retention
  report_options options_;
  format_options format_;
};

const registered<cohorts_command> registration(30);

}  // namespace
}  // namespace ndr::cli
