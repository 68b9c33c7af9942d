// ndr sql's text (docs/sql.md). PostgreSQL runs the query in
// tests/sql/postgres.sh; the dialects that cannot run here are held to
// golden files, reviewed when they change, and to the rules below.
#include "ndr/sql.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace {

std::string golden(const std::string& dialect) {
  std::ifstream in(NDR_SOURCE_DIR "/tests/sql/golden/" + dialect + ".sql");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The options of the golden files: every option the query takes.
ndr::sql_options every_option(ndr::sql_dialect d) {
  ndr::sql_options o;
  o.dialect = d;
  o.table = "analytics.mrr \"snapshots\"";
  o.customer_col = "Customer ID";
  o.segment_col = "plan";
  o.order_col = "line";
  o.report.scheme = {ndr::period_kind::quarter, 4};
  o.report.window = 2;
  o.report.reactivation = ndr::reactivation_policy::include;
  o.report.from = *o.report.scheme.parse_label("FY2024-Q1");
  o.report.to = *o.report.scheme.parse_label("FY2025-Q4");
  o.arr = true;
  return o;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("every dialect's query is its golden text") {
  for (const auto& name : ndr::sql_dialect_names()) {
    INFO(name);
    const auto d = ndr::parse_sql_dialect(name);
    REQUIRE(d);
    CHECK(ndr::report_sql(every_option(*d)) == golden(name));
  }
  CHECK_FALSE(ndr::parse_sql_dialect("mysql"));
}

TEST_CASE("identifiers and strings are quoted as each dialect quotes them") {
  auto o = every_option(ndr::sql_dialect::postgres);
  const auto pg = ndr::report_sql(o);
  CHECK(has(pg, "FROM \"analytics\".\"mrr \"\"snapshots\"\"\""));
  CHECK(has(pg, "\"Customer ID\""));
  CHECK(has(pg, "'ndr: a customer''s total MRR is too large: '"));
  CHECK(has(pg, "ORDER BY p, total, g COLLATE \"C\""));  // bytes, not locale
  CHECK_FALSE(has(pg, ";"));  // one SELECT: a dbt model as it is
  o.dialect = ndr::sql_dialect::bigquery;
  const auto bq = ndr::report_sql(o);
  CHECK(has(bq, "FROM `analytics`.`mrr \"snapshots\"`"));
  CHECK(has(bq, "'ndr: a customer\\'s total MRR is too large: '"));
  CHECK(has(bq, "THEN '\\'' || g"));
  o.dialect = ndr::sql_dialect::clickhouse;
  const auto ch = ndr::report_sql(o);
  CHECK(ch.substr(ch.size() - 29) == " SETTINGS join_use_nulls = 1\n");
  CHECK(has(ch, "throwIf(SUM(amount) < 0, 'ndr: a customer has a negative"));
  o.table = "{{ ref(\"mrr_snapshots\") }}";  // dbt: as it is
  CHECK(has(ndr::report_sql(o), "FROM {{ ref(\"mrr_snapshots\") }}\n"));
}

TEST_CASE("the options reach the query") {
  ndr::sql_options o;
  o.table = "t";
  const auto plain = ndr::report_sql(o);
  // Months, window 1, dips churn (separate), no segments, no bounds.
  CHECK(has(plain, "ON s.p = e.p - 1\n)"));
  CHECK(has(plain, "OR b.erk - b.srk < r.ek - r.sk"));
  CHECK_FALSE(has(plain, "segment"));
  CHECK_FALSE(has(plain, "WHERE e.p"));
  CHECK(has(plain, "LPAD(CAST(mod(p, 12) + 1 AS TEXT), 2, '0')"));
  o.report.reactivation = ndr::reactivation_policy::include;
  o.report.window = 12;
  o.report.from = 24290;  // 2024-03
  const auto ttm = ndr::report_sql(o);
  CHECK(has(ttm, "ON s.p = e.p - 12\n  WHERE e.p >= 24290\n)"));
  CHECK_FALSE(has(ttm, "b.erk - b.srk"));
  // A fiscal year from July: month index + 13 − 7, in years of 12.
  o.report.scheme = {ndr::period_kind::year, 7};
  CHECK(has(ndr::report_sql(o), "- 1 + 6), 12) AS p"));
  CHECK(has(ndr::report_sql(o), "'FY' || LPAD(CAST(p AS TEXT), 4, '0')"));
  o.report.scheme = {ndr::period_kind::year, 1};
  CHECK(has(ndr::report_sql(o), "- 1 + 0), 12) AS p"));
  CHECK_FALSE(has(ndr::report_sql(o), "'FY'"));
}
