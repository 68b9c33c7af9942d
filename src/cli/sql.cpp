// `ndr sql`: the report as one SQL query over a snapshots table, for a
// warehouse to compute exactly what `ndr report --format csv` prints
// (docs/sql.md).
#include "ndr/sql.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>

#include "command.h"
#include "common.h"
#include "ndr/error.h"
#include "ndr/output.h"

namespace ndr::cli {
namespace {

// Options of ndr report that SQL cannot take, and why.
const std::vector<std::pair<std::string, std::string>> kNotInSql{
    {"--fx",
     "currencies are converted by ndr report only; give the table in one "
     "currency"},
    {"--customer-map", "roll ids up in a view first"},
    {"--input", "derive snapshots with ndr snapshots, and load those"},
    {"--preset", "derive snapshots with ndr snapshots, and load those"},
    {"--skip-bad-rows",
     "a table has no bad rows to skip; the query stops on bad data"},
    {"--currency", "the table is in one currency"},
    {"--currency-col", "the table is in one currency"},
    {"--max-segments", "the query reports every segment"},
    {"--format", "the query's result is the CSV; psql --csv prints it"},
};

class sql_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    CLI::App* cmd = app.add_subcommand("sql",
                                       "the report as one SQL query, for a "
                                       "warehouse to compute (docs/sql.md)");
    cmd->add_option("--dialect", dialect_, "the SQL engine")
        ->required()
        ->check(CLI::IsMember(sql_dialect_names()));
    cmd->add_option("--table", o_.table,
                    "the snapshots table or view (schema.table: each part is "
                    "quoted)")
        ->required();
    cmd->add_option("--customer-col", o_.customer_col, "customer id column")
        ->capture_default_str();
    cmd->add_option("--date-col", o_.date_col, "snapshot date column (a DATE)")
        ->capture_default_str();
    cmd->add_option("--mrr-col", o_.mrr_col,
                    "MRR amount column (an exact DECIMAL, at most 6 decimals)")
        ->capture_default_str();
    cmd->add_option("--segment-by", segment_,
                    "a column to break the numbers down by (one)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    // ndr report's options that have no meaning in SQL: taken (hidden) so
    // that the refusal can say why (docs/sql.md).
    for (const auto& [name, why] : kNotInSql) {
      cmd->add_option(name, refused_[name])->group("")->allow_extra_args(false);
    }
    cmd->add_option("--order-col", order_,
                    "with --segment-by: the column whose order stands for the "
                    "order rows were read, for ties (SPEC §4)");
    add_period_options(cmd, periods_);
    cmd->add_option("--from", from_,
                    "first period shown (a label: 2024-03, 2024-Q1, FY2025)");
    cmd->add_option("--to", to_, "last period shown");
    cmd->add_flag("--arr", o_.arr, "money ×12 as ARR (ratios unchanged)");
    cmd->add_option("-o,--output", output_,
                    "write to FILE atomically instead of standard output")
        ->check(file_value());
    return cmd;
  }

  void check() override {
    o_.dialect = *parse_sql_dialect(dialect_);
    o_.report = to_report_options(periods_);
    if (!from_.empty())
      o_.report.from = parse_period(from_, "--from", o_.report.scheme);
    if (!to_.empty())
      o_.report.to = parse_period(to_, "--to", o_.report.scheme);
    if (o_.report.from && o_.report.to && *o_.report.from > *o_.report.to)
      throw UsageError(fmt::format("--from {} is after --to {}", from_, to_));
    if (o_.table.empty()) throw UsageError("--table is empty");
    for (const std::string* name :
         {&o_.table, &o_.customer_col, &o_.date_col, &o_.mrr_col}) {
      if (name->find('\0') != std::string::npos || name->empty())
        throw UsageError("an empty column or table name");
    }
    for (const auto& [name, why] : kNotInSql) {
      if (!refused_[name].empty())
        throw UsageError(fmt::format(
            "ndr sql does not take {}: {} (docs/sql.md)", name, why));
    }
    if (segment_.size() > 1)
      throw UsageError(
          "ndr sql takes one --segment-by column (ndr report combines "
          "several; combine them into one column in a view)");
    if (!segment_.empty()) o_.segment_col = segment_.front();
    if (!order_.empty()) {
      if (segment_.empty())
        throw UsageError(
            "--order-col breaks ties between a customer's rows for "
            "--segment-by; add --segment-by COLUMN");
      o_.order_col = order_;
    }
  }

  int run() override {
    check();
    const std::string query = report_sql(o_);
    if (output_.empty() || output_ == "-") {
      write_stdout(query);
    } else {
      output_file(output_).write(query);
    }
    return 0;
  }

 private:
  sql_options o_;
  std::string dialect_, order_, from_, to_, output_;
  std::vector<std::string> segment_;
  std::map<std::string, std::vector<std::string>> refused_;
  period_args periods_;
};

const registered<sql_command> registration(55);

}  // namespace
}  // namespace ndr::cli
