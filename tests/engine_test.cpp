#include "ndr/engine.h"

#include <catch2/catch.hpp>

#include "ndr/format.h"

using ndr::money;
using ndr::reactivation_policy;
using ndr::report;
using ndr::report_options;
using ndr::report_row;

namespace {

report run(const std::string& rows, report_options o = {}) {
  const auto store =
      ndr::load_texts({{"t.csv", "customer_id,date,mrr\n" + rows}}, {});
  return ndr::build_report(store, o);
}

money m(std::int64_t whole) { return money::from_whole(whole); }

// SPEC §3's invariant, checked independently of the engine's own assert.
void check_invariant(const report& r) {
  for (const auto& row : r.rows) {
    money rhs = row.ending_mrr();
    REQUIRE(rhs.add(row.reactivation_mrr));
    REQUIRE(rhs.add(row.new_mrr));
    CHECK(row.end_total_mrr == rhs);
  }
}

}  // namespace

TEST_CASE("SPEC worked check 1 at customer level: NDR 105.00 %, GRR 85.00 %") {
  const auto r =
      run("A,2024-01-31,40000\nB,2024-01-31,30000\nC,2024-01-31,20000\nD,2024-"
          "01-31,10000\n"
          "A,2024-02-29,55000\nB,2024-02-29,35000\nC,2024-02-29,15000\nE,2024-"
          "02-29,8000\n");
  REQUIRE(r.rows.size() == 1);
  const report_row& row = r.rows[0];
  CHECK(row.starting_mrr == m(100000));
  CHECK(row.expansion_mrr == m(20000));
  CHECK(row.contraction_mrr == m(5000));
  CHECK(row.churned_mrr == m(10000));
  CHECK(row.ending_mrr() == m(105000));
  CHECK(ndr::format_ratio(row.ndr()) == "1.0500");
  CHECK(ndr::format_ratio(row.grr()) == "0.8500");
  CHECK(ndr::format_ratio(row.logo_retention()) == "0.7500");
  CHECK(row.cohort_customers == 4);
  CHECK(row.retained_customers() == 3);
  CHECK(row.expanded_customers == 2);
  CHECK(row.contracted_customers == 1);
  CHECK(row.churned_customers == 1);
  CHECK(row.new_mrr == m(8000));
  CHECK(row.new_customers == 1);
  check_invariant(r);
}

TEST_CASE("SPEC worked check 2: NDR 107.67 %") {
  const auto r =
      run("F,2024-01-31,100000\nG,2024-01-31,46500\nH,2024-01-31,3500\n"
          "F,2024-02-29,125000\nG,2024-02-29,36500\n");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].starting_mrr == m(150000));
  CHECK(ndr::format_ratio(r.rows[0].ndr()) == "1.0767");
  CHECK(ndr::format_ratio(r.rows[0].grr()) == "0.9100");
}

TEST_CASE("every movement class under both reactivation policies") {
  // Jan → Mar with window 2; Feb lies strictly between.
  const std::string data =
      "flat,2024-01-31,10\nflat,2024-02-29,10\nflat,2024-03-31,10\n"
      "up,2024-01-31,10\nup,2024-02-29,10\nup,2024-03-31,15\n"
      "down,2024-01-31,10\ndown,2024-02-29,10\ndown,2024-03-31,4\n"
      "gone,2024-01-31,10\ngone,2024-02-29,10\n"
      "dip_up,2024-01-31,10\ndip_up,2024-03-31,30\n"  // dipped, returns higher
      "dip_gone,2024-01-31,10\n"                      // dipped, stays gone
      "back,2023-12-31,9\nback,2024-03-31,7\n"  // outside the cohort, paid
                                                // before
      "zero_back,2023-12-31,0\nzero_back,2024-03-31,2\n"  // only a zero before:
                                                          // new
      "fresh,2024-02-29,5\nfresh,2024-03-31,6\n";  // first seen after the start
  report_options o;
  o.window = 2;
  o.from = o.to = ndr::period_scheme{}.parse_label("2024-03");

  SECTION("separate: a dip is churn, the return is reactivation") {
    const auto r = run(data, o);
    REQUIRE(r.rows.size() == 1);
    const auto& row = r.rows[0];
    CHECK(row.cohort_customers == 6);
    CHECK(row.starting_mrr == m(60));
    CHECK(row.expanded_customers == 1);
    CHECK(row.expansion_mrr == m(5));
    CHECK(row.contracted_customers == 1);
    CHECK(row.contraction_mrr == m(6));
    CHECK(row.churned_customers == 3);  // gone, dip_up, dip_gone
    CHECK(row.churned_mrr == m(30));
    CHECK(row.ending_mrr() == m(29));
    CHECK(row.reactivated_customers == 2);  // dip_up (30) and back (7)
    CHECK(row.reactivation_mrr == m(37));
    CHECK(row.new_customers == 2);  // zero_back (2) and fresh (6)
    CHECK(row.new_mrr == m(8));
    CHECK(row.end_total_mrr == m(10 + 15 + 4 + 30 + 7 + 2 + 6));
    check_invariant(r);
  }
  SECTION("include: dips are ignored") {
    o.reactivation = reactivation_policy::include;
    const auto r = run(data, o);
    REQUIRE(r.rows.size() == 1);
    const auto& row = r.rows[0];
    CHECK(row.cohort_customers == 6);
    CHECK(row.expanded_customers == 2);  // up, dip_up
    CHECK(row.expansion_mrr == m(25));
    CHECK(row.contracted_customers == 1);
    CHECK(row.churned_customers == 2);  // gone, dip_gone
    CHECK(row.churned_mrr == m(20));
    CHECK(row.ending_mrr() == m(59));
    CHECK(row.reactivated_customers == 1);  // back
    CHECK(row.reactivation_mrr == m(7));
    CHECK(row.new_mrr == m(8));
    check_invariant(r);
  }
}

TEST_CASE("a snapshot date with a partial picture makes absent customers dip") {
  // b has no row on 2024-02-15: its MRR is 0 there (SPEC §1).
  const auto r =
      run("a,2024-01-31,10\nb,2024-01-31,10\na,2024-02-15,10\n"
          "a,2024-02-29,10\nb,2024-02-29,10\n");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].start_date == *ndr::parse_date("2024-01-31"));
  CHECK(r.rows[0].end_date ==
        *ndr::parse_date("2024-02-29"));  // the latest date in Feb
  CHECK(r.rows[0].churned_customers == 1);
  CHECK(r.rows[0].reactivated_customers == 1);
  CHECK(r.rows[0].reactivation_mrr == m(10));
  check_invariant(r);
}

TEST_CASE("rows exist only where both ends have a period-end snapshot") {
  // No snapshot in March: no row for 2024-03 (no end) or 2024-04 (no start).
  const std::string data =
      "a,2024-01-31,1\na,2024-02-29,1\na,2024-04-30,1\na,2024-05-31,1\n";
  const auto r = run(data);
  REQUIRE(r.rows.size() == 2);
  CHECK(ndr::period_scheme{}.label(r.rows[0].period) == "2024-02");
  CHECK(ndr::period_scheme{}.label(r.rows[1].period) == "2024-05");
  report_options w3;
  w3.window = 3;
  const auto r3 = run(data, w3);
  REQUIRE(r3.rows.size() == 2);  // Jan→Apr, Feb→May
  CHECK(r3.rows[0].start_date == *ndr::parse_date("2024-01-31"));
  CHECK(r3.rows[1].end_date == *ndr::parse_date("2024-05-31"));
}

TEST_CASE("the period-end snapshot is the latest date inside the period") {
  report_options q;
  q.scheme.kind = ndr::period_kind::quarter;
  const auto r = run(
      "a,2024-03-15,1\na,2024-02-29,5\na,2024-05-31,2\na,2024-06-30,3\n", q);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].start_date == *ndr::parse_date("2024-03-15"));
  CHECK(r.rows[0].end_date == *ndr::parse_date("2024-06-30"));
  CHECK(r.rows[0].starting_mrr == m(1));
  CHECK(r.rows[0].expansion_mrr == m(2));
}

TEST_CASE(
    "an empty cohort gives undefined ratios; no rows when no period pairs") {
  const auto r = run("a,2024-01-31,0\na,2024-02-29,5\n");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].cohort_customers == 0);
  CHECK_FALSE(r.rows[0].ndr().defined());
  CHECK_FALSE(r.rows[0].grr().defined());
  CHECK_FALSE(r.rows[0].logo_retention().defined());
  CHECK(r.rows[0].new_mrr == m(5));
  CHECK(run("a,2024-01-31,1\n").rows.empty());
}

TEST_CASE("option --from and --to limit the rows shown, not the data used") {
  report_options o;
  o.from = ndr::period_scheme{}.parse_label("2024-03");
  o.to = ndr::period_scheme{}.parse_label("2024-03");
  const auto r = run("a,2024-01-31,1\na,2024-02-29,2\na,2024-03-31,4\n", o);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].starting_mrr == m(2));
  CHECK(r.rows[0].expansion_mrr == m(2));
}

TEST_CASE("fiscal quarters with a trailing window") {
  report_options o;
  o.scheme = {ndr::period_kind::quarter, 4};
  o.window = 4;  // year over year
  const auto r =
      run("a,2023-06-30,100\na,2024-06-30,150\nb,2023-06-30,50\n", o);
  REQUIRE(r.rows.size() == 1);
  CHECK(o.scheme.label(r.rows[0].period) == "FY2025-Q1");
  CHECK(ndr::format_ratio(r.rows[0].ndr()) == "1.0000");  // 150 / 150
  CHECK(ndr::format_ratio(r.rows[0].grr()) == "0.6667");  // 100 / 150
}

TEST_CASE("classifying on several threads gives what one thread gives") {
  std::string rows;
  for (int c = 0; c < 500; ++c) {
    for (int m = 1; m <= 9; ++m) {
      if ((c * 7 + m) % 5 == 0) continue;  // dips and churn
      rows += "c" + std::to_string(c) + ",2024-0" + std::to_string(m) + "," +
              std::to_string((c * m) % 97) + "\n";
    }
  }
  report_options one, many;
  one.parallel_work = UINT64_MAX;
  many.parallel_work = 0;
  one.window = many.window = 3;
  const auto a = run(rows, one), b = run(rows, many);
  const auto csv = [](const report& r) {
    return ndr::render_report(r,
                              ndr::format_options::of(ndr::output_format::csv));
  };
  CHECK(csv(a) == csv(b));
  CHECK(a.rows.size() == 6);
}

TEST_CASE(
    "a broken invariant is an internal error naming where, not bad input") {
  CHECK_THROWS_AS(ndr::check_invariant(false, "two and two"),
                  ndr::InternalError);
  CHECK_THROWS_WITH(
      ndr::check_invariant(false, "two and two"),
      Catch::Contains("engine_test.cpp:") && Catch::EndsWith(": two and two"));
  CHECK_NOTHROW(ndr::check_invariant(true, "two and two"));
  // A window below 1 is refused by the CLI; reaching the engine is a bug.
  report_options o;
  o.window = 0;
  CHECK_THROWS_AS(run("a,2024-01-31,1\na,2024-02-29,1\n", o),
                  ndr::InternalError);
}
