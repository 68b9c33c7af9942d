// `ndr cohorts`: the acquisition-cohort triangle.
#include <CLI/CLI.hpp>

#include "command.h"
#include "common.h"
#include "ndr/xlsx.h"
#include "outputs.h"

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
    add_output_options(cmd, output_, false,
                       "table, csv, json, markdown or xlsx");
    cmd->add_flag("--logos", logos_,
                  "table: logo retention instead of revenue retention");
    return cmd;
  }

  void check() override {
    options_ = to_report_options(periods_);
    destinations_ = to_destinations(output_, false);
    for (destination& d : destinations_) d.format.logos = logos_;
    to_input_spec(input_);
  }

  int run() override {
    check();
    opened_outputs out(destinations_, input_);
    const loaded_data data = load_data(input_, output_.quiet);
    const std::vector<cohort_cell> cells =
        build_cohorts(data.data, options_.scheme);
    for (size_t i = 0; i < destinations_.size(); ++i) {
      const destination& d = destinations_[i];
      out.stage(i, d.format.format == output_format::xlsx
                       ? cohorts_xlsx(cells, options_.scheme,
                                      to_xlsx_options(output_, input_, &data))
                       : render_cohorts(cells, options_.scheme,
                                        with_skipped(d.format, data)));
    }
    out.commit();
    return 0;
  }

 private:
  input_args input_;
  period_args periods_;
  output_args output_;
  bool logos_ = false;  // table: logo retention instead of revenue retention
  report_options options_;
  std::vector<destination> destinations_;
};

const registered<cohorts_command> registration(30);

}  // namespace
}  // namespace ndr::cli
