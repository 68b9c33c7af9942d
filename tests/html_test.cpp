#include "ndr/html.h"

#include <catch2/catch.hpp>

#include "ndr/load.h"

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos;
       p = text.find(what, p + 1))
    ++n;
  return n;
}

ndr::html_options titled(const char* title) {
  ndr::html_options o;
  o.title = title;
  return o;
}

std::string page(const std::string& rows,
                 std::vector<std::string> segments = {},
                 ndr::html_options options = {}) {
  ndr::load_options o;
  o.segment_cols = std::move(segments);
  const auto store = ndr::load_texts({{"h.csv", rows}}, o);
  const auto r = ndr::build_report(store, {});
  return ndr::render_html(r, ndr::build_cohorts(store, {}), options);
}

const char* kTiny =
    "customer_id,date,mrr,plan\n"
    "A,2024-01-31,40000,pro\nB,2024-01-31,30000,pro\nC,2024-01-31,20000,<b>\nD,"
    "2024-01-31,10000,pro\n"
    "A,2024-02-29,55000,pro\nB,2024-02-29,35000,pro\nC,2024-02-29,15000,<b>\nE,"
    "2024-02-29,8000,new\n"
    "A,2024-03-31,55000,pro\nB,2024-03-31,36000,pro\nC,2024-03-31,15000,<b>\nD,"
    "2024-03-31,12000,pro\n";

}  // namespace

TEST_CASE(
    "the html page holds every chart with its table, and nothing from "
    "outside") {
  const std::string html = page(kTiny, {"plan"}, titled("Board pack"));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<title>Board pack</title>") != std::string::npos);
  CHECK(count(html, "<polyline class=\"series\"") == 3);
  CHECK(count(html, "<rect class=\"bar\" data-step=") == 7);
  CHECK(count(html, "<rect class=\"cell\"") ==
        5);  // cohorts 2024-01 (3 ages) and 2024-02 (2)
  CHECK(count(html, "<table>") == 4);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(count(html, "http://") ==
        count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  // The headline: 2024-03 NDR 93.8 % against 105.0 % in 2024-02.
  CHECK(html.find("<div class=\"value\">93.8%</div><div class=\"change\">−11.2 "
                  "pp vs 2024-02</div>") != std::string::npos);
  // Segment values are escaped.
  CHECK(html.find("&lt;b&gt;") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  // The bridge's numbers come from the exact formatters.
  CHECK(html.find(
            "<th scope=\"row\">Starting</th><td class=\"n\">113,000.00</td>") !=
        std::string::npos);
  CHECK(
      html.find("<th scope=\"row\">Churn</th><td class=\"n\">−8,000.00</td>") !=
      std::string::npos);
}

TEST_CASE("the html page is the same bytes every time unless stamped") {
  CHECK(page(kTiny) == page(kTiny));
  ndr::html_options stamped;
  stamped.stamp = "2026-11-23 10:00 UTC";
  CHECK(page(kTiny, {}, stamped).find("Made by ndr on 2026-11-23 10:00 UTC.") !=
        std::string::npos);
  CHECK(page(kTiny).find("Made by ndr.") != std::string::npos);
}

TEST_CASE("one period, and no period at all") {
  const std::string one =
      page("customer_id,date,mrr\na,2024-01-31,1\na,2024-02-29,2\n");
  CHECK(count(one, "<polyline class=\"series\"") == 3);
  CHECK(one.find("points=\"") != std::string::npos);
  const std::string none = page("customer_id,date,mrr\na,2024-01-31,1\n");
  CHECK(none.find("No report rows") != std::string::npos);
  CHECK(count(none, "<polyline") == 0);
  CHECK(count(none, "<rect class=\"cell\"") ==
        1);  // the lone cohort still shows
}

TEST_CASE(
    "an empty cohort leaves ratios out of the chart and says so in the table") {
  const std::string html =
      page("customer_id,date,mrr\na,2024-01-31,0\na,2024-02-29,5\n");
  CHECK(html.find("points=\"\"") != std::string::npos);
  CHECK(html.find("<div class=\"value\">—</div>") != std::string::npos);
}

TEST_CASE("120 periods keep their labels readable") {
  std::string rows = "customer_id,date,mrr\n";
  for (int m = 0; m < 121; ++m) {
    rows += "a," + std::to_string(2000 + m / 12) + "-" +
            (m % 12 < 9 ? "0" : "") + std::to_string(m % 12 + 1) + ",1\n";
  }
  const std::string html = page(rows);
  const size_t chart_end = html.find("</svg>");
  const std::string chart = html.substr(0, chart_end);
  CHECK(count(chart, "text-anchor=\"middle\">2") <= 12);
}

TEST_CASE("html escaping") {
  CHECK(ndr::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
}

TEST_CASE("skipped rows are said at the top of the page") {
  ndr::html_options o;
  CHECK(page(kTiny, {}, o).find("class=\"skipped\"") == std::string::npos);
  o.skipped_rows = 7;
  o.skipped_first = {"a.csv:3", "<b>.csv:4"};
  CHECK(
      page(kTiny, {}, o)
          .find(
              "<p class=\"skipped\">7 bad rows were skipped (--skip-bad-rows) "
              "and left out of these numbers: a.csv:3, &lt;b&gt;.csv:4, …."
              "</p>") != std::string::npos);
}
