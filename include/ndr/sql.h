// The report as one SQL query (docs/sql.md): `ndr sql` prints it, so a
// warehouse computes exactly what `ndr report --format csv` prints, over a
// snapshots table with the same meaning as a snapshot file (SPEC §1).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ndr/engine.h"

namespace ndr {

enum class sql_dialect {
  postgres,
  duckdb,
  clickhouse,
  bigquery,
  snowflake,
  spark,
  trino
};

// "postgres", "duckdb", …; nullopt for another name.
std::optional<sql_dialect> parse_sql_dialect(std::string_view name);
// Every dialect's name, in the order above.
const std::vector<std::string>& sql_dialect_names();

struct sql_options {
  sql_dialect dialect = sql_dialect::postgres;
  // The table (or view): dot-separated parts, each quoted as an identifier
  // ("analytics.snapshots" is schema analytics, table snapshots); one that
  // starts with "{{" (a dbt expression) is written as it is.
  std::string table;
  std::string customer_col = "customer_id";
  std::string date_col = "date";
  std::string mrr_col = "mrr";
  // SPEC §4: at most one column; its row with the largest amount gives a
  // customer's segment at a date, ties to the smallest order_col (the row
  // read first, had the table been exported in that order), else to the
  // smallest value in byte order.
  std::optional<std::string> segment_col;
  std::optional<std::string> order_col;
  report_options report;  // periods, window, reactivation, from/to
  bool arr = false;       // money × 12
  // For ndr report --db: instead of the CSV's text, the exact values the
  // formatters take: p (the period's index), start_date, end_date (text),
  // total (1 for a period's total row), g (the segment, '' on a total row),
  // then the counts and money sums as integers (money in millionths):
  // cohort_n, expanded_n, contracted_n, churned_n, starting, expansion,
  // contraction, churn, reactivation, reactivated_n, fresh_mrr, new_n.
  bool exact = false;
};

// The query: one SELECT statement (no ";", no temporary tables), whose result
// set has the columns, order and text of `ndr report --format csv` with the
// same options. Data errors (an empty id, a missing date or amount, more than 6
// decimals, a negative or too large customer total) stop the query with an
// error whose text starts "ndr: ".
std::string report_sql(const sql_options& options);

// The cohort triangle's cells (ndr cohorts) as one query: columns cohort,
// age (period indexes), customers, paying, mrr (millionths), by cohort then
// age; a cohort's starting MRR is its age-0 cell's. Segments, the window,
// --from/--to and --arr do not apply.
std::string cohorts_sql(const sql_options& options);

// The table's first date (YYYY-MM-DD, one row; NULL when it has none): the
// data's first snapshot date (report::first_date).
std::string first_date_sql(const sql_options& options);

// A query with one row when the table has any (an empty table is "no data
// rows", as an empty file is).
std::string any_row_sql(const sql_options& options);

}  // namespace ndr
