#include "ndr/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <span>
#include <string_view>

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

// SVG pieces the charts share. Coordinates print as they are passed: a double
// in its shortest form ("64"), a num() string with one decimal ("64.0"); each
// chart passes the form it has always printed, so its bytes stay the same.

// The <svg> start tag and its accessible title; `name` makes the ids.
std::string svg_open(std::string_view name, const auto& height,
                     const std::string& title) {
  return fmt::format(
      "<svg id=\"chart-{0}\" role=\"img\" aria-labelledby=\"{0}-title\" "
      "viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{0}-title\">{3}"
      "</title>",
      name, kWidth, height, html_escape(title));
}

// The end points of a <line>, as attributes.
std::string line_ends(const auto& x1, const auto& x2, const auto& y1,
                      const auto& y2) {
  return fmt::format(R"(x1="{}" x2="{}" y1="{}" y2="{}")", x1, x2, y1, y2);
}

// The box of a <rect>, as attributes.
std::string rect_box(const auto& x, const auto& y, const auto& width,
                     const auto& height) {
  return fmt::format(R"(x="{}" y="{}" width="{}" height="{}")", x, y, width,
                     height);
}

// A label on an axis or beside a row of the chart.
std::string tick_text(const auto& x, const auto& y, std::string_view anchor,
                      const std::string& text) {
  return fmt::format(
      R"(<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>)", x, y,
      anchor, html_escape(text));
}

std::string percent_tick(double t) { return fmt::format("{:.0f} %", t * 100); }

// The dashed line at 100 %, where a ratio neither gains nor loses.
std::string reference_line(const auto& x1, const auto& x2, const auto& y1,
                           const auto& y2) {
  return "<line class=\"reference\" " + line_ends(x1, x2, y1, y2) +
         R"( stroke="#222" stroke-width="1.5" stroke-dasharray="8 4"/>)";
}

// An axis title under the plot, centred on x.
std::string axis_title(const auto& x, const auto& y, std::string_view text) {
  return fmt::format(
      R"(<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>)", x,
      y, text);
}

// An axis title turned to read upwards along the left edge, centred on y.
std::string vertical_axis_title(double y, std::string_view text) {
  return fmt::format(
      R"(<text class="axis" transform="translate(14 {}) rotate(-90) " text-anchor="middle">{}</text>)",
      y, text);
}

// A chart and its table under a heading.
std::string section(const std::string& title, const std::string& body) {
  return "<section><h2>" + html_escape(title) + "</h2>\n" + body +
         "</section>\n";
}

using metric = ratio (report_row::*)() const;
// NDR, GRR and logo retention, in the order of kSeries.
constexpr metric kMetrics[] = {&report_row::ndr, &report_row::grr,
                               &report_row::logo_retention};

// The defined values of `metrics`, row by row: what a ratio axis must span.
std::vector<double> defined_values(const std::vector<const report_row*>& rows,
                                   std::span<const metric> metrics) {
  std::vector<double> values;
  for (const auto* row : rows) {
    for (const metric get : metrics) {
      const ratio v = (row->*get)();
      if (v.defined()) values.push_back(ratio_value(v));
    }
  }
  return values;
}

// A row's NDR, GRR and logo retention as table cells, after `cells`.
void add_percents(std::vector<std::string>& cells, const report_row& row) {
  for (const metric get : kMetrics)
    cells.push_back(format_percent((row.*get)(), 1));
}

constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kLineHeight = 300,
                 kLinePlotHeight = kLineHeight - kTop - kBottom;

// Where the retention chart puts period i and a ratio.
struct line_layout {
  chart::linear_scale y;
  double slot;  // the width of one period
  double x(size_t i) const { return kLeft + slot * (double(i) + 0.5); }
};

// Horizontal gridlines at the ratio ticks, labelled on the left.
std::string ratio_rows(const std::vector<double>& ticks,
                       const chart::linear_scale& y) {
  std::string svg;
  for (double t : ticks) {
    svg += "<line class=\"grid\" " +
           line_ends(kLeft, kLeft + kPlotWidth, num(y(t)), num(y(t))) +
           R"( stroke="#ddd"/>)" +
           tick_text(kLeft - 6, num(y(t) + 4), "end", percent_tick(t));
  }
  return svg;
}

// The period labels under the plot, as many as fit.
std::string period_labels(const report& r,
                          const std::vector<const report_row*>& rows,
                          const line_layout& at) {
  const auto show = chart::label_every(rows.size(), 12);
  std::string svg;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!show[i]) continue;
    svg += tick_text(num(at.x(i)), kTop + kLinePlotHeight + 16, "middle",
                     r.options.scheme.label(rows[i]->period));
  }
  return svg;
}

// Series s as a line through its defined points, with a marker on each.
std::string series_line(const std::vector<const report_row*>& rows, size_t s,
                        const line_layout& at) {
  const series_style& style = kSeries[s];
  std::string points, markers;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ratio v = (rows[i]->*kMetrics[s])();
    if (!v.defined()) continue;
    const double y = at.y(ratio_value(v));
    points +=
        fmt::format("{}{},{}", points.empty() ? "" : " ", num(at.x(i)), num(y));
    markers += marker(style.marker, at.x(i), y, style.colour);
  }
  return fmt::format(
             R"(<polyline class="series" data-series="{}" points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>)",
             style.name, points, style.colour, style.dash) +
         markers;
}

// Each series' line, marker and name, side by side across the top.
std::string legend() {
  std::string svg;
  for (size_t s = 0; s < std::size(kSeries); ++s) {
    const series_style& style = kSeries[s];
    const double lx = kLeft + 8 + double(s) * 150;
    svg += fmt::format(
        R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>{}<text class="legend" x="{}" y="{}">{}</text>)",
        lx, lx + 24, kTop + 8, kTop + 8, style.colour, style.dash,
        marker(style.marker, lx + 12, kTop + 8, style.colour), lx + 30,
        kTop + 12, style.name);
  }
  return svg;
}

std::string retention_table(const report& r,
                            const std::vector<const report_row*>& rows) {
  std::vector<std::vector<std::string>> body;
  for (const auto* row : rows) {
    body.push_back({r.options.scheme.label(row->period)});
    add_percents(body.back(), *row);
  }
  return table({"Period", "NDR", "GRR", "Logo retention"}, body);
}

std::string line_chart(const report& r,
                       const std::vector<const report_row*>& rows) {
  const auto ticks = chart::ratio_ticks(defined_values(rows, kMetrics));
  const line_layout at{
      {ticks.front(), ticks.back(), kTop + kLinePlotHeight, kTop},
      kPlotWidth / double(rows.size())};
  std::string svg = svg_open("retention", kLineHeight,
                             "NDR, GRR and logo retention per period");
  svg += ratio_rows(ticks, at.y);
  svg += reference_line(kLeft, kLeft + kPlotWidth, num(at.y(1)), num(at.y(1)));
  svg += period_labels(r, rows, at);
  svg += axis_title(kLeft + kPlotWidth / 2, kLineHeight - 6, "Period");
  svg += vertical_axis_title(kTop + kLinePlotHeight / 2, "Retention");
  for (size_t s = 0; s < std::size(kSeries); ++s)
    svg += series_line(rows, s, at);
  svg += legend() + "</svg>\n";
  return section("Retention over time", svg + retention_table(r, rows));
}

constexpr double kBridgeHeight = 320,
                 kBridgePlotHeight = kBridgeHeight - kTop - kBottom;

// One bar of the bridge.
struct bridge_step {
  const char* name;
  const char* colour;
  const char* sign;  // printed before the amount; "−" also draws it downwards
  money amount;
};
// Starting to Ending are the NDR waterfall; the bars after them stand beside
// it, outside NDR.
constexpr size_t kWaterfallSteps = 5;
using bridge_steps = std::array<bridge_step, 7>;

bridge_steps steps_of(const report_row& row) {
  return {{{"Starting", "#6B6B6B", "", row.starting_mrr},
           {"Expansion", "#009E73", "+", row.expansion_mrr},
           {"Contraction", "#E69F00", "−", row.contraction_mrr},
           {"Churn", "#D55E00", "−", row.churned_mrr},
           {"Ending", "#6B6B6B", "", row.ending_mrr()},
           {"Reactivation", "#56B4E9", "+", row.reactivation_mrr},
           {"New", "#CC79A7", "+", row.new_mrr}}};
}

std::vector<chart::bar> bridge_bars(const bridge_steps& steps, bool arr) {
  std::vector<std::int64_t> waterfall, beside;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::int64_t units = shown(steps[i].amount, arr).units();
    (i < kWaterfallSteps ? waterfall : beside)
        .push_back(std::string_view(steps[i].sign) == "−" ? -units : units);
  }
  return chart::waterfall(waterfall, beside, kLeft, kTop + 16, kPlotWidth,
                          kBridgePlotHeight - 16, 18);
}

// The dashed divider after the ending bar, captioned "outside NDR".
std::string outside_ndr_divider(const chart::bar& ending) {
  const double split = ending.x + ending.width + 9;
  return "<line " +
         line_ends(num(split), num(split), kTop, kTop + kBridgePlotHeight) +
         R"( stroke="#999" stroke-dasharray="4 3"/>)" +
         tick_text(num((split + kLeft + kPlotWidth) / 2), kTop + 10, "middle",
                   "outside NDR");
}

// A bridge bar with its tooltip, its amount above it and its name below.
std::string bridge_bar(const chart::bar& b, const bridge_step& step, bool arr) {
  const std::string amount = step.sign + money_text(step.amount, arr);
  return fmt::format(
             R"(<rect class="bar" data-step="{}" {} fill="{}"><title>{}: {}</title></rect>)",
             step.name,
             rect_box(num(b.x), num(b.y), num(b.width),
                      num(std::max(b.height, 0.5))),
             step.colour, step.name, amount) +
         fmt::format(
             R"(<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>)",
             num(b.x + b.width / 2), num(b.y - 4), amount) +
         tick_text(num(b.x + b.width / 2), kTop + kBridgePlotHeight + 16,
                   "middle", step.name);
}

std::string bridge_table(const report& r, const report_row& row,
                         const bridge_steps& steps, const std::string& unit,
                         bool arr) {
  std::vector<std::vector<std::string>> body;
  for (const auto& step : steps)
    body.push_back({step.name, step.sign + money_text(step.amount, arr)});
  // --fx: what exchange rates did to the ending amount (docs/inputs.md).
  if (r.fx) {
    body.push_back({"FX impact (ending at spot rates − in constant currency)",
                    money_text(row.fx_impact_mrr, arr)});
  }
  return table({"Step", unit}, body);
}

std::string bridge_chart(const report& r, const report_row& row, bool arr) {
  const std::string unit = arr ? "ARR" : "MRR";
  const std::string title =
      unit + " bridge, " + r.options.scheme.label(row.period);
  const bridge_steps steps = steps_of(row);
  const auto bars = bridge_bars(steps, arr);
  std::string svg = svg_open("bridge", kBridgeHeight, title);
  svg += "<line " +
         line_ends(kLeft, kLeft + kPlotWidth, kTop + kBridgePlotHeight,
                   kTop + kBridgePlotHeight) +
         R"( stroke="#222"/>)";
  svg += outside_ndr_divider(bars[kWaterfallSteps - 1]);
  for (size_t i = 0; i < bars.size(); ++i)
    svg += bridge_bar(bars[i], steps[i], arr);
  svg += vertical_axis_title(kTop + kBridgePlotHeight / 2, unit);
  svg += "</svg>\n";
  return section(title, svg + bridge_table(r, row, steps, unit, arr));
}

constexpr double kSegmentLeft = 200, kSegmentBar = 22,
                 kSegmentPlotWidth = kWidth - kSegmentLeft - kRight;

// The latest period's rows of each segment, in report order.
std::vector<const report_row*> latest_segments(const report& r) {
  std::vector<const report_row*> rows;
  const std::int64_t latest = r.rows.back().period;
  for (const auto& row : r.rows) {
    if (row.period == latest && row.segment != kAllSegments)
      rows.push_back(&row);
  }
  return rows;
}

// Vertical gridlines at the ratio ticks down to `bottom`, labelled below it.
std::string ratio_columns(const std::vector<double>& ticks,
                          const chart::linear_scale& x, double bottom) {
  std::string svg;
  for (double t : ticks) {
    svg += "<line " + line_ends(num(x(t)), num(x(t)), kTop, num(bottom)) +
           R"( stroke="#ddd"/>)" +
           tick_text(num(x(t)), num(bottom + 16), "middle", percent_tick(t));
  }
  return svg;
}

// Segment i: its name, a bar for its NDR where it has one, and the value.
std::string segment_bar(const report_row& row, size_t i,
                        const chart::linear_scale& x) {
  const double top = kTop + kSegmentBar * double(i);
  const ratio v = row.ndr();
  std::string svg =
      tick_text(kSegmentLeft - 6, num(top + 15), "end", row.segment);
  if (v.defined()) {
    svg += fmt::format(
        R"(<rect class="bar" {} fill="#0072B2"><title>{}: {}</title></rect>)",
        rect_box(kSegmentLeft, num(top + 3),
                 num(std::max(x(ratio_value(v)) - kSegmentLeft, 0.5)),
                 kSegmentBar - 6),
        html_escape(row.segment), format_percent(v, 1));
  }
  return svg +
         fmt::format(R"(<text class="value" x="{}" y="{}">{}</text>)",
                     num((v.defined() ? x(ratio_value(v)) : kSegmentLeft) + 4),
                     num(top + 15), html_escape(format_percent(v, 1)));
}

std::string segment_table(const std::vector<const report_row*>& rows) {
  std::vector<std::vector<std::string>> body;
  for (const auto* row : rows) {
    body.push_back({row->segment, std::to_string(row->cohort_customers)});
    add_percents(body.back(), *row);
  }
  return table({"Segment", "Customers", "NDR", "GRR", "Logo retention"}, body);
}

std::string segment_chart(const report& r) {
  const auto rows = latest_segments(r);
  const std::string title =
      "NDR by segment, " + r.options.scheme.label(r.rows.back().period);
  const double height = kTop + kSegmentBar * double(rows.size()) + kBottom;
  const metric ndr_only[] = {&report_row::ndr};
  std::vector<double> values = defined_values(rows, ndr_only);
  values.push_back(0);  // the bars start at 0
  const auto ticks = chart::ratio_ticks(values);
  const chart::linear_scale x{0, ticks.back(), kSegmentLeft,
                              kSegmentLeft + kSegmentPlotWidth};
  std::string svg = svg_open("segments", num(height), title);
  svg += ratio_columns(ticks, x, height - kBottom);
  for (size_t i = 0; i < rows.size(); ++i) svg += segment_bar(*rows[i], i, x);
  svg += reference_line(num(x(1)), num(x(1)), kTop, num(height - kBottom));
  svg += axis_title(num(kSegmentLeft + kSegmentPlotWidth / 2), num(height - 8),
                    "NDR");
  svg += "</svg>\n";
  return section(title, svg + segment_table(rows));
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

constexpr double kCohortLeft = 80, kCohortTop = kTop + 18, kCohortCell = 18;

// The triangle's rows and columns: a row per cohort, a column per age.
struct cohort_grid {
  std::vector<std::int64_t> cohorts;  // each row's cohort, as cells list them
  std::vector<size_t> row_of;         // each cell's row
  std::int64_t max_age = 0;
  double cell_w = 0;
  bool values_fit = false;  // whether a cell is wide enough to print its value
  // The left edge of a column, or a point inside it (column + 0.5: its middle).
  double x(double column) const { return kCohortLeft + cell_w * column; }
  double height() const {
    return kCohortTop + kCohortCell * double(cohorts.size()) + 8;
  }
};

cohort_grid grid_of(const std::vector<cohort_cell>& cells) {
  cohort_grid g;
  for (const auto& c : cells) {
    if (g.cohorts.empty() || g.cohorts.back() != c.cohort)
      g.cohorts.push_back(c.cohort);
    g.row_of.push_back(g.cohorts.size() - 1);
    g.max_age = std::max(g.max_age, c.age);
  }
  g.cell_w =
      std::min(44.0, (kWidth - kCohortLeft - kRight) / double(g.max_age + 1));
  g.values_fit = g.cell_w >= 30;
  return g;
}

// The ages across the top, as many as fit, and the cohorts down the left.
std::string cohort_labels(const report& r, const cohort_grid& g) {
  std::string svg;
  const auto show = chart::label_every(size_t(g.max_age + 1), 16);
  for (std::int64_t a = 0; a <= g.max_age; ++a) {
    if (!show[size_t(a)]) continue;
    svg += tick_text(num(g.x(double(a) + 0.5)), kTop + 10, "middle",
                     fmt::format("+{}", a));
  }
  for (size_t i = 0; i < g.cohorts.size(); ++i) {
    svg += tick_text(kCohortLeft - 6,
                     num(kCohortTop + kCohortCell * (double(i) + 0.7)), "end",
                     r.options.scheme.label(g.cohorts[i]));
  }
  return svg;
}

// A cell coloured by its revenue retention, with the value where it fits.
std::string cohort_cell_svg(const report& r, const cohort_cell& c, size_t row,
                            const cohort_grid& g) {
  const ratio v = c.revenue_retention();
  const double cx = g.x(double(c.age)),
               cy = kCohortTop + kCohortCell * double(row);
  std::string svg = fmt::format(
      R"(<rect class="cell" {} fill="{}" stroke="#fff"><title>{} +{}: {}</title></rect>)",
      rect_box(num(cx), num(cy), num(g.cell_w), kCohortCell), heat(v),
      html_escape(r.options.scheme.label(c.cohort)), c.age,
      html_escape(format_percent(v, 1)));
  if (g.values_fit && v.defined()) {
    svg += fmt::format(
        R"(<text class="cellvalue" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>)",
        num(cx + g.cell_w / 2), num(cy + 13),
        ratio_value(v) > 0.75 ? "#fff" : "#111",
        fmt::format("{:.0f}", double(v.rounded(2))));
  }
  return svg;
}

// The table is the triangle itself: one row per cohort, one column per age.
std::string cohort_table(const report& r, const std::vector<cohort_cell>& cells,
                         const cohort_grid& g, bool arr) {
  std::vector<std::string> head{"Cohort", "Customers",
                                "Starting " + std::string(arr ? "ARR" : "MRR")};
  for (std::int64_t a = 0; a <= g.max_age; ++a)
    head.push_back(fmt::format("+{}", a));
  std::vector<std::vector<std::string>> body;
  for (size_t i = 0; i < cells.size(); ++i) {
    const cohort_cell& c = cells[i];
    if (body.size() <= g.row_of[i]) {
      body.push_back({r.options.scheme.label(c.cohort),
                      std::to_string(c.customers),
                      money_text(c.starting_mrr, arr)});
      body.back().resize(head.size());
    }
    body[g.row_of[i]][size_t(3 + c.age)] =
        format_percent(c.revenue_retention(), 1);
  }
  return table(head, body);
}

std::string cohort_chart(const report& r, const std::vector<cohort_cell>& cells,
                         bool arr) {
  const cohort_grid g = grid_of(cells);
  std::string svg = svg_open("cohorts", num(g.height()),
                             "Revenue retention by acquisition cohort and age");
  svg += cohort_labels(r, g);
  for (size_t i = 0; i < cells.size(); ++i)
    svg += cohort_cell_svg(r, cells[i], g.row_of[i], g);
  svg += "</svg>\n";
  return section(
      "Cohorts: revenue retention by age",
      svg + "<div class=\"wide\">" + cohort_table(r, cells, g, arr) + "</div>");
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
