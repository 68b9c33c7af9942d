// ndr report --db: the generated query run in PostgreSQL through libpq.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <optional>
#include <vector>

#include "ndr/error.h"
#include "ndr/warehouse.h"

namespace ndr {

struct warehouse::impl {
  PGconn* conn = nullptr;
  std::vector<std::string> secrets;  // the password: taken out of messages
  ~impl() { PQfinish(conn); }        // PQfinish(nullptr) does nothing
};

// A result's rows, each field as text ("" for NULL).
struct warehouse::rows {
  std::unique_ptr<PGresult, void (*)(PGresult*)> result{nullptr, PQclear};
  int count() const { return PQntuples(result.get()); }
  std::string_view at(int row, int column) const {
    return {PQgetvalue(result.get(), row, column),
            size_t(PQgetlength(result.get(), row, column))};
  }
};

namespace {

// libpq's message as one line, without any of the secrets.
std::string one_line(std::string text,
                     const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at; (at = text.find(secret)) != std::string::npos;)
      text.replace(at, secret.size(), "****");
  }
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The password a connection string holds, as libpq reads it and as written
// (a URL's may be percent-encoded); nullopt when libpq cannot read the
// string at all: its error would then repeat the text, password and all.
std::optional<std::vector<std::string>> secrets_of(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (error) PQfreemem(error);
  if (!options) return std::nullopt;
  std::vector<std::string> secrets;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val)
      secrets.emplace_back(o->val);
  }
  PQconninfoFree(options);
  // postgresql://user:PASSWORD@host…: the text between ':' and '@'.
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    const size_t at = url.find('@', scheme);
    const size_t colon = url.find(':', scheme + 3);
    if (at != std::string::npos && colon < at)
      secrets.push_back(url.substr(colon + 1, at - colon - 1));
  }
  return secrets;
}

std::int64_t integer(std::string_view text, const char* what) {
  std::int64_t v = 0;
  const auto [end, error] = std::from_chars(text.begin(), text.end(), v);
  if (error != std::errc() || end != text.end()) {
    throw InputError(fmt::format(
        "the database's {} '{}' is not a whole number that fits 64 bits", what,
        text));
  }
  return v;
}

money units(std::string_view text, const char* what) {
  return money::from_units(integer(text, what));
}

day_number date_of(std::string_view text) {
  const auto d = parse_date(text);
  if (!d) {
    throw InputError(fmt::format("the database returned the date '{}'", text));
  }
  return *d;
}

}  // namespace

warehouse::warehouse(const std::string& url) {
  auto secrets = secrets_of(url);
  if (!secrets) {
    throw InputError(
        "cannot connect to the database: the connection string cannot be "
        "read (postgresql://user@host:port/database, or host=… dbname=…)");
  }
  auto owned = std::make_unique<impl>();
  owned->secrets = std::move(*secrets);
  owned->conn = PQconnectdb(url.c_str());
  if (PQstatus(owned->conn) != CONNECTION_OK) {
    const std::string why =
        one_line(PQerrorMessage(owned->conn), owned->secrets);
    throw InputError("cannot connect to the database: " + why);
  }
  // Ids and segments come back as UTF-8, whatever the database holds.
  PQsetClientEncoding(owned->conn, "UTF8");
  impl_ = owned.release();
}

warehouse::~warehouse() { delete impl_; }

warehouse::rows warehouse::run(const std::string& query) const {
  rows out;
  out.result.reset(PQexec(impl_->conn, query.c_str()));
  if (PQresultStatus(out.result.get()) != PGRES_TUPLES_OK) {
    // The primary message, without libpq's "ERROR:" and the query's text.
    const char* primary =
        PQresultErrorField(out.result.get(), PG_DIAG_MESSAGE_PRIMARY);
    std::string why = one_line(primary ? primary : PQerrorMessage(impl_->conn),
                               impl_->secrets);
    // A data error the query raised: its own text, from "ndr: " on.
    const size_t ours = why.find("\"ndr: ");
    if (ours != std::string::npos) {
      why = why.substr(ours + 6);
      why = why.substr(0, why.rfind('"'));
      throw InputError(why);
    }
    throw InputError("the database: " + why);
  }
  return out;
}

report warehouse::build_report(sql_options sql) const {
  sql.dialect = sql_dialect::postgres;
  sql.exact = true;
  const rows r = run(report_sql(sql));
  report out{sql.report, bool(sql.segment_col), {}, false, {}};
  for (int i = 0; i < r.count(); ++i) {
    report_row row;
    row.period = integer(r.at(i, 0), "period");
    row.start_date = date_of(r.at(i, 1));
    row.end_date = date_of(r.at(i, 2));
    const bool total = r.at(i, 3) == "1";
    row.segment = !out.segmented ? ""
                  : total        ? kAllSegments
                                 : std::string(r.at(i, 4));
    row.cohort_customers = integer(r.at(i, 5), "cohort count");
    row.expanded_customers = integer(r.at(i, 6), "expanded count");
    row.contracted_customers = integer(r.at(i, 7), "contracted count");
    row.churned_customers = integer(r.at(i, 8), "churned count");
    row.starting_mrr = units(r.at(i, 9), "starting MRR");
    row.expansion_mrr = units(r.at(i, 10), "expansion MRR");
    row.contraction_mrr = units(r.at(i, 11), "contraction MRR");
    row.churned_mrr = units(r.at(i, 12), "churned MRR");
    row.reactivation_mrr = units(r.at(i, 13), "reactivation MRR");
    row.reactivated_customers = integer(r.at(i, 14), "reactivated count");
    row.new_mrr = units(r.at(i, 15), "new MRR");
    row.new_customers = integer(r.at(i, 16), "new count");
    // SPEC §3's invariant gives every customer's MRR at the end.
    money end_total = row.ending_mrr();
    if (!end_total.add(row.reactivation_mrr) || !end_total.add(row.new_mrr))
      throw InputError("the ending MRR of a report row is too large");
    row.end_total_mrr = end_total;
    out.rows.push_back(std::move(row));
  }
  if (out.rows.empty() && run(any_row_sql(sql)).count() == 0)
    throw InputError(sql.table + ": no data rows");
  if (!out.rows.empty()) {
    const rows first = run(first_date_sql(sql));
    if (first.count() == 1) out.first_date = date_of(first.at(0, 0));
  }
  return out;
}

std::vector<cohort_cell> warehouse::build_cohorts(sql_options sql) const {
  sql.dialect = sql_dialect::postgres;
  const rows r = run(cohorts_sql(sql));
  std::vector<cohort_cell> cells;
  for (int i = 0; i < r.count(); ++i) {
    cohort_cell c;
    c.cohort = integer(r.at(i, 0), "cohort");
    c.age = integer(r.at(i, 1), "age");
    c.customers = integer(r.at(i, 2), "customer count");
    c.paying = integer(r.at(i, 3), "paying count");
    c.mrr = units(r.at(i, 4), "cohort MRR");
    cells.push_back(c);
  }
  // A cohort's starting MRR: its age-0 cell's (none without one).
  for (size_t i = 0; i < cells.size();) {
    size_t j = i;
    while (j < cells.size() && cells[j].cohort == cells[i].cohort) ++j;
    const money start = cells[i].age == 0 ? cells[i].mrr : money();
    for (size_t k = i; k < j; ++k) cells[k].starting_mrr = start;
    i = j;
  }
  return cells;
}

}  // namespace ndr
