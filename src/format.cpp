#include "ndr/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "ndr/error.h"

namespace ndr {
namespace {

// One printed value in its two spellings.
struct cell {
  std::string machine;  // csv/json: "1234.50", "1.0500", "" for undefined
  std::string human;    // table/markdown: "1,234.50", "105.0%", "—"
  bool quoted = false;  // json: a string rather than a number
};

struct field {
  const char* name;   // SPEC §5 machine name
  const char* title;  // table heading; "MRR" becomes "ARR" with --arr
  bool in_short;      // shown by the table without --wide
  bool is_text = false;  // left-aligned in tables
};

// SPEC §5, in order.
constexpr std::array<field, 20> kFields{{
    {"period", "Period", true, true},
    {"start_date", "Start", false, true},
    {"end_date", "End", false, true},
    {"cohort_customers", "Customers", true},
    {"retained_customers", "Retained", false},
    {"expanded_customers", "Expanded", false},
    {"contracted_customers", "Contracted", false},
    {"churned_customers", "Churned", false},
    {"starting_mrr", "Starting MRR", true},
    {"expansion_mrr", "Expansion", true},
    {"contraction_mrr", "Contraction", true},
    {"churned_mrr", "Churned MRR", true},
    {"ending_mrr", "Ending MRR", true},
    {"ndr", "NDR", true},
    {"grr", "GRR", true},
    {"logo_retention", "Logo ret.", true},
    {"reactivation_mrr", "Reactivation MRR", false},
    {"reactivated_customers", "Reactivated", false},
    {"new_mrr", "New MRR", false},
    {"new_customers", "New", false},
}};

cell text_cell(std::string s) { return {s, s, true}; }
cell count_cell(std::int64_t n) {
  return {fmt::format("{}", n), format_money(money::from_whole(n), 0, true), false};
}
cell ratio_cell(const ratio& r) {
  return {r.defined() ? format_ratio(r, 4) : std::string(), format_percent(r, 1), false};
}

class cell_maker {
 public:
  explicit cell_maker(bool arr) : arr_(arr) {}
  cell money_cell(money m) const {
    if (arr_ && !m.mul(12)) throw InputError("an amount is too large to show as ARR (×12)");
    return {format_money(m, 2), format_money(m, 2, true), false};
  }

 private:
  bool arr_;
};

std::vector<cell> row_cells(const report_row& row, const period_scheme& scheme, bool arr) {
  const cell_maker m(arr);
  return {text_cell(scheme.label(row.period)),
          text_cell(format_date(row.start_date)),
          text_cell(format_date(row.end_date)),
          count_cell(row.cohort_customers),
          count_cell(row.retained_customers()),
          count_cell(row.expanded_customers),
          count_cell(row.contracted_customers),
          count_cell(row.churned_customers),
          m.money_cell(row.starting_mrr),
          m.money_cell(row.expansion_mrr),
          m.money_cell(row.contraction_mrr),
          m.money_cell(row.churned_mrr),
          m.money_cell(row.ending_mrr()),
          ratio_cell(row.ndr()),
          ratio_cell(row.grr()),
          ratio_cell(row.logo_retention()),
          m.money_cell(row.reactivation_mrr),
          count_cell(row.reactivated_customers),
          m.money_cell(row.new_mrr),
          count_cell(row.new_customers)};
}

std::string render_csv(const std::vector<std::vector<cell>>& rows) {
  std::string out;
  for (size_t i = 0; i < kFields.size(); ++i) out += (i ? "," : "") + std::string(kFields[i].name);
  out += '\n';
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += csv_field(row[i].machine);
    }
    out += '\n';
  }
  return out;
}

const char* reactivation_name(reactivation_policy p) {
  return p == reactivation_policy::separate ? "separate" : "include";
}

const char* period_name(period_kind k) {
  return k == period_kind::month ? "month" : k == period_kind::quarter ? "quarter" : "year";
}

// Money and ratios are written from their exact decimal text, not through a
// double, so nlohmann::json (which stores numbers as doubles) is not used here.
std::string render_json(const std::vector<std::vector<cell>>& rows, const report& r, bool arr) {
  std::string out = "{\n  \"rows\": [";
  for (size_t n = 0; n < rows.size(); ++n) {
    out += n ? ",\n    {" : "\n    {";
    for (size_t i = 0; i < kFields.size(); ++i) {
      const cell& c = rows[n][i];
      const std::string value =
          c.quoted ? json_string(c.machine) : c.machine.empty() ? "null" : c.machine;
      out += fmt::format("{}\"{}\": {}", i ? ", " : "", kFields[i].name, value);
    }
    out += '}';
  }
  out += rows.empty() ? "],\n" : "\n  ],\n";
  const auto& o = r.options;
  out += fmt::format(
      "  \"period\": \"{}\",\n  \"fiscal_year_start\": {},\n  \"window\": {},\n"
      "  \"reactivation\": \"{}\",\n  \"money\": \"{}\"\n}}\n",
      period_name(o.scheme.kind), o.scheme.fiscal_start, o.window,
      reactivation_name(o.reactivation), arr ? "arr" : "mrr");
  return out;
}

std::string heading(const field& f, bool arr) {
  std::string t = f.title;
  if (arr) {
    const auto pos = t.find("MRR");
    if (pos != std::string::npos) t.replace(pos, 3, "ARR");
  }
  return t;
}

// Display width in terminal columns: counts UTF-8 code points.
size_t display_width(std::string_view s) {
  return size_t(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(const std::string& s, size_t width, bool right) {
  const std::string fill(width - std::min(width, display_width(s)), ' ');
  return right ? fill + s : s + fill;
}

std::string render_table(const std::vector<std::vector<cell>>& rows, bool wide, bool arr,
                         bool markdown) {
  std::vector<size_t> shown;
  for (size_t i = 0; i < kFields.size(); ++i) {
    if (wide || kFields[i].in_short) shown.push_back(i);
  }
  std::vector<size_t> width(kFields.size());
  for (size_t i : shown) {
    width[i] = display_width(heading(kFields[i], arr));
    for (const auto& row : rows) width[i] = std::max(width[i], display_width(row[i].human));
  }
  const char* sep = markdown ? " | " : "  ";
  const auto line = [&](auto&& text_of) {
    std::string out = markdown ? "| " : "";
    for (size_t k = 0; k < shown.size(); ++k) {
      const size_t i = shown[k];
      out += (k ? sep : "") + pad(text_of(i), width[i], !kFields[i].is_text);
    }
    while (!markdown && !out.empty() && out.back() == ' ') out.pop_back();
    return out + (markdown ? " |\n" : "\n");
  };
  std::string out = line([&](size_t i) { return heading(kFields[i], arr); });
  out += line([&](size_t i) {
    if (!markdown) return std::string(width[i], '-');
    return kFields[i].is_text ? std::string(width[i], '-') : std::string(width[i] - 1, '-') + ":";
  });
  for (const auto& row : rows) out += line([&](size_t i) { return row[i].human; });
  return out;
}

}  // namespace

std::string render_report(const report& r, const format_options& options) {
  std::vector<std::vector<cell>> rows;
  rows.reserve(r.rows.size());
  for (const auto& row : r.rows) rows.push_back(row_cells(row, r.options.scheme, options.arr));
  switch (options.format) {
    case output_format::csv: return render_csv(rows);
    case output_format::json: return render_json(rows, r, options.arr);
    case output_format::table: return render_table(rows, options.wide, options.arr, false);
    case output_format::markdown: return render_table(rows, options.wide, options.arr, true);
  }
  return {};
}

std::optional<output_format> parse_format(std::string_view name) {
  if (name == "table") return output_format::table;
  if (name == "csv") return output_format::csv;
  if (name == "json") return output_format::json;
  if (name == "markdown" || name == "md") return output_format::markdown;
  return std::nullopt;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
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

}  // namespace ndr
