// `ndr presets`: the subscription export presets and their columns.
#include "ndr/presets.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "command.h"
#include "ndr/output.h"

namespace ndr::cli {
namespace {

std::string column_text(const subscription_column& c) {
  if (c.names.empty()) return "(not read)";
  std::string out;
  for (const auto& n : c.names) out += (out.empty() ? "" : " or ") + n;
  return out;
}

class presets_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    return app.add_subcommand(
        "presets", "list the subscription export presets and their columns");
  }

  int run() override {
    std::string out;
    for (const preset& p : all_presets()) {
      const subscription_options& o = p.options;
      out += fmt::format("{}\n  {}\n  source: {}\n", p.name, p.description,
                         p.source);
      const std::pair<const char*, const subscription_column*> columns[] = {
          {"customer_id", &o.customer}, {"start_date", &o.start},
          {"end_date", &o.end},         {"amount", &o.amount},
          {"interval", &o.interval},    {"interval_count", &o.interval_count},
          {"quantity", &o.quantity},    {"currency", &o.currency},
          {"status", &o.status}};
      for (const auto& [ours, theirs] : columns) {
        out += fmt::format("  {:<15} {}\n", ours, column_text(*theirs));
      }
      out += fmt::format("  {:<15} {}\n\n", "amounts",
                         o.minor_units ? "minor units (cents; yen for JPY)"
                                       : "major units (12.50)");
    }
    write_stdout(out);
    return 0;
  }
};

const registered<presets_command> registration(60);

}  // namespace
}  // namespace ndr::cli
