#include "ndr/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "ndr/error.h"

namespace ndr {
namespace {

// One printed value in its two spellings.
struct cell {
  std::string machine;  // csv/json: "1234.50", "1.0500", "" for undefined
  std::string human;    // table/markdown: "1,234.50", "105.0%", "—"
  bool quoted = false;  // json: a string rather than a number
  field_kind kind = field_kind::text;  // what it holds (xlsx types cells)
};

struct column {
  const char* name;      // machine name (csv header, json key)
  const char* title;     // table heading; "MRR" becomes "ARR" with --arr
  bool in_short = true;  // shown by the table without --wide
  bool is_text = false;  // left-aligned in tables
};

// What every format renders: columns and rows of cells, plus json metadata.
// Rows are made on demand, one at a time: cells for every row of a report
// with many segments at once would cost more memory than the report itself.
struct table_model {
  std::vector<column> columns;
  size_t row_count = 0;
  std::function<void(size_t, std::vector<cell>&)> row;  // fills row i's cells
  std::vector<std::pair<std::string, std::string>> metadata;  // key, json value

  // Calls f(cells) for each row in order, reusing one cell vector.
  template <typename F>
  void each_row(F f) const {
    std::vector<cell> cells;
    for (size_t i = 0; i < row_count; ++i) {
      row(i, cells);
      f(static_cast<const std::vector<cell>&>(cells));
    }
  }
};

// A model whose rows are given whole (small tables: the cohort triangle).
void set_rows(table_model& t, std::vector<std::vector<cell>> rows) {
  auto shared =
      std::make_shared<std::vector<std::vector<cell>>>(std::move(rows));
  t.row_count = shared->size();
  t.row = [shared](size_t i, std::vector<cell>& out) { out = (*shared)[i]; };
}

// Makes cells for one output: the human spelling only for table and
// markdown (a 10M-row ledger in csv need not format every number twice),
// money ×12 with --arr.
class cell_maker {
 public:
  explicit cell_maker(const format_options& o)
      : arr_(o.arr),
        human_(o.format == output_format::table ||
               o.format == output_format::markdown) {}

  cell text(std::string s) const {
    std::string human = human_ ? s : std::string();
    return {std::move(s), std::move(human), true};
  }
  cell date(day_number d) const {
    cell c = text(format_date(d));
    c.kind = field_kind::date;
    return c;
  }
  cell count(std::int64_t n) const {
    return {fmt::format("{}", n),
            human_ ? format_money(money::from_whole(n), 0, true) : "", false,
            field_kind::count};
  }
  cell share(const ratio& r) const {
    return {r.defined() ? format_ratio(r, 4) : std::string(),
            human_ ? format_percent(r, 1) : "", false, field_kind::ratio};
  }
  cell amount(money m) const {
    if (arr_ && !m.mul(12))
      throw InputError("an amount is too large to show as ARR (×12)");
    return {format_money(m, 2), human_ ? format_money(m, 2, true) : "", false,
            field_kind::money};
  }

 private:
  bool arr_;
  bool human_;
};

// SPEC §5, in order; "segment" goes after end_date in a segmented report.
// With --fx, fx_impact_mrr comes last (docs/inputs.md#currencies).
std::vector<column> report_columns(bool segmented, bool fx) {
  std::vector<column> c{
      {"period", "Period", true, true},
      {"start_date", "Start", false, true},
      {"end_date", "End", false, true},
      {"cohort_customers", "Customers"},
      {"retained_customers", "Retained", false},
      {"expanded_customers", "Expanded", false},
      {"contracted_customers", "Contracted", false},
      {"churned_customers", "Churned", false},
      {"starting_mrr", "Starting MRR"},
      {"expansion_mrr", "Expansion"},
      {"contraction_mrr", "Contraction"},
      {"churned_mrr", "Churned MRR"},
      {"ending_mrr", "Ending MRR"},
      {"ndr", "NDR"},
      {"grr", "GRR"},
      {"logo_retention", "Logo ret."},
      {"reactivation_mrr", "Reactivation MRR", false},
      {"reactivated_customers", "Reactivated", false},
      {"new_mrr", "New MRR", false},
      {"new_customers", "New", false},
  };
  if (segmented)
    c.insert(c.begin() + 3, column{"segment", "Segment", true, true});
  if (fx) c.push_back({"fx_impact_mrr", "FX impact"});
  return c;
}

std::vector<cell> report_cells(const report_row& row, const report& r,
                               const cell_maker& m) {
  std::vector<cell> c{m.text(r.options.scheme.label(row.period)),
                      m.date(row.start_date),
                      m.date(row.end_date),
                      m.count(row.cohort_customers),
                      m.count(row.retained_customers()),
                      m.count(row.expanded_customers),
                      m.count(row.contracted_customers),
                      m.count(row.churned_customers),
                      m.amount(row.starting_mrr),
                      m.amount(row.expansion_mrr),
                      m.amount(row.contraction_mrr),
                      m.amount(row.churned_mrr),
                      m.amount(row.ending_mrr()),
                      m.share(row.ndr()),
                      m.share(row.grr()),
                      m.share(row.logo_retention()),
                      m.amount(row.reactivation_mrr),
                      m.count(row.reactivated_customers),
                      m.amount(row.new_mrr),
                      m.count(row.new_customers)};
  if (r.segmented) c.insert(c.begin() + 3, m.text(row.segment));
  if (r.fx) c.push_back(m.amount(row.fx_impact_mrr));
  return c;
}

const char* reactivation_name(reactivation_policy p) {
  return p == reactivation_policy::separate ? "separate" : "include";
}

const char* period_name(period_kind k) {
  return k == period_kind::month     ? "month"
         : k == period_kind::quarter ? "quarter"
                                     : "year";
}

// The skipped rows, when there were any (nothing is dropped silently).
void add_skipped_metadata(
    std::vector<std::pair<std::string, std::string>>& metadata,
    const format_options& options) {
  if (options.skipped_rows == 0) return;
  std::string first;
  for (const auto& place : options.skipped_first) {
    first += (first.empty() ? "" : ", ") + json_string(place);
  }
  metadata.emplace_back("skipped_rows",
                        fmt::format("{}", options.skipped_rows));
  metadata.emplace_back("skipped_first", "[" + first + "]");
}

std::vector<std::pair<std::string, std::string>> report_metadata(
    const report_options& o, const format_options& options) {
  std::vector<std::pair<std::string, std::string>> metadata{
      {"period", json_string(period_name(o.scheme.kind))},
      {"fiscal_year_start", fmt::format("{}", o.scheme.fiscal_start)},
      {"window", fmt::format("{}", o.window)},
      {"reactivation", json_string(reactivation_name(o.reactivation))},
      {"money", json_string(options.arr ? "arr" : "mrr")}};
  add_skipped_metadata(metadata, options);
  return metadata;
}

// A machine name as printed: with --arr, money fields say so (starting_arr,
// not starting_mrr; the cohort's mrr is arr).
std::string field_name(const column& c, bool arr) {
  std::string name = c.name;
  if (!arr) return name;
  if (name == "mrr") return "arr";
  const std::string_view suffix = "_mrr";
  if (name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    name.replace(name.size() - 3, 3, "arr");
  return name;
}

std::string render_csv(const table_model& t, bool arr) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i)
    out += (i ? "," : "") + field_name(t.columns[i], arr);
  out += '\n';
  t.each_row([&](const std::vector<cell>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += csv_field(row[i].quoted ? spreadsheet_safe(row[i].machine)
                                     : row[i].machine);
    }
    out += '\n';
  });
  return out;
}

// Money and ratios are written from their exact decimal text, not through a
// double, so nlohmann::json (which stores numbers as doubles) is not used here.
std::string render_json(const table_model& t, bool arr) {
  std::string out = "{\n  \"rows\": [";
  bool first = true;
  t.each_row([&](const std::vector<cell>& row) {
    out += first ? "\n    {" : ",\n    {";
    first = false;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const cell& c = row[i];
      const std::string value = c.quoted            ? json_string(c.machine)
                                : c.machine.empty() ? "null"
                                                    : c.machine;
      out += fmt::format("{}\"{}\": {}", i ? ", " : "",
                         field_name(t.columns[i], arr), value);
    }
    out += '}';
  });
  out += t.row_count == 0 ? "]" : "\n  ]";
  for (const auto& [key, value] : t.metadata)
    out += fmt::format(",\n  \"{}\": {}", key, value);
  return out + "\n}\n";
}

std::string heading(const column& c, bool arr) {
  std::string t = c.title;
  if (arr) {
    const auto pos = t.find("MRR");
    if (pos != std::string::npos) t.replace(pos, 3, "ARR");
  }
  return t;
}

// Display width in terminal columns: counts UTF-8 code points.
size_t display_width(std::string_view s) {
  return size_t(std::count_if(s.begin(), s.end(),
                              [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(const std::string& s, size_t width, bool right) {
  const std::string fill(width - std::min(width, display_width(s)), ' ');
  return right ? fill + s : s + fill;
}

std::string render_table(const table_model& t, bool wide, bool arr,
                         bool markdown) {
  std::vector<size_t> shown;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (wide || t.columns[i].in_short) shown.push_back(i);
  }
  const auto text = [&](const std::string& s) {
    return markdown ? markdown_safe(s) : terminal_safe(s);
  };
  std::vector<size_t> width(t.columns.size());
  for (size_t i : shown) width[i] = display_width(heading(t.columns[i], arr));
  t.each_row([&](const std::vector<cell>& row) {
    for (size_t i : shown)
      width[i] = std::max(width[i], display_width(text(row[i].human)));
  });
  const char* sep = markdown ? " | " : "  ";
  const auto line = [&](auto&& text_of) {
    std::string out = markdown ? "| " : "";
    for (size_t k = 0; k < shown.size(); ++k) {
      const size_t i = shown[k];
      out += (k ? sep : "") + pad(text_of(i), width[i], !t.columns[i].is_text);
    }
    while (!markdown && !out.empty() && out.back() == ' ') out.pop_back();
    return out + (markdown ? " |\n" : "\n");
  };
  std::string out = line([&](size_t i) { return heading(t.columns[i], arr); });
  out += line([&](size_t i) {
    if (!markdown || t.columns[i].is_text) return std::string(width[i], '-');
    return std::string(width[i] - 1, '-') + ":";
  });
  t.each_row([&](const std::vector<cell>& row) {
    out += line([&](size_t i) { return text(row[i].human); });
  });
  return out;
}

std::string render(const table_model& t, const format_options& options) {
  switch (options.format) {
    case output_format::csv:
      return render_csv(t, options.arr);
    case output_format::json:
      return render_json(t, options.arr);
    case output_format::table:
      return render_table(t, options.wide, options.arr, false);
    case output_format::markdown:
      return render_table(t, options.wide, options.arr, true);
    case output_format::html:
      break;  // only `ndr report` has a page (render_html)
    case output_format::xlsx:
      throw InternalError("render: a workbook is written by xlsx.h");
  }
  throw UsageError("--format html is for ndr report only");
}

// The cohort triangle for people: one line per cohort, one column per age.
std::string render_triangle(const std::vector<cohort_cell>& cells,
                            const period_scheme& scheme,
                            const format_options& options) {
  const cell_maker m(options);
  table_model t;
  std::int64_t max_age = -1;
  for (const auto& c : cells) max_age = std::max(max_age, c.age);
  std::vector<std::string> age_titles;
  for (std::int64_t a = 0; a <= max_age; ++a)
    age_titles.push_back(fmt::format("+{}", a));
  t.columns = {{"cohort", "Cohort", true, true},
               {"customers", "Customers"},
               {"starting_mrr", options.arr ? "Starting ARR" : "Starting MRR"}};
  for (const auto& title : age_titles) t.columns.push_back({"", title.c_str()});
  std::vector<std::vector<cell>> rows;
  for (size_t i = 0; i < cells.size();) {
    const cohort_cell& head = cells[i];
    std::vector<cell> row{m.text(scheme.label(head.cohort)),
                          m.count(head.customers), m.amount(head.starting_mrr)};
    row.resize(t.columns.size());
    for (; i < cells.size() && cells[i].cohort == head.cohort; ++i) {
      const ratio r = options.logos ? cells[i].logo_retention()
                                    : cells[i].revenue_retention();
      row[size_t(3 + cells[i].age)] = m.share(r);
    }
    rows.push_back(std::move(row));
  }
  set_rows(t, std::move(rows));
  return render_table(t, true, false,
                      options.format == output_format::markdown);
}

// json metadata for the data's first period (opening_row): its customers
// are all new, and no row counts them as new.
void add_opening_metadata(
    std::vector<std::pair<std::string, std::string>>& metadata, const report& r,
    const format_options& options) {
  const report_row* row = opening_row(r);
  if (!row) return;
  const cell_maker m(options);  // json: the machine spelling, ×12 with --arr
  const period_scheme& scheme = r.options.scheme;
  metadata.emplace_back(
      "first_period",
      fmt::format("{{\"period\": {}, \"date\": {}, \"new_customers\": {}, "
                  "\"new_{}\": {}}}",
                  json_string(scheme.label(scheme.index_of(row->start_date))),
                  json_string(format_date(row->start_date)),
                  row->cohort_customers, options.arr ? "arr" : "mrr",
                  m.amount(row->starting_mrr).machine));
}

// The line under a table for the same.
std::string opening_note(const report& r, const format_options& options) {
  const std::string sentence = opening_sentence(r, options.arr);
  return sentence.empty() ? sentence : "\n" + sentence + "\n";
}

table_model report_model(const report& r, const format_options& options) {
  table_model t{
      report_columns(r.segmented, r.fx), r.rows.size(),
      [&r, m = cell_maker(options)](size_t i, std::vector<cell>& out) {
        out = report_cells(r.rows[i], r, m);
      },
      report_metadata(r.options, options)};
  if (options.format == output_format::json)
    add_opening_metadata(t.metadata, r, options);
  return t;
}

table_model ledger_model(const std::vector<ledger_line>& lines,
                         const snapshot_store& store,
                         const format_options& options) {
  table_model t;
  t.columns = {{"customer_id", "Customer", true, true},
               {"start_mrr", "Start MRR"},
               {"end_mrr", "End MRR"},
               {"movement", "Movement", true, true},
               {"delta", "Delta"}};
  if (store.segmented())
    t.columns.insert(t.columns.begin() + 1, {"segment", "Segment", true, true});
  t.row_count = lines.size();
  t.row = [&lines, &store, m = cell_maker(options)](size_t i,
                                                    std::vector<cell>& row) {
    const ledger_line& l = lines[i];
    row = {m.text(store.customers[l.customer]), m.amount(l.start_mrr),
           m.amount(l.end_mrr), m.text(movement_name(l.kind)),
           m.amount(l.delta)};
    if (store.segmented()) row.insert(row.begin() + 1, m.text(l.segment));
  };
  return t;
}

// The cohort cells one per line (csv, json); the table is the triangle.
table_model cohorts_model(const std::vector<cohort_cell>& cells,
                          const period_scheme& scheme,
                          const format_options& options) {
  table_model t;
  t.columns = {{"cohort", "Cohort", true, true},
               {"age", "Age"},
               {"customers", "Customers"},
               {"starting_mrr", "Starting MRR"},
               {"mrr", "MRR"},
               {"revenue_retention", "Revenue ret."},
               {"logo_retention", "Logo ret."}};
  t.row_count = cells.size();
  t.row = [&cells, &scheme, m = cell_maker(options)](size_t i,
                                                     std::vector<cell>& row) {
    const cohort_cell& c = cells[i];
    row = {m.text(scheme.label(c.cohort)),
           m.count(c.age),
           m.count(c.customers),
           m.amount(c.starting_mrr),
           m.amount(c.mrr),
           m.share(c.revenue_retention()),
           m.share(c.logo_retention())};
  };
  t.metadata = {{"period", json_string(period_name(scheme.kind))},
                {"fiscal_year_start", fmt::format("{}", scheme.fiscal_start)},
                {"money", json_string(options.arr ? "arr" : "mrr")}};
  add_skipped_metadata(t.metadata, options);
  return t;
}

// The machine spelling of a model's rows, with each value's kind.
machine_table machine_of(table_model t, bool arr) {
  machine_table m;
  for (const column& c : t.columns) m.fields.push_back(field_name(c, arr));
  m.row_count = t.row_count;
  m.row = [row = std::move(t.row), cells = std::vector<cell>()](
              size_t i, std::vector<machine_value>& out) mutable {
    row(i, cells);
    out.resize(cells.size());
    for (size_t k = 0; k < cells.size(); ++k)
      out[k] = {std::move(cells[k].machine), cells[k].kind};
  };
  return m;
}

// Options for the machine spelling alone (no human text is made).
format_options machine_options(const format_options& options) {
  format_options o = options;
  o.format = output_format::csv;
  return o;
}

}  // namespace

std::string opening_sentence(const report& r, bool arr) {
  const report_row* row = opening_row(r);
  if (!row) return {};
  const period_scheme& scheme = r.options.scheme;
  format_options human = format_options::of(output_format::table);
  human.arr = arr;
  const std::string amount = cell_maker(human).amount(row->starting_mrr).human;
  const bool one = row->cohort_customers == 1;
  return fmt::format(
      "{} is the data's first {}: its {} customer{} ({} {} on {}) {} new; no "
      "row counts {} as new.",
      scheme.label(scheme.index_of(row->start_date)), period_name(scheme.kind),
      row->cohort_customers, one ? "" : "s", amount, arr ? "ARR" : "MRR",
      format_date(row->start_date), one ? "is" : "are all",
      one ? "it" : "them");
}

std::string render_report(const report& r, const format_options& options) {
  std::string out = render(report_model(r, options), options);
  if (options.format == output_format::table ||
      options.format == output_format::markdown)
    out += opening_note(r, options);
  return out;
}

std::string render_ledger(const std::vector<ledger_line>& lines,
                          const snapshot_store& store,
                          const report_options& report, std::int64_t period,
                          const format_options& options) {
  table_model t = ledger_model(lines, store, options);
  t.metadata = report_metadata(report, options);
  t.metadata.insert(t.metadata.begin(),
                    {"at", json_string(report.scheme.label(period))});
  return render(t, options);
}

std::string render_cohorts(const std::vector<cohort_cell>& cells,
                           const period_scheme& scheme,
                           const format_options& options) {
  if (options.format == output_format::table ||
      options.format == output_format::markdown) {
    return render_triangle(cells, scheme, options);
  }
  return render(cohorts_model(cells, scheme, options), options);
}

machine_table report_table(const report& r, const format_options& options) {
  return machine_of(report_model(r, machine_options(options)), options.arr);
}

machine_table ledger_table(const std::vector<ledger_line>& lines,
                           const snapshot_store& store,
                           const format_options& options) {
  return machine_of(ledger_model(lines, store, machine_options(options)),
                    options.arr);
}

machine_table cohorts_table(const std::vector<cohort_cell>& cells,
                            const period_scheme& scheme,
                            const format_options& options) {
  return machine_of(cohorts_model(cells, scheme, machine_options(options)),
                    options.arr);
}

std::optional<output_format> parse_format(std::string_view name) {
  if (name == "table") return output_format::table;
  if (name == "csv") return output_format::csv;
  if (name == "json") return output_format::json;
  if (name == "markdown" || name == "md") return output_format::markdown;
  if (name == "html") return output_format::html;
  if (name == "xlsx") return output_format::xlsx;
  return std::nullopt;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string spreadsheet_safe(std::string_view text) {
  if (text.empty() || std::string_view("=+-@\t\r").find(text.front()) ==
                          std::string_view::npos) {
    return std::string(text);
  }
  return "'" + std::string(text);
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return overlong || surrogate || cp > 0x10FFFF ? 0 : n;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        out += "\\ufffd";  // not UTF-8: the replacement character, one per bad
                           // byte
      } else {
        out.append(text.substr(i, n));
        i += n - 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += char(c);
        }
    }
  }
  return out + "\"";
}

namespace {

// Appends the character at `i` so that a terminal shows it rather than obeys
// it; returns the index after it.
size_t append_visible(std::string& out, std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == '\n' || c == '\r' || c == '\t') {
    out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
  } else if (c < 0x20 || c == 0x7f) {
    out += fmt::format("\\x{:02x}", c);
  } else if (c < 0x80) {
    out += char(c);
  } else if (const size_t n = utf8_sequence_length(s, i); n == 0) {
    out += fmt::format("\\x{:02x}", c);  // not UTF-8
  } else if (n == 2 && c == 0xC2 &&
             static_cast<unsigned char>(s[i + 1]) < 0xA0) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned char>(
                                        s[i + 1]));  // C1: U+0080..U+009F
    return i + 2;
  } else {
    out.append(s.substr(i, n));
    return i + n;
  }
  return i + 1;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) i = append_visible(out, text, i);
  return out;
}

std::string markdown_safe(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      out += "<br>";
      i += c == '\r' && text.substr(i + 1, 1) == "\n" ? 2 : 1;
    } else if (c == '\\' || c == '|' || c == '`' || c == '[') {
      out += {'\\', c};
      ++i;
    } else if (c == '<') {
      out += "&lt;";
      ++i;
    } else {
      i = append_visible(out, text, i);
    }
  }
  return out;
}

}  // namespace ndr
