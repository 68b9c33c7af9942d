// The report as one SQL query (docs/sql.md). The query follows the engine
// step by step: rows → per customer and date totals (SPEC §1), snapshot
// dates and period ends (§2), each row's two ends and the dips between them
// (§3), the segment rule (§4), then the text of each CSV field (§5). Money is
// held as exact integer millionths in a 38-digit type; every division is an
// integer division of non-negative numbers, so engines that truncate and
// engines that floor agree.
#include "ndr/sql.h"

#include <fmt/format.h>

#include <array>

#include "ndr/error.h"

namespace ndr {
namespace {

// What differs between SQL engines; the query is written once over these.
struct dialect {
  const char* name;
  char quote_open, quote_close;  // identifiers
  const char* wide_int;          // an exact integer of 38 digits
  const char* big_int;           // 64 bits
  const char* text;              // the string type
  // a ÷ b for a >= 0, b > 0, as a whole number.
  std::string (*div)(const std::string& a, const std::string& b);
  std::string (*mod)(const std::string& a, const std::string& b);
  std::string (*date_text)(const std::string& d);  // YYYY-MM-DD
  const char* tab;                                 // a tab character
  const char* cr;                                  // a carriage return
  const char* blanks;  // a text of a space and a tab (what ids are trimmed of)
  bool trim_call;  // TRIM(text, chars) rather than TRIM(BOTH chars FROM text)
  // A function of a text that differs where its bytes differ (md5), added
  // to the first GROUP BY where a column's collation may call different
  // bytes equal (PostgreSQL's nondeterministic collations); "" elsewhere.
  const char* byte_key;
  // The function that raises an error with a message: "error", "ERROR",
  // "raise_error", "fail"; "throwIf" (ClickHouse: it takes the condition);
  // "" where there is none (PostgreSQL, Snowflake): see writer::guard.
  const char* raise;
  bool dynamic_messages;   // false: guard() takes a literal message only
  bool backslash_strings;  // a ' in a string literal is \' (else '')
  const char* byte_order;  // appended to a text to sort it by bytes
  const char* settings;    // appended to the statement
};

std::string div_fn(const std::string& a, const std::string& b) {
  return "div(" + a + ", " + b + ")";
}
std::string div_slashes(const std::string& a, const std::string& b) {
  return "((" + a + ") // (" + b + "))";
}
std::string div_int_div(const std::string& a, const std::string& b) {
  return "intDiv(" + a + ", " + b + ")";
}
std::string div_upper(const std::string& a, const std::string& b) {
  return "DIV(" + a + ", " + b + ")";
}
std::string div_word(const std::string& a, const std::string& b) {
  return "((" + a + ") DIV (" + b + "))";
}
// Exact where a decimal division would round (Snowflake, Trino).
std::string div_exact(const std::string& a, const std::string& b) {
  return "((" + a + " - MOD(" + a + ", " + b + ")) / (" + b + "))";
}
// Snowflake's NUMBER division gives 6 decimals: the exact quotient, then
// back to a whole NUMBER.
std::string div_exact_number(const std::string& a, const std::string& b) {
  return "CAST(" + div_exact(a, b) + " AS NUMBER(38, 0))";
}
std::string mod_fn(const std::string& a, const std::string& b) {
  return "mod(" + a + ", " + b + ")";
}
std::string mod_upper(const std::string& a, const std::string& b) {
  return "MOD(" + a + ", " + b + ")";
}
std::string mod_percent(const std::string& a, const std::string& b) {
  return "((" + a + ") % (" + b + "))";
}

std::string to_char(const std::string& d) {
  return "to_char(" + d + ", 'YYYY-MM-DD')";
}
std::string strftime_text(const std::string& d) {
  return "strftime(" + d + ", '%Y-%m-%d')";
}
std::string to_string_text(const std::string& d) {
  return "toString(" + d + ")";
}
std::string format_date_text(const std::string& d) {
  return "FORMAT_DATE('%Y-%m-%d', " + d + ")";
}
std::string date_format_text(const std::string& d) {
  return "date_format(" + d + ", 'yyyy-MM-dd')";
}
std::string cast_varchar_text(const std::string& d) {
  return "CAST(" + d + " AS VARCHAR)";
}

const std::array<dialect, 7> kDialects{{
    {"postgres", '"', '"', "NUMERIC(38, 0)", "BIGINT", "TEXT", div_fn, mod_fn,
     to_char, "chr(9)", "chr(13)", "' ' || chr(9)", false, "md5", "", true,
     false, " COLLATE \"C\"", ""},
    {"duckdb", '"', '"', "HUGEINT", "BIGINT", "VARCHAR", div_slashes,
     mod_percent, strftime_text, "chr(9)", "chr(13)", "' ' || chr(9)", false,
     "", "error", true, false, "", ""},
    {"clickhouse", '"', '"', "Int128", "Int64", "String", div_int_div,
     mod_percent, to_string_text, "char(9)", "char(13)", "' \\t'", false, "",
     "throwIf", false, false, "", " SETTINGS join_use_nulls = 1"},
    {"bigquery", '`', '`', "BIGNUMERIC", "INT64", "STRING", div_upper,
     mod_upper, format_date_text, "'\\t'", "'\\r'", "' \\t'", true, "", "ERROR",
     true, true, "", ""},
    {"snowflake", '"', '"', "NUMBER(38, 0)", "BIGINT", "VARCHAR",
     div_exact_number, mod_upper, to_char, "CHR(9)", "CHR(13)", "' ' || CHR(9)",
     true, "", "", true, false, "", ""},
    {"spark", '`', '`', "DECIMAL(38, 0)", "BIGINT", "STRING", div_word,
     mod_percent, date_format_text, "char(9)", "char(13)", "' \\t'", false, "",
     "raise_error", true, true, "", ""},
    {"trino", '"', '"', "DECIMAL(38, 0)", "BIGINT", "VARCHAR", div_exact,
     mod_fn, cast_varchar_text, "chr(9)", "chr(13)", "' ' || chr(9)", false, "",
     "fail", true, false, "", ""},
}};

// The query's text, written over one dialect.
class writer {
 public:
  explicit writer(const sql_options& o)
      : o_(o), d_(kDialects[size_t(o.dialect)]) {}

  std::string query() const {
    std::string q = "WITH\n";
    q += src() + ",\n" + totals() + ",\n" + dates() + ",\n" + rows() + ",\n" +
         paying() + ",\n" + ends() + ",\n" + classified() + ",\n" + sums() +
         "\n" + (o_.exact ? exact_output() : output());
    return q + d_.settings + "\n";  // no ";": a dbt model is one SELECT
  }

 private:
  std::string id(const std::string& name) const {
    std::string out(1, d_.quote_open);
    for (const char c : name) {
      if (c == d_.quote_close) out += c;  // doubled
      out += c;
    }
    return out + d_.quote_close;
  }
  std::string table() const {
    // A dbt (Jinja) expression, e.g. {{ ref("snapshots") }}: as it is.
    if (o_.table.rfind("{{", 0) == 0) return o_.table;
    std::string out;
    size_t from = 0;
    for (;;) {
      const size_t dot = o_.table.find('.', from);
      out += id(o_.table.substr(from, dot - from));
      if (dot == std::string::npos) return out;
      out += '.';
      from = dot + 1;
    }
  }
  std::string text(const std::string& e) const {
    return "CAST(" + e + " AS " + d_.text + ")";
  }
  std::string trimmed(const std::string& e) const {
    // Byte for byte (SPEC §1), whatever the column's collation.
    const std::string t =
        d_.trim_call
            ? "TRIM(" + text(e) + ", " + d_.blanks + ")"
            : "TRIM(BOTH " + std::string(d_.blanks) + " FROM " + text(e) + ")";
    return t + d_.byte_order;
  }
  // A message: the literal, then (where the dialect allows) `value`'s text,
  // or, for a row's error, nothing that still depends on the row.
  std::string quoted(const std::string& text) const {
    std::string out = "'";
    for (const char c : text) {
      if (c == '\'') out += d_.backslash_strings ? '\\' : '\'';
      if (c == '\\' && d_.backslash_strings) out += '\\';
      out += c;
    }
    return out + "'";
  }
  std::string message(const std::string& literal,
                      const std::string& value) const {
    if (!d_.dynamic_messages) return quoted("ndr: " + literal);
    return quoted("ndr: " + literal) + " || " + value;
  }
  std::string row_message(const std::string& literal,
                          const std::string& column) const {
    return message(literal, "COALESCE(SUBSTR(" + text(column) + ", 1, 0), '')");
  }
  // `value`, or an error with message `msg` (a text expression) where
  // `when` holds; `type` is the value's.
  std::string guard(const std::string& when, const std::string& msg,
                    const std::string& value, const std::string& type) const {
    const std::string raise = d_.raise;
    if (raise == "throwIf")  // ClickHouse: the condition, a literal message
      return "if(throwIf(" + when + ", " + msg + ") = 0, " + value + ", " +
             value + ")";
    // Without a raising function, a text that is no number, cast to one,
    // raises with the text in the message. (The message must not be a
    // constant: PostgreSQL folds constants while planning, and would raise
    // the error even where the branch is never taken.)
    const std::string error =
        raise.empty() ? "CAST(CAST(" + msg + " AS INTEGER) AS VARCHAR(20))"
                      : raise + "(" + msg + ")";
    return "CASE WHEN " + when + " THEN CAST(" + error + " AS " + type +
           ") ELSE " + value + " END";
  }
  std::string div(const std::string& a, const std::string& b) const {
    return d_.div(a, b);
  }
  std::string mod(const std::string& a, const std::string& b) const {
    return d_.mod(a, b);
  }
  std::string wide(const std::string& e) const {
    return "CAST(" + e + " AS " + d_.wide_int + ")";
  }

  // The table's rows: the id trimmed, the date, the amount in exact
  // millionths, and the segment value and order; a bad row stops the query.
  // The table's rows: the id as stored, the date, the amount in exact
  // millionths, whether it is missing or has a 7th decimal (counted, not
  // raised here: an error raised inside a sum would keep a sharded table's
  // sums from running on its shards), and the segment value and order.
  std::string src() const {
    const std::string c = id(o_.customer_col), dt = id(o_.date_col),
                      m = id(o_.mrr_col);
    // Widened before the product: an INTEGER column times 10^6 would
    // overflow its own type.
    const std::string units =
        m + " * CAST(1000000 AS " + std::string(d_.wide_int) + ")";
    const std::string key = *d_.byte_key ? std::string(d_.byte_key) + "(" +
                                               text(c) + ") AS raw_key,\n    "
                                         : "";
    std::string s =
        "src AS (\n  SELECT\n    " + c + " AS raw_c,\n    " + key + "CAST(" +
        dt + " AS DATE) AS raw_d,\n    " + "CASE WHEN " + m +
        " IS NULL THEN 0 ELSE " + wide(units) + " END" +
        " AS u,\n    CASE WHEN " + m +
        " IS NULL THEN 1 ELSE 0 END AS row_missing,\n    CASE WHEN " + units +
        " <> FLOOR(" + units + ") THEN 1 ELSE 0 END AS row_past_6";
    if (o_.segment_col) {
      const std::string g = id(*o_.segment_col);
      s += ",\n    CASE WHEN " + g + " IS NULL OR " + trimmed(g) +
           " = '' THEN '(blank)' ELSE " + trimmed(g) + " END AS g";
      s += ",\n    " + (o_.order_col ? id(*o_.order_col) : "0") + " AS o";
    }
    return s + "\n  FROM " + table() + "\n)";
  }

  // The id as SPEC §1 compares it: trimmed of spaces and tabs; an empty one
  // stops the query.
  std::string customer(const std::string& raw) const {
    return guard(
        raw + " IS NULL OR " + trimmed(raw) + " = ''",
        row_message("empty customer id in column " + o_.customer_col, raw),
        trimmed(raw), d_.text);
  }

  // SPEC §1: a customer's rows at one date summed; a negative or too large
  // total stops the query. The rows are first summed per id as stored and
  // date (by_id): grouped by the table's own column, that sum runs where the
  // rows are, on each shard of a table partitioned by customer id, and only
  // one row per stored id and date travels; ids that differ only by spaces
  // around them are then added up. Every total is computed: the snapshot
  // dates come from them, so no engine can skip one.
  std::string totals() const {
    const std::string total = "SUM(amount)";
    const std::string where = "c || ' on ' || " + d_.date_text("d");
    const std::string m =
        guard("id_missing > 0",
              row_message("empty amount in column " + o_.mrr_col, "raw_c"),
              guard("id_past_6 > 0",
                    row_message("an amount with more than 6 decimals in "
                                "column " +
                                    o_.mrr_col + ": ",
                                "raw_c"),
                    "id_sum", d_.wide_int),
              d_.wide_int);
    std::string s =
        "by_id AS (\n  SELECT raw_c, raw_d, SUM(u) AS id_sum, SUM(row_missing) "
        "AS "
        "id_missing, SUM(row_past_6) AS id_past_6\n  FROM src GROUP BY "
        "raw_c, " +
        std::string(*d_.byte_key ? "raw_key, " : "") +
        "raw_d\n),\nnamed AS (\n  SELECT " + customer("raw_c") + " AS c, " +
        guard("raw_d IS NULL",
              row_message("empty date in column " + o_.date_col, "raw_c"),
              "raw_d", "DATE") +
        " AS d, " + m + " AS amount\n  FROM by_id\n),\n";
    s += "totals AS (\n  SELECT c, d, " +
         guard(total + " < 0",
               message("a customer has a negative total MRR: ", where),
               guard(total + " > 9223372036854775807",
                     message("a customer's total MRR is too large: ", where),
                     total, d_.wide_int),
               d_.wide_int) +
         " AS m\n  FROM named GROUP BY c, d\n)";
    if (o_.segment_col) {
      // SPEC §4: the segment of the row with the largest amount; ties to
      // the smallest order value, then to the smallest segment value.
      s += ",\nsegment_rows AS (\n  SELECT " + trimmed("raw_c") +
           " AS c, raw_d AS d, g, ROW_NUMBER() OVER (PARTITION BY " +
           trimmed("raw_c") + ", raw_d ORDER BY u DESC, o, g" +
           std::string(d_.byte_order) +
           ") AS r\n  FROM src\n),\nsegments AS (\n  SELECT c, d, g FROM "
           "segment_rows WHERE r = 1\n)";
    }
    return s;
  }

  // The period of a date (calendar.cpp: period_scheme::index_of).
  std::string period_of(const std::string& d) const {
    const std::string month = "CAST(EXTRACT(YEAR FROM " + d + ") AS " +
                              d_.big_int + ") * 12 + CAST(EXTRACT(MONTH FROM " +
                              d + ") AS " + d_.big_int + ") - 1";
    const auto& scheme = o_.report.scheme;
    if (scheme.kind == period_kind::month) return month;
    const int shift = scheme.fiscal_start == 1 ? 0 : 13 - scheme.fiscal_start;
    return div("(" + month + " + " + std::to_string(shift) + ")",
               scheme.kind == period_kind::quarter ? "3" : "12");
  }

  // SPEC §2: snapshot dates numbered k = 1, 2, … and each period's last one.
  std::string dates() const {
    return "dates AS (\n  SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS k, " +
           period_of("d") +
           " AS p\n  FROM (SELECT DISTINCT d FROM totals) x\n),\n"
           "period_ends AS (\n  SELECT p, MAX(k) AS end_k, MAX(d) AS end_d "
           "FROM dates "
           "GROUP BY p\n)";
  }

  // SPEC §3: a row per period with a start W periods before it.
  std::string rows() const {
    std::string s =
        "report_rows AS (\n  SELECT e.p AS p, s.end_k AS sk, e.end_k AS ek, "
        "s.end_d "
        "AS sd, e.end_d AS ed\n  FROM period_ends e JOIN period_ends s ON s.p "
        "= e.p - " +
        std::to_string(o_.report.window);
    std::vector<std::string> where;
    if (o_.report.from)
      where.push_back("e.p >= " + std::to_string(*o_.report.from));
    if (o_.report.to)
      where.push_back("e.p <= " + std::to_string(*o_.report.to));
    for (size_t i = 0; i < where.size(); ++i)
      s += (i == 0 ? "\n  WHERE " : " AND ") + where[i];
    return s + "\n)";
  }

  // Every (customer, date) with MRR > 0, numbered per customer: between two
  // of them a customer dipped when fewer of its dates than snapshot dates
  // lie between (the numbers' gap against the dates').
  std::string paying() const {
    std::string s =
        "paying AS (\n  SELECT t.c AS c, x.k AS k, t.m AS m, ROW_NUMBER() OVER "
        "(PARTITION BY t.c ORDER BY x.k) AS rk";
    if (o_.segment_col) s += ", g.g AS g";
    s += "\n  FROM totals t JOIN dates x ON x.d = t.d";
    if (o_.segment_col) s += "\n  JOIN segments g ON g.c = t.c AND g.d = t.d";
    return s +
           "\n  WHERE t.m > 0\n),\nfirst_paid AS (\n  SELECT c, MIN(k) AS fk "
           "FROM paying GROUP BY c\n)";
  }

  // Each row's customers with MRR > 0 at its start or end.
  std::string ends() const {
    const bool seg = bool(o_.segment_col);
    std::string s =
        "starts AS (\n  SELECT r.p AS p, x.c AS c, x.m AS s, x.rk "
        "AS srk" +
        std::string(seg ? ", x.g AS sg" : "") +
        " FROM report_rows r JOIN paying x ON x.k = r.sk\n),\n";
    s += "finishes AS (\n  SELECT r.p AS p, x.c AS c, x.m AS e, x.rk AS erk" +
         std::string(seg ? ", x.g AS eg" : "") +
         " FROM report_rows r JOIN paying x ON x.k = r.ek\n),\n";
    s += "both_ends AS (\n  SELECT COALESCE(a.p, b.p) AS p, COALESCE(a.c, b.c) "
         "AS c, COALESCE(a.s, 0) AS s, COALESCE(b.e, 0) AS e, a.srk AS srk, "
         "b.erk AS erk";
    // SPEC §4: frozen at the start for the cohort, else the end's.
    if (seg) s += ", COALESCE(a.sg, b.eg) AS g";
    return s +
           "\n  FROM starts a FULL OUTER JOIN finishes b ON a.p = b.p AND a.c "
           "= b.c\n)";
  }

  // SPEC §3's movement of each customer in each row, as 0/1 flags.
  std::string classified() const {
    const bool separate =
        o_.report.reactivation == reactivation_policy::separate;
    std::string s =
        "classified AS (\n  SELECT b.p AS p, " +
        std::string(o_.segment_col ? "b.g AS g, " : "") +
        "b.s AS s, b.e AS e,\n"
        "    CASE WHEN b.s > 0 THEN 1 ELSE 0 END AS cohort,\n"
        "    CASE WHEN b.s > 0 AND (b.e = 0" +
        std::string(separate ? " OR b.erk - b.srk < r.ek - r.sk" : "") +
        ") THEN 1 ELSE 0 END AS churned,\n"
        "    CASE WHEN b.s = 0 AND f.fk < r.sk THEN 1 ELSE 0 END AS back\n"
        "  FROM both_ends b JOIN report_rows r ON r.p = b.p JOIN first_paid f "
        "ON f.c = b.c\n)";
    return s;
  }

  // The sums of one group of classified customers.
  std::string sum_columns(const std::string& x) const {
    const auto sum = [&](const std::string& when, const std::string& what) {
      return "COALESCE(SUM(CASE WHEN " + when + " THEN " + what +
             " ELSE 0 END), 0)";
    };
    const std::string kept = x + "cohort = 1 AND " + x + "churned = 0";
    const std::string back =
        "((" + x + "churned = 1 AND " + x + "e > 0) OR " + x + "back = 1)";
    const std::string fresh =
        x + "cohort = 0 AND " + x + "e > 0 AND " + x + "back = 0";
    const std::vector<std::pair<std::string, std::string>> columns{
        {"cohort_n", sum(x + "cohort = 1", "1")},
        {"expanded_n", sum(kept + " AND " + x + "e > " + x + "s", "1")},
        {"contracted_n", sum(kept + " AND " + x + "e < " + x + "s", "1")},
        {"churned_n", sum(x + "churned = 1", "1")},
        {"starting", sum(x + "cohort = 1", x + "s")},
        {"expansion",
         sum(kept + " AND " + x + "e > " + x + "s", x + "e - " + x + "s")},
        {"contraction",
         sum(kept + " AND " + x + "e < " + x + "s", x + "s - " + x + "e")},
        {"churn", sum(x + "churned = 1", x + "s")},
        {"reactivation", sum(back, x + "e")},
        {"reactivated_n", sum(back, "1")},
        {"fresh_mrr", sum(fresh, x + "e")},
        {"new_n", sum(fresh, "1")},
    };
    std::string s;
    for (const auto& [name, e] : columns) s += ",\n    " + e + " AS " + name;
    return s;
  }

  // Per row (and segment): every report row has its total, even one no
  // customer is in; a segment has a row where some customer is in it.
  std::string sums() const {
    std::string s =
        "sums AS (\n  SELECT r.p AS p, r.sd AS sd, r.ed AS ed, 1 "
        "AS total, '' AS g" +
        sum_columns("x.") +
        "\n  FROM report_rows r LEFT JOIN classified x ON x.p = r.p"
        "\n  GROUP BY r.p, r.sd, r.ed";
    if (o_.segment_col) {
      s += "\n  UNION ALL\n  SELECT r.p, r.sd, r.ed, 0, x.g" +
           sum_columns("x.") +
           "\n  FROM report_rows r JOIN classified x ON x.p = r.p\n  GROUP BY "
           "r.p, r.sd, r.ed, x.g";
    }
    return s + "\n)";
  }

  // SPEC §5's text of a money amount (>= 0): 2 decimals, half away from 0.
  std::string money_text(const std::string& units) const {
    const std::string scaled = o_.arr ? "(" + units + ") * 12" : units;
    const std::string cents = div(scaled + " + 5000", "10000");
    return text(div(cents, "100")) + " || '.' || LPAD(" +
           text(mod(cents, "100")) + ", 2, '0')";
  }
  // A ratio n / d (n >= 0) with 4 decimals, half away from 0; none for d = 0.
  std::string ratio_text(const std::string& n, const std::string& den) const {
    const std::string q = div("2 * 10000 * (" + n + ") + " + den, "2 * " + den);
    return "CASE WHEN " + den + " = 0 THEN NULL ELSE " + text(div(q, "10000")) +
           " || '.' || LPAD(" + text(mod(q, "10000")) + ", 4, '0') END";
  }
  // The period's label (calendar.cpp: period_scheme::label).
  std::string label(const std::string& p) const {
    const auto& scheme = o_.report.scheme;
    const std::string fy = scheme.fiscal_start == 1 ? "" : "'FY' || ";
    switch (scheme.kind) {
      case period_kind::month:
        return "LPAD(" + text(div(p, "12")) + ", 4, '0') || '-' || LPAD(" +
               text(mod(p, "12") + " + 1") + ", 2, '0')";
      case period_kind::quarter:
        return fy + "LPAD(" + text(div(p, "4")) + ", 4, '0') || '-Q' || " +
               text(mod(p, "4") + " + 1");
      case period_kind::year:
        return fy + "LPAD(" + text(p) + ", 4, '0')";
    }
    return {};
  }

  std::string output() const {
    const auto count = [&](const std::string& e) { return text(e); };
    const std::string ending = "(starting + expansion - contraction - churn)";
    std::string s = "SELECT\n  " + label("p") + " AS " + id("period") +
                    ",\n  " + d_.date_text("sd") + " AS " + id("start_date") +
                    ",\n  " + d_.date_text("ed") + " AS " + id("end_date");
    if (o_.segment_col) {
      // (all) for the total; a value a spreadsheet would take for a formula
      // gets a leading ' (format.cpp: spreadsheet_safe).
      s += ",\n  CASE WHEN total = 1 THEN '(all)' WHEN SUBSTR(g, 1, 1) IN "
           "('=', '+', '-', '@', " +
           std::string(d_.tab) + ", " + d_.cr + ") THEN " + quoted("'") +
           " || g ELSE g END AS " + id("segment");
    }
    const std::vector<std::pair<std::string, std::string>> fields{
        {"cohort_customers", count("cohort_n")},
        {"retained_customers", count("cohort_n - churned_n")},
        {"expanded_customers", count("expanded_n")},
        {"contracted_customers", count("contracted_n")},
        {"churned_customers", count("churned_n")},
        {"starting_mrr", money_text("starting")},
        {"expansion_mrr", money_text("expansion")},
        {"contraction_mrr", money_text("contraction")},
        {"churned_mrr", money_text("churn")},
        {"ending_mrr", money_text(ending)},
        {"ndr", ratio_text(ending, "starting")},
        {"grr", ratio_text("starting - contraction - churn", "starting")},
        {"logo_retention", ratio_text("cohort_n - churned_n", "cohort_n")},
        {"reactivation_mrr", money_text("reactivation")},
        {"reactivated_customers", count("reactivated_n")},
        {"new_mrr", money_text("fresh_mrr")},
        {"new_customers", count("new_n")},
    };
    for (auto [name, e] : fields) {
      // --arr: money fields are *_arr, as in ndr report's csv.
      if (o_.arr && name.size() > 4 && name.ends_with("_mrr"))
        name.replace(name.size() - 3, 3, "arr");
      s += ",\n  " + e + " AS " + id(name);
    }
    s += "\nFROM sums\nORDER BY p, total";
    if (o_.segment_col) s += ", g" + std::string(d_.byte_order);
    return s;
  }

  // The values the formatters take (sql_options::exact).
  std::string exact_output() const {
    std::string s = "SELECT p, " + d_.date_text("sd") + " AS sd, " +
                    d_.date_text("ed") + " AS ed, total, g";
    for (const char* c :
         {"cohort_n", "expanded_n", "contracted_n", "churned_n", "starting",
          "expansion", "contraction", "churn", "reactivation", "reactivated_n",
          "fresh_mrr", "new_n"}) {
      s += ", " + text(c) + " AS " + c;
    }
    return s + "\nFROM sums\nORDER BY p, total, g" + d_.byte_order;
  }

 public:
  std::string table_name() const { return table(); }
  std::string first_date() const {
    return "SELECT " +
           d_.date_text("MIN(CAST(" + id(o_.date_col) + " AS DATE))") +
           " FROM " + table() + "\n";
  }
  // The cohort triangle (cohorts_sql): a customer's cohort is the period of
  // the first period end it pays at; its cells are the period ends from then
  // on.
  std::string cohorts() const {
    std::string q =
        "WITH\n" + src() + ",\n" + totals() + ",\n" + dates() + ",\n";
    q += "firsts AS (\n  SELECT t.c AS c, MIN(x.k) AS fk FROM totals t JOIN "
         "dates x ON x.d = t.d JOIN period_ends e ON e.p = x.p AND e.end_k = "
         "x.k WHERE t.m > 0 GROUP BY t.c\n),\n"
         "members AS (\n  SELECT f.c AS c, x.p AS cohort FROM firsts f JOIN "
         "dates x ON x.k = f.fk\n),\n"
         "cells AS (\n  SELECT m.cohort AS cohort, e.p - m.cohort AS age, "
         "COUNT(*) AS customers, COALESCE(SUM(CASE WHEN t.m > 0 THEN 1 ELSE 0 "
         "END), 0) AS paying, COALESCE(SUM(CASE WHEN t.m > 0 THEN t.m ELSE 0 "
         "END), 0) AS mrr\n  FROM members m JOIN period_ends e ON e.p >= "
         "m.cohort LEFT JOIN totals t ON t.c = m.c AND t.d = e.end_d\n  GROUP "
         "BY "
         "m.cohort, e.p\n)\n";
    q += "SELECT cohort, age, " + text("customers") + " AS customers, " +
         text("paying") + " AS paying, " + text("mrr") +
         " AS mrr\nFROM cells\nORDER BY cohort, age";
    return q + d_.settings + "\n";
  }

 private:
  const sql_options& o_;
  const dialect& d_;
};

}  // namespace

std::optional<sql_dialect> parse_sql_dialect(std::string_view name) {
  for (size_t i = 0; i < kDialects.size(); ++i) {
    if (name == kDialects[i].name) return sql_dialect(i);
  }
  return std::nullopt;
}

const std::vector<std::string>& sql_dialect_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& d : kDialects) v.emplace_back(d.name);
    return v;
  }();
  return names;
}

std::string first_date_sql(const sql_options& options) {
  return writer(options).first_date();
}

std::string any_row_sql(const sql_options& options) {
  return "SELECT 1 FROM " + writer(options).table_name() + " LIMIT 1\n";
}

std::string cohorts_sql(const sql_options& options) {
  sql_options plain = options;
  plain.segment_col.reset();
  plain.order_col.reset();
  return writer(plain).cohorts();
}

std::string report_sql(const sql_options& options) {
  check_invariant(options.report.window >= 1, "a report window below 1 period");
  return writer(options).query();
}

}  // namespace ndr
