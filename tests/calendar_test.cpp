#include "ndr/calendar.h"

#include <catch2/catch.hpp>

using ndr::period_kind;
using ndr::period_scheme;

namespace {

std::string date(const char* text, const std::string& format = {}) {
  const auto d = ndr::parse_date(text, format);
  return d ? ndr::format_date(*d) : std::string("invalid");
}

std::string label(const char* day, period_kind kind, int fiscal_start = 1) {
  const period_scheme s{kind, fiscal_start};
  return s.label(s.index_of(*ndr::parse_date(day)));
}

}  // namespace

TEST_CASE("parse_date takes the layouts of SPEC §1") {
  CHECK(date("2024-01-31") == "2024-01-31");
  CHECK(date("2024-02") == "2024-02-29");  // a month means its last day
  CHECK(date("2023-02") == "2023-02-28");
  CHECK(date("2024-12") == "2024-12-31");
  CHECK(date("2024-01-31T00:00:00Z") == "2024-01-31");
  CHECK(date("2024-01-31T23:59:59+05:00") ==
        "2024-01-31");  // as written, no conversion
  CHECK(date("2024-01-31 12:00:00") == "2024-01-31");
  CHECK(date("1999-12-31") == "1999-12-31");
}

TEST_CASE("parse_date rejects impossible and foreign dates") {
  CHECK(date("2024-02-30") == "invalid");
  CHECK(date("2023-02-29") == "invalid");
  CHECK(date("2024-13-01") == "invalid");
  CHECK(date("2024-00") == "invalid");
  CHECK(date("2024-1-31") == "invalid");
  CHECK(date("31/01/2024") == "invalid");
  CHECK(date("2024-01-31x") == "invalid");
  CHECK(date("2024-01-31T") == "invalid");
  CHECK(date("") == "invalid");
  CHECK(date("2024") == "invalid");
}

TEST_CASE("option --date-format replaces the built-in layouts") {
  CHECK(date("01/31/2024", "%m/%d/%Y") == "2024-01-31");
  CHECK(date("02/30/2024", "%m/%d/%Y") == "invalid");
  CHECK(date("2024-01-31", "%m/%d/%Y") == "invalid");
  CHECK(date("01/31/2024 junk", "%m/%d/%Y") == "invalid");
  CHECK(date("31.01.2024", "%d.%m.%Y") == "2024-01-31");
}

TEST_CASE("calendar periods and their labels") {
  CHECK(label("2024-03-31", period_kind::month) == "2024-03");
  CHECK(label("2024-03-31", period_kind::quarter) == "2024-Q1");
  CHECK(label("2024-04-01", period_kind::quarter) == "2024-Q2");
  CHECK(label("2024-12-31", period_kind::quarter) == "2024-Q4");
  CHECK(label("2024-12-31", period_kind::year) == "2024");
}

TEST_CASE("fiscal years are named by the calendar year in which they end") {
  // Fiscal year starting in April: April 2024 .. March 2025 is FY2025.
  CHECK(label("2024-04-30", period_kind::quarter, 4) == "FY2025-Q1");
  CHECK(label("2024-06-30", period_kind::quarter, 4) == "FY2025-Q1");
  CHECK(label("2024-07-31", period_kind::quarter, 4) == "FY2025-Q2");
  CHECK(label("2025-01-31", period_kind::quarter, 4) == "FY2025-Q4");
  CHECK(label("2025-03-31", period_kind::quarter, 4) == "FY2025-Q4");
  CHECK(label("2024-03-31", period_kind::quarter, 4) == "FY2024-Q4");
  CHECK(label("2024-04-01", period_kind::year, 4) == "FY2025");
  CHECK(label("2024-03-31", period_kind::year, 4) == "FY2024");
  // February start: Feb 2024 .. Jan 2025 is FY2025.
  CHECK(label("2024-02-01", period_kind::year, 2) == "FY2025");
  CHECK(label("2024-01-31", period_kind::year, 2) == "FY2024");
  // December start: Dec 2023 .. Nov 2024 is FY2024.
  CHECK(label("2023-12-01", period_kind::quarter, 12) == "FY2024-Q1");
  CHECK(label("2024-11-30", period_kind::quarter, 12) == "FY2024-Q4");
  // Months keep calendar labels.
  CHECK(label("2024-04-30", period_kind::month, 4) == "2024-04");
}

TEST_CASE("consecutive periods have consecutive indexes across years") {
  const period_scheme q{period_kind::quarter, 4};
  const auto i = q.index_of(*ndr::parse_date("2025-01-15"));  // FY2025-Q4
  CHECK(q.label(i + 1) == "FY2026-Q1");
  CHECK(q.label(i - 4) == "FY2024-Q4");
  const period_scheme m{period_kind::month, 1};
  const auto j = m.index_of(*ndr::parse_date("2024-01-15"));
  CHECK(m.label(j - 1) == "2023-12");
  CHECK(m.label(j - 12) == "2023-01");
}

TEST_CASE("period labels parse back") {
  const period_scheme m{period_kind::month, 1};
  const period_scheme q{period_kind::quarter, 1};
  const period_scheme fq{period_kind::quarter, 4};
  const period_scheme fy{period_kind::year, 4};
  CHECK(m.label(*m.parse_label("2024-03")) == "2024-03");
  CHECK(q.label(*q.parse_label("2024-Q4")) == "2024-Q4");
  CHECK(fq.label(*fq.parse_label("FY2025-Q1")) == "FY2025-Q1");
  CHECK(fy.label(*fy.parse_label("FY2025")) == "FY2025");
  CHECK_FALSE(m.parse_label("2024-13"));
  CHECK_FALSE(q.parse_label("2024-Q5"));
  CHECK_FALSE(q.parse_label("2024-03"));
  CHECK_FALSE(fq.parse_label("2025-Q1"));  // fiscal labels carry FY
  CHECK_FALSE(fy.parse_label("2025"));
}

TEST_CASE("main_date_run: the run of most weight, cut at gaps over 10 years") {
  using ndr::parse_date;
  const auto d = [](const char* s) { return *parse_date(s); };
  const auto run = ndr::main_date_run(
      {{d("0001-01-01"), 1}, {d("2024-01-31"), 5}, {d("2024-02-29"), 5}});
  CHECK(run.first == d("2024-01-31"));
  CHECK(run.last == d("2024-02-29"));
  CHECK_FALSE(run.contains(d("0001-01-01")));
  // Ties: the earliest run.
  const auto tie =
      ndr::main_date_run({{d("2000-01-31"), 2}, {d("2020-01-31"), 2}});
  CHECK(tie.first == d("2000-01-31"));
  CHECK(tie.last == d("2000-01-31"));
  // 3,653 days apart is one run; 3,654 two.
  CHECK(ndr::main_date_run({{0, 1}, {3653, 1}}).last == 3653);
  CHECK(ndr::main_date_run({{0, 1}, {3654, 1}}).last == 0);
}

TEST_CASE(
    "a date error suggests --locale for a day-first date, and only then") {
  CHECK(ndr::invalid_date_message("31.01.2024", "").find("--locale de") !=
        std::string::npos);
  CHECK(ndr::invalid_date_message("31/01/2024", "").find("--locale fr") !=
        std::string::npos);
  CHECK(
      ndr::invalid_date_message("01/02/2024", "").find("day first or month") !=
      std::string::npos);
  // Long digit runs (the fuzzer's) are no date, and overflow nothing.
  CHECK(ndr::invalid_date_message("2019555555555.1.2024", "")
            .find("--date-format reads other layouts") != std::string::npos);
  CHECK(ndr::invalid_date_message("x", "%d.%m.%Y|") ==
        "invalid date 'x': expected '%d.%m.%Y' or YYYY-MM-DD");
  CHECK(ndr::parse_date("31.01.2024", "%d.%m.%Y|") ==
        ndr::parse_date("2024-01-31", ""));
  CHECK(ndr::parse_date("2024-01-31", "%d.%m.%Y|") ==
        ndr::parse_date("2024-01-31", ""));
}
