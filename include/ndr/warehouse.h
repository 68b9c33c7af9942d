// The report computed where the data lives (ndr report --db, docs/sql.md):
// report_sql and cohorts_sql run in PostgreSQL through libpq, and their
// exact values become report rows and cohort cells for ndr's own formatters,
// so every output format prints what it prints for the same rows in a file.
#pragma once

#include <string>
#include <vector>

#include "ndr/engine.h"
#include "ndr/sql.h"

namespace ndr {

// A connection to a PostgreSQL database, from a URL or keyword/value string
// (postgresql://user@host:5432/db, "host=… dbname=…"; libpq's environment
// variables fill the rest). Throws InputError naming what failed; a message
// never holds the password.
class warehouse {
 public:
  explicit warehouse(const std::string& url);
  ~warehouse();
  warehouse(const warehouse&) = delete;
  warehouse& operator=(const warehouse&) = delete;

  // The report over sql.table (sql.dialect is postgres; sql.exact is set
  // here). A data error the query raises is an InputError with its "ndr: …"
  // text.
  report build_report(sql_options sql) const;
  // The cohort triangle over sql.table.
  std::vector<cohort_cell> build_cohorts(sql_options sql) const;

 private:
  struct rows;
  rows run(const std::string& query) const;
  struct impl;
  impl* impl_;
};

}  // namespace ndr
