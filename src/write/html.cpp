#include "ndr/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ndr/chart.h"
#include "ndr/error.h"
#include "ndr/format.h"

namespace ndr {
namespace {

// Okabe–Ito colours (safe for colour blindness); every series also has its
// own dash pattern and marker so that it survives greyscale printing.
struct series_style {
  const char* name;
  const char* colour;
  const char* dash;
  const char* marker;  // circle, square, triangle
};
constexpr series_style kSeries[] = {
    {"NDR", "#0072B2", "", "circle"},
    {"GRR", "#D55E00", "6 3", "square"},
    {"Logo retention", "#009E73", "2 3", "triangle"}};

constexpr double kWidth = 760, kLeft = 64, kRight = 16, kTop = 16, kBottom = 48;

std::string num(double v) { return fmt::format("{:.1f}", v); }

money shown(money m, bool arr) {
  if (arr && !m.mul(12))
    throw InputError("an amount is too large to show as ARR (×12)");
  return m;
}

std::string money_text(money m, bool arr) {
  return format_money(shown(m, arr), 2, true);
}

// The data's first period, whose customers no row counts as new.
std::string opening(const report& r, bool arr) {
  const std::string sentence = opening_sentence(r, arr);
  if (sentence.empty()) return {};
  return "<p class=\"opening\">" + html_escape(sentence) + "</p>\n";
}

double ratio_value(const ratio& r) { return double(r.rounded(6)) / 1e6; }

std::string marker(const char* shape, double x, double y, const char* colour) {
  if (std::string(shape) == "circle") {
    return fmt::format(R"(<circle cx="{}" cy="{}" r="3.5" fill="{}"/>)", num(x),
                       num(y), colour);
  }
  if (std::string(shape) == "square") {
    return fmt::format(
        R"(<rect x="{}" y="{}" width="7" height="7" fill="{}"/>)", num(x - 3.5),
        num(y - 3.5), colour);
  }
  return fmt::format(R"(<path d="M{} {}L{} {}L{} {}Z" fill="{}"/>)", num(x),
                     num(y - 4.5), num(x + 4.5), num(y + 3.5), num(x - 4.5),
                     num(y + 3.5), colour);
}

std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><thead><tr>";
  for (size_t i = 0; i < head.size(); ++i) {
    out += fmt::format("<th scope=\"col\"{}>{}</th>", i ? " class=\"n\"" : "",
                       html_escape(head[i]));
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out += i ? fmt::format("<td class=\"n\">{}</td>", html_escape(row[i]))
               : fmt::format("<th scope=\"row\">{}</th>", html_escape(row[i]));
    }
    out += "</tr>";
  }
  return out + "</tbody></table>\n";
}

// The total rows, oldest first.
std::vector<const report_row*> totals(const report& r) {
  std::vector<const report_row*> out;
  for (const auto& row : r.rows) {
    if (!r.segmented || row.segment == kAllSegments) out.push_back(&row);
  }
  return out;
}

std::string percent_change(const ratio& now, const ratio& before) {
  if (!now.defined() || !before.defined()) return "";
  const std::int64_t d =
      now.rounded(3) - before.rounded(3);  // tenths of a percentage point
  return fmt::format("{}{}.{} pp", d < 0 ? "−" : "+", std::abs(d) / 10,
                     std::abs(d) % 10);
}

std::string headline(const report& r,
                     const std::vector<const report_row*>& rows) {
  const report_row& last = *rows.back();
  const report_row* before = rows.size() > 1 ? rows[rows.size() - 2] : nullptr;
  const std::string period = r.options.scheme.label(last.period);
  std::string out = fmt::format(
      "<section class=\"headline\" aria-label=\"Latest "
      "period\"><h2>{}</h2><div class=\"cards\">",
      html_escape(period));
  const std::pair<const char*, ratio (report_row::*)() const> metrics[] = {
      {"NDR", &report_row::ndr},
      {"GRR", &report_row::grr},
      {"Logo retention", &report_row::logo_retention}};
  for (const auto& [name, get] : metrics) {
    const ratio now = (last.*get)();
    const std::string change =
        before ? percent_change(now, ((*before).*get)()) : std::string();
    out += fmt::format(
        "<div class=\"card\"><div class=\"label\">{}</div><div "
        "class=\"value\">{}</div><div "
        "class=\"change\">{}</div></div>",
        name, html_escape(format_percent(now, 1)),
        change.empty() ? ""
                       : html_escape(change + " vs " +
                                     r.options.scheme.label(before->period)));
  }
  return out + "</div></section>\n";
}

std::string line_chart(const report& r,
                       const std::vector<const report_row*>& rows) {
  const double height = 300, plot_w = kWidth - kLeft - kRight,
               plot_h = height - kTop - kBottom;
  std::vector<double> values;
  for (const auto* row : rows) {
    for (const ratio& v : {row->ndr(), row->grr(), row->logo_retention()}) {
      if (v.defined()) values.push_back(ratio_value(v));
    }
  }
  const auto ticks = chart::ratio_ticks(values);
  const chart::linear_scale y{ticks.front(), ticks.back(), kTop + plot_h, kTop};
  const double slot = plot_w / double(rows.size());
  const auto x = [&](size_t i) { return kLeft + slot * (double(i) + 0.5); };
  std::string svg = fmt::format(
      "<svg id=\"chart-retention\" role=\"img\" "
      "aria-labelledby=\"retention-title\" "
      "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">"
      "<title id=\"retention-title\">NDR, GRR and logo retention per "
      "period</title>",
      kWidth, height, kWidth, height);
  for (double t : ticks) {
    svg += fmt::format(
        R"(<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/><text class="tick" x="{}" y="{}" text-anchor="end">{:.0f} %</text>)",
        kLeft, kLeft + plot_w, num(y(t)), num(y(t)), kLeft - 6, num(y(t) + 4),
        t * 100);
  }
  svg += fmt::format(
      R"(<line class="reference" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#222" stroke-width="1.5" stroke-dasharray="8 4"/>)",
      kLeft, kLeft + plot_w, num(y(1)), num(y(1)));
  const auto show = chart::label_every(rows.size(), 12);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!show[i]) continue;
    svg += fmt::format(
        R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)",
        num(x(i)), kTop + plot_h + 16,
        html_escape(r.options.scheme.label(rows[i]->period)));
  }
  svg += fmt::format(
      R"(<text class="axis" x="{}" y="{}" text-anchor="middle">Period</text>)",
      kLeft + plot_w / 2, height - 6);
  svg += fmt::format(
      R"(<text class="axis" transform="translate(14 {}) rotate(-90) " text-anchor="middle">Retention</text>)",
      kTop + plot_h / 2);
  ratio (report_row::*const getters[])()
      const = {&report_row::ndr, &report_row::grr, &report_row::logo_retention};
  for (size_t s = 0; s < 3; ++s) {
    std::string points, markers;
    for (size_t i = 0; i < rows.size(); ++i) {
      const ratio v = (rows[i]->*getters[s])();
      if (!v.defined()) continue;
      points += fmt::format("{}{},{}", points.empty() ? "" : " ", num(x(i)),
                            num(y(ratio_value(v))));
      markers +=
          marker(kSeries[s].marker, x(i), y(ratio_value(v)), kSeries[s].colour);
    }
    svg += fmt::format(
        R"(<polyline class="series" data-series="{}" points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>)",
        kSeries[s].name, points, kSeries[s].colour, kSeries[s].dash);
    svg += markers;
  }
  // Legend.
  for (size_t s = 0; s < 3; ++s) {
    const double lx = kLeft + 8 + double(s) * 150;
    svg += fmt::format(
        R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>{}<text class="legend" x="{}" y="{}">{}</text>)",
        lx, lx + 24, kTop + 8, kTop + 8, kSeries[s].colour, kSeries[s].dash,
        marker(kSeries[s].marker, lx + 12, kTop + 8, kSeries[s].colour),
        lx + 30, kTop + 12, kSeries[s].name);
  }
  svg += "</svg>\n";
  std::vector<std::vector<std::string>> body;
  for (const auto* row : rows) {
    body.push_back({r.options.scheme.label(row->period),
                    format_percent(row->ndr(), 1),
                    format_percent(row->grr(), 1),
                    format_percent(row->logo_retention(), 1)});
  }
  return "<section><h2>Retention over time</h2>\n" + svg +
         table({"Period", "NDR", "GRR", "Logo retention"}, body) +
         "</section>\n";
}

std::string bridge_chart(const report& r, const report_row& row, bool arr) {
  const std::string unit = arr ? "ARR" : "MRR";
  const double height = 320, plot_w = kWidth - kLeft - kRight,
               plot_h = height - kTop - kBottom;
  const auto units = [&](money m) { return shown(m, arr).units(); };
  const std::vector<std::int64_t> steps{
      units(row.starting_mrr), units(row.expansion_mrr),
      -units(row.contraction_mrr), -units(row.churned_mrr),
      units(row.ending_mrr())};
  const std::vector<std::int64_t> beside{units(row.reactivation_mrr),
                                         units(row.new_mrr)};
  const auto bars = chart::waterfall(steps, beside, kLeft, kTop + 16, plot_w,
                                     plot_h - 16, 18);
  const char* names[] = {"Starting", "Expansion",    "Contraction", "Churn",
                         "Ending",   "Reactivation", "New"};
  const char* colours[] = {"#6B6B6B", "#009E73", "#E69F00", "#D55E00",
                           "#6B6B6B", "#56B4E9", "#CC79A7"};
  const money amounts[] = {row.starting_mrr,    row.expansion_mrr,
                           row.contraction_mrr, row.churned_mrr,
                           row.ending_mrr(),    row.reactivation_mrr,
                           row.new_mrr};
  const char* signs[] = {"", "+", "−", "−", "", "+", "+"};
  std::string svg = fmt::format(
      "<svg id=\"chart-bridge\" role=\"img\" aria-labelledby=\"bridge-title\" "
      "viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title "
      "id=\"bridge-title\">{} "
      "bridge, {}</title>",
      kWidth, height, kWidth, height, unit,
      html_escape(r.options.scheme.label(row.period)));
  svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#222"/>)",
                     kLeft, kLeft + plot_w, kTop + plot_h, kTop + plot_h);
  const double split = bars[4].x + bars[4].width + 9;
  svg += fmt::format(
      R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#999" stroke-dasharray="4 3"/><text class="tick" x="{}" y="{}" text-anchor="middle">outside NDR</text>)",
      num(split), num(split), kTop, kTop + plot_h,
      num((split + kLeft + plot_w) / 2), kTop + 10);
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    svg += fmt::format(
        R"(<rect class="bar" data-step="{}" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}{}</title></rect>)",
        names[i], num(b.x), num(b.y), num(b.width),
        num(std::max(b.height, 0.5)), colours[i], names[i], signs[i],
        money_text(amounts[i], arr));
    svg += fmt::format(
        R"(<text class="value" x="{}" y="{}" text-anchor="middle">{}{}</text>)",
        num(b.x + b.width / 2), num(b.y - 4), signs[i],
        money_text(amounts[i], arr));
    svg += fmt::format(
        R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)",
        num(b.x + b.width / 2), kTop + plot_h + 16, names[i]);
  }
  svg += fmt::format(
      R"(<text class="axis" transform="translate(14 {}) rotate(-90) " text-anchor="middle">{}</text>)",
      kTop + plot_h / 2, unit);
  svg += "</svg>\n";
  std::vector<std::vector<std::string>> body;
  for (size_t i = 0; i < 7; ++i)
    body.push_back({names[i], signs[i] + money_text(amounts[i], arr)});
  if (r.fx) {  // --fx: what exchange rates did to the ending amount
               // (docs/inputs.md)
    body.push_back({"FX impact (ending at spot rates − in constant currency)",
                    money_text(row.fx_impact_mrr, arr)});
  }
  return fmt::format("<section><h2>{} bridge, {}</h2>\n", unit,
                     html_escape(r.options.scheme.label(row.period))) +
         svg + table({"Step", unit}, body) + "</section>\n";
}

std::string segment_chart(const report& r) {
  std::vector<const report_row*> rows;
  const std::int64_t latest = r.rows.back().period;
  for (const auto& row : r.rows) {
    if (row.period == latest && row.segment != kAllSegments)
      rows.push_back(&row);
  }
  const double bar_h = 22,
               height = kTop + bar_h * double(rows.size()) + kBottom;
  const double left = 200, plot_w = kWidth - left - kRight;
  std::vector<double> values;
  for (const auto* row : rows) {
    if (row->ndr().defined()) values.push_back(ratio_value(row->ndr()));
  }
  values.push_back(0);
  const auto ticks = chart::ratio_ticks(values);
  const chart::linear_scale x{0, ticks.back(), left, left + plot_w};
  std::string svg = fmt::format(
      "<svg id=\"chart-segments\" role=\"img\" "
      "aria-labelledby=\"segments-title\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title "
      "id=\"segments-title\">NDR "
      "by segment, {}</title>",
      kWidth, num(height), kWidth, num(height),
      html_escape(r.options.scheme.label(latest)));
  for (double t : ticks) {
    svg += fmt::format(
        R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/><text class="tick" x="{}" y="{}" text-anchor="middle">{:.0f} %</text>)",
        num(x(t)), num(x(t)), kTop, num(height - kBottom), num(x(t)),
        num(height - kBottom + 16), t * 100);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const double top = kTop + bar_h * double(i);
    const ratio v = rows[i]->ndr();
    svg += fmt::format(
        R"(<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>)",
        left - 6, num(top + 15), html_escape(rows[i]->segment));
    if (v.defined()) {
      svg += fmt::format(
          R"(<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="#0072B2"><title>{}: {}</title></rect>)",
          left, num(top + 3), num(std::max(x(ratio_value(v)) - left, 0.5)),
          bar_h - 6, html_escape(rows[i]->segment), format_percent(v, 1));
    }
    svg += fmt::format(R"(<text class="value" x="{}" y="{}">{}</text>)",
                       num((v.defined() ? x(ratio_value(v)) : left) + 4),
                       num(top + 15), html_escape(format_percent(v, 1)));
  }
  svg += fmt::format(
      R"(<line class="reference" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#222" stroke-width="1.5" stroke-dasharray="8 4"/>)",
      num(x(1)), num(x(1)), kTop, num(height - kBottom));
  svg += fmt::format(
      R"(<text class="axis" x="{}" y="{}" text-anchor="middle">NDR</text>)",
      num(left + plot_w / 2), num(height - 8));
  svg += "</svg>\n";
  std::vector<std::vector<std::string>> body;
  for (const auto* row : rows) {
    body.push_back({row->segment, std::to_string(row->cohort_customers),
                    format_percent(row->ndr(), 1),
                    format_percent(row->grr(), 1),
                    format_percent(row->logo_retention(), 1)});
  }
  return fmt::format("<section><h2>NDR by segment, {}</h2>\n",
                     html_escape(r.options.scheme.label(latest))) +
         svg +
         table({"Segment", "Customers", "NDR", "GRR", "Logo retention"}, body) +
         "</section>\n";
}

// One blue, lighter for lower retention; the printed value carries the number.
std::string heat(const ratio& v) {
  if (!v.defined()) return "#FFFFFF";
  const double t = std::clamp(ratio_value(v), 0.0, 1.5) / 1.5;
  const auto mix = [&](int from, int to) {
    return int(from + (to - from) * t + 0.5);
  };
  return fmt::format("#{:02X}{:02X}{:02X}", mix(0xF0, 0x08), mix(0xF5, 0x45),
                     mix(0xFA, 0x94));
}

std::string cohort_chart(const report& r, const std::vector<cohort_cell>& cells,
                         bool arr) {
  std::vector<std::int64_t> cohorts;
  std::int64_t max_age = 0;
  for (const auto& c : cells) {
    if (cohorts.empty() || cohorts.back() != c.cohort)
      cohorts.push_back(c.cohort);
    max_age = std::max(max_age, c.age);
  }
  const double left = 80, cell_w = std::min(44.0, (kWidth - left - kRight) /
                                                      double(max_age + 1));
  const double cell_h = 18,
               height = kTop + 18 + cell_h * double(cohorts.size()) + 8;
  const bool labels = cell_w >= 30;
  std::string svg = fmt::format(
      "<svg id=\"chart-cohorts\" role=\"img\" "
      "aria-labelledby=\"cohorts-title\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title "
      "id=\"cohorts-title\">"
      "Revenue retention by acquisition cohort and age</title>",
      kWidth, num(height), kWidth, num(height));
  const auto show = chart::label_every(size_t(max_age + 1), 16);
  for (std::int64_t a = 0; a <= max_age; ++a) {
    if (!show[size_t(a)]) continue;
    svg += fmt::format(
        R"(<text class="tick" x="{}" y="{}" text-anchor="middle">+{}</text>)",
        num(left + cell_w * (double(a) + 0.5)), kTop + 10, a);
  }
  for (size_t i = 0; i < cohorts.size(); ++i) {
    svg += fmt::format(
        R"(<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>)",
        left - 6, num(kTop + 18 + cell_h * (double(i) + 0.7)),
        html_escape(r.options.scheme.label(cohorts[i])));
  }
  // The table is the triangle itself: one row per cohort, one column per age.
  std::vector<std::string> head{"Cohort", "Customers",
                                "Starting " + std::string(arr ? "ARR" : "MRR")};
  for (std::int64_t a = 0; a <= max_age; ++a)
    head.push_back(fmt::format("+{}", a));
  std::vector<std::vector<std::string>> body;
  size_t row_index = 0;
  for (const auto& c : cells) {
    while (cohorts[row_index] != c.cohort) ++row_index;
    const ratio v = c.revenue_retention();
    const double cx = left + cell_w * double(c.age),
                 cy = kTop + 18 + cell_h * double(row_index);
    svg += fmt::format(
        R"(<rect class="cell" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"><title>{} +{}: {}</title></rect>)",
        num(cx), num(cy), num(cell_w), cell_h, heat(v),
        html_escape(r.options.scheme.label(c.cohort)), c.age,
        html_escape(format_percent(v, 1)));
    if (labels && v.defined()) {
      svg += fmt::format(
          R"(<text class="cellvalue" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>)",
          num(cx + cell_w / 2), num(cy + 13),
          ratio_value(v) > 0.75 ? "#fff" : "#111",
          fmt::format("{:.0f}", double(v.rounded(2))));
    }
    if (body.size() <= row_index) {
      body.push_back({r.options.scheme.label(c.cohort),
                      std::to_string(c.customers),
                      money_text(c.starting_mrr, arr)});
      body.back().resize(head.size());
    }
    body[row_index][size_t(3 + c.age)] = format_percent(v, 1);
  }
  svg += "</svg>\n";
  return "<section><h2>Cohorts: revenue retention by age</h2>\n" + svg +
         "<div class=\"wide\">" + table(head, body) + "</div></section>\n";
}

constexpr const char* kStyle = R"(
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111;margin:24px auto;max-width:800px;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin:0}h2{font-size:1.15em;margin:1.4em 0 .4em}header p{color:#444;margin:.2em 0 0}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:10px 16px;min-width:160px}
.card .label{color:#444;font-size:.9em}.card .value{font-size:1.9em;font-weight:600}.card .change{color:#444;font-size:.85em}
svg{max-width:100%;height:auto;display:block}svg text{font-size:11px;fill:#333}svg .axis{font-size:12px;fill:#111}
svg .value{font-size:10px;fill:#111}svg .cellvalue{font-size:9px}svg .legend{font-size:12px}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0 0}th,td{padding:2px 10px;border-bottom:1px solid #e4e4e4;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
footer{color:#666;font-size:.8em;margin-top:2em}.wide{overflow-x:auto}.wide table{font-size:.75em}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none}svg,.cards{break-inside:avoid}h2{break-after:avoid}
.wide{overflow:visible}.wide table{font-size:5.5pt}.wide th,.wide td{padding:1px 2px}}
)";

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_html(const report& r,
                        const std::vector<cohort_cell>& cohorts,
                        const html_options& options) {
  const auto rows = totals(r);
  std::string range;
  if (!rows.empty()) {
    range = fmt::format("{} to {}", format_date(rows.front()->start_date),
                        format_date(rows.back()->end_date));
  }
  const auto& o = r.options;
  const char* kinds[] = {"monthly", "quarterly", "yearly"};
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
      "name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>{}</"
      "title><style>{}</style></head>\n<body>\n"
      "<header><h1>{}</h1><p>{}{} periods, window {}, reactivation "
      "{}{}</p></header>\n",
      html_escape(options.title), kStyle, html_escape(options.title),
      range.empty() ? "" : html_escape(range) + " · ",
      kinds[int(o.scheme.kind)], o.window,
      o.reactivation == reactivation_policy::separate ? "separate" : "include",
      options.arr ? " · money as ARR (×12)" : "");
  if (options.skipped_rows > 0) {
    std::string where;
    for (const auto& place : options.skipped_first)
      where += (where.empty() ? "" : ", ") + place;
    out += fmt::format(
        "<p class=\"skipped\">{} bad row{} skipped (--skip-bad-rows) and left "
        "out of these "
        "numbers: {}{}.</p>\n",
        options.skipped_rows, options.skipped_rows == 1 ? " was" : "s were",
        html_escape(where),
        options.skipped_rows > options.skipped_first.size() ? ", …" : "");
  }
  if (rows.empty()) {
    out +=
        "<p class=\"empty\">No report rows: no period has a snapshot date both "
        "in it and one "
        "window before it.</p>\n";
  } else {
    out += headline(r, rows);
    out += opening(r, options.arr);
    out += line_chart(r, rows);
    out += bridge_chart(r, *rows.back(), options.arr);
    if (r.segmented) out += segment_chart(r);
  }
  if (!cohorts.empty()) out += cohort_chart(r, cohorts, options.arr);
  out += "<footer>Made by ndr";
  if (!options.stamp.empty()) out += " on " + html_escape(options.stamp);
  out +=
      ". NDR = ending MRR of the starting customers ÷ their starting MRR; GRR "
      "leaves out "
      "expansion; reactivation and new customers are outside "
      "both.</footer>\n</body></html>\n";
  return out;
}

}  // namespace ndr
