// `ndr movements`: the per-customer ledger behind one report row.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "command.h"
#include "common.h"
#include "ndr/error.h"
#include "ndr/xlsx.h"
#include "outputs.h"

namespace ndr::cli {
namespace {

class movements_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand(
        "movements", "the per-customer ledger behind one report row");
    add_input_options(cmd, input_);
    add_period_options(cmd, periods_);
    cmd->add_option(
           "--at", at_,
           "the report row's period (a label: 2024-03, 2024-Q1, FY2025)")
        ->required();
    add_output_options(cmd, output_, false,
                       "table, csv, json, markdown or xlsx");
    return cmd;
  }

  void check() override {
    options_ = to_report_options(periods_);
    period_ = parse_period(at_, "--at", options_.scheme);
    destinations_ = to_destinations(output_, false);
    to_input_spec(input_);
  }

  // The error for an --at with no report row: which snapshot dates it
  // needs, which the data has, and for subscriptions the --as-of that sets
  // the last one.
  InputError no_row(const snapshot_store& store) const {
    std::string has;
    if (!store.dates.empty()) {
      has = fmt::format("; the snapshot dates run from {} to {}",
                        format_date(store.dates.front()),
                        format_date(store.dates.back()));
      if (subscription_input(input_))
        has += " (--as-of DATE sets the last one)";
    }
    return InputError(fmt::format(
        "no report row for {}: it needs a snapshot date in {} and in {}{}", at_,
        at_, options_.scheme.label(period_ - options_.window), has));
  }

  std::string render(const destination& d, const loaded_data& data,
                     const ledger& lines) const {
    if (d.format.format != output_format::xlsx) {
      return render_ledger(lines.lines, lines.store(), options_, period_,
                           with_skipped(d.format, data));
    }
    return ledger_xlsx(
        {lines.lines, lines.store(), options_.scheme.label(period_)},
        to_xlsx_options(output_, input_, &data));
  }

  int run() override {
    check();
    opened_outputs out(destinations_, input_);
    const loaded_data data = load_data(input_, output_.quiet);
    const std::optional<ledger> lines =
        build_ledger(data.data, options_, period_);
    if (!lines) throw no_row(data.data.loaded());
    for (size_t i = 0; i < destinations_.size(); ++i)
      out.stage(i, render(destinations_[i], data, *lines));
    out.commit();
    return 0;
  }

 private:
  input_args input_;
  period_args periods_;
  output_args output_;
  std::string at_;  // the report row's period label
  report_options options_;
  std::int64_t period_ = 0;
  std::vector<destination> destinations_;
};

const registered<movements_command> registration(20);

}  // namespace
}  // namespace ndr::cli
