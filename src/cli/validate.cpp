// `ndr validate`: can this export be trusted? It reads the input through
// the same data-set stage as `report` (ndr/data_set.h).
#include "ndr/validate.h"

#include <CLI/CLI.hpp>

#include "command.h"
#include "common.h"
#include "config.h"

namespace ndr::cli {
namespace {

class validate_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand(
        "validate", "check an export before reporting on it");
    add_input_options(cmd, input_, {false, true, true, true});
    add_period_options(cmd, periods_, period_flags::no_window);
    cmd->add_option("--format", output_.format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("-o,--output", output_.output,
                    "write to FILE atomically instead of standard output")
        ->check(file_value());
    cmd->add_flag("--strict", strict_, "exit 1 on warnings too");
    add_config_option(cmd);
    return cmd;
  }

  void check() override {
    options_ = to_report_options(periods_);
    json_ =
        output_.format == "json" ||
        (output_.format.empty() && format_named_by(output_.output) == "json");
    check_output_name(output_, json_ ? "json" : "text");
    spec_ = to_input_spec(input_);
  }

  int run() override {
    check();
    output_file out = open_output(output_, input_);
    const validation v = validate_data_set(spec_, options_.scheme);
    write_output(output_, out,
                 json_ ? render_validation_json(v) : render_validation_text(v));
    if (!v.errors.empty()) return 1;
    return strict_ && !v.warnings.empty() ? 1 : 0;
  }

 private:
  input_args input_;
  period_args periods_;
  output_args output_;
  bool strict_ = false;  // warnings fail too (exit 1)
  report_options options_;
  bool json_ = false;
  input_spec spec_;
};

const registered<validate_command> registration(40);

}  // namespace
}  // namespace ndr::cli
