// SPEC §4 segments, the movements ledger and the cohort triangle.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "ndr/engine.h"
#include "ndr/format.h"

using ndr::money;
using ndr::report_options;

namespace {

ndr::snapshot_store load(const std::string& text,
                         std::vector<std::string> segments) {
  ndr::load_options o;
  o.segment_cols = std::move(segments);
  return ndr::load_texts({{"s.csv", text}}, o);
}

std::string csv(const ndr::report& r) {
  return ndr::render_report(r,
                            ndr::format_options::of(ndr::output_format::csv));
}

// The report's rows as "period segment starting→ending" strings.
std::vector<std::string> summary(const ndr::report& r) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) {
    out.push_back(r.options.scheme.label(row.period) + " " + row.segment + " " +
                  ndr::format_money(row.starting_mrr, 0) + "->" +
                  ndr::format_money(row.ending_mrr(), 0) + " +" +
                  ndr::format_money(row.reactivation_mrr, 0) + "r +" +
                  ndr::format_money(row.new_mrr, 0) + "n");
  }
  return out;
}

using v = std::vector<std::string>;

const char* kSwitching =
    "customer_id,date,mrr,plan\n"
    "a,2024-01-31,100,starter\n"
    "a,2024-02-29,150,pro\n"  // upgraded: the row still counts under starter
    "b,2024-01-31,50,pro\n"
    "b,2024-02-29,50,pro\n"
    "c,2024-02-29,30,\n"  // new, blank plan
    "d,2023-12-31,20,pro\n"
    "d,2024-02-29,25,starter\n";  // returning from outside: its end segment

}  // namespace

TEST_CASE(
    "a segment is frozen at the cohort's start; new and returning take the "
    "end's") {
  const auto store = load(kSwitching, {"plan"});
  report_options o;
  o.from = ndr::period_scheme{}.parse_label("2024-02");
  const auto r = ndr::build_report(store, o);
  CHECK(summary(r) == v{"2024-02 (blank) 0->0 +0r +30n",
                        "2024-02 pro 50->50 +0r +0n",
                        "2024-02 starter 100->150 +25r +0n",
                        "2024-02 (all) 150->200 +25r +30n"});
}

TEST_CASE("the (all) row equals the unsegmented report") {
  const auto seg = ndr::build_report(load(kSwitching, {"plan"}), {});
  const auto plain = ndr::build_report(load(kSwitching, {}), {});
  REQUIRE_FALSE(plain.segmented);
  std::vector<ndr::report_row> totals;
  for (const auto& row : seg.rows) {
    if (row.segment == ndr::kAllSegments) totals.push_back(row);
  }
  REQUIRE(totals.size() == plain.rows.size());
  ndr::report only_totals{seg.options, false, totals, false, {}};
  for (auto& row : only_totals.rows) row.segment.clear();
  CHECK(csv(only_totals) == csv(plain));
}

TEST_CASE("a reactivation after a dip stays in the start's segment") {
  const auto store = load(
      "customer_id,date,mrr,plan\n"
      "a,2024-01-31,100,starter\n"
      "z,2024-02-29,1,other\n"  // a's MRR is 0 on this snapshot date
      "a,2024-03-31,120,pro\n",
      {"plan"});
  report_options o;
  o.window = 2;
  const auto r = ndr::build_report(store, o);
  CHECK(summary(r) == v{"2024-03 starter 100->0 +120r +0n",
                        "2024-03 (all) 100->0 +120r +0n"});
}

TEST_CASE(
    "the row with the largest amount names the segment; ties go to the first "
    "read") {
  const auto store = load(
      "customer_id,date,mrr,plan\n"
      "a,2024-01-31,10,addon\n"
      "a,2024-01-31,90,core\n"
      "a,2024-01-31,-5,credit\n"
      "b,2024-01-31,40,first\n"
      "b,2024-01-31,40,second\n"
      "a,2024-02-29,100,core\n"
      "b,2024-02-29,80,x\n",
      {"plan"});
  const auto r = ndr::build_report(store, {});
  CHECK(summary(r) == v{"2024-02 core 95->100 +0r +0n",
                        "2024-02 first 80->80 +0r +0n",
                        "2024-02 (all) 175->180 +0r +0n"});
}

TEST_CASE(
    "two segment columns join with ' / ', a blank part is (blank); byte "
    "order") {
  const auto store = load(
      "customer_id,date,mrr,plan,region\n"
      "a,2024-01-31,1,starter,NA\n"
      "b,2024-01-31,2,starter,\n"
      "c,2024-01-31,4,Zeta,EU\n"
      "a,2024-02-29,1,starter,NA\n"
      "b,2024-02-29,2,starter,\n"
      "c,2024-02-29,4,Zeta,EU\n",
      {"plan", "Region"});
  const auto r = ndr::build_report(store, {});
  CHECK(summary(r) == v{"2024-02 Zeta / EU 4->4 +0r +0n",
                        "2024-02 starter / (blank) 2->2 +0r +0n",
                        "2024-02 starter / NA 1->1 +0r +0n",
                        "2024-02 (all) 7->7 +0r +0n"});
}

TEST_CASE("a missing segment column is an error naming the option") {
  CHECK_THROWS_WITH(load("customer_id,date,mrr\na,2024-01-31,1\n", {"plan"}),
                    "s.csv:1: missing column 'plan' (the header has: "
                    "customer_id, date, mrr); "
                    "name the column to use with --segment-by");
}

TEST_CASE("segments in csv: quoted when needed, after end_date") {
  const auto store = load(
      "customer_id,date,mrr,plan\na,2024-01-31,1,\"x, y\"\na,2024-02-29,1,\"x, "
      "y\"\n",
      {"plan"});
  const std::string out = csv(ndr::build_report(store, {}));
  CHECK(out.substr(0, out.find('\n'))
            .rfind("period,start_date,end_date,segment,cohort_customers", 0) ==
        0);
  CHECK(out.find("\n2024-02,2024-01-31,2024-02-29,\"x, y\",1,") !=
        std::string::npos);
  CHECK(out.find("\n2024-02,2024-01-31,2024-02-29,(all),1,") !=
        std::string::npos);
}

namespace {

std::vector<std::string> ledger(const ndr::snapshot_store& s,
                                const report_options& o, const char* at) {
  const auto lines = ndr::build_ledger(s, o, *o.scheme.parse_label(at));
  REQUIRE(lines);
  std::vector<std::string> out;
  for (const auto& l : *lines) {
    out.push_back(s.customers[l.customer] +
                  (l.segment.empty() ? "" : "[" + l.segment + "]") + " " +
                  ndr::movement_name(l.kind) + " " +
                  ndr::format_money(l.delta, 0));
  }
  return out;
}

const char* kEveryMovement =
    "customer_id,date,mrr\n"
    "flat,2024-01-31,10\nflat,2024-02-29,10\nflat,2024-03-31,10\n"
    "up,2024-01-31,10\nup,2024-02-29,10\nup,2024-03-31,15\n"
    "up2,2024-01-31,10\nup2,2024-02-29,10\nup2,2024-03-31,15\n"
    "down,2024-01-31,10\ndown,2024-02-29,10\ndown,2024-03-31,4\n"
    "gone,2024-01-31,10\ngone,2024-02-29,10\n"
    "dip_up,2024-01-31,10\ndip_up,2024-03-31,30\n"
    "back,2023-12-31,9\nback,2024-03-31,7\n"
    "fresh,2024-02-29,5\nfresh,2024-03-31,6\n";

}  // namespace

TEST_CASE(
    "the ledger lists every movement, ordered, and reconciles with the "
    "report") {
  const auto store = ndr::load_texts({{"m.csv", kEveryMovement}}, {});
  report_options o;
  o.window = 2;
  SECTION("separate") {
    CHECK(ledger(store, o, "2024-03") ==
          v{"up expansion 5", "up2 expansion 5", "down contraction -6",
            "dip_up churn -10", "gone churn -10", "flat flat 0",
            "dip_up reactivation 30", "back reactivation 7", "fresh new 6"});
  }
  SECTION("include") {
    o.reactivation = ndr::reactivation_policy::include;
    CHECK(ledger(store, o, "2024-03") ==
          v{"dip_up expansion 20", "up expansion 5", "up2 expansion 5",
            "down contraction -6", "gone churn -10", "flat flat 0",
            "back reactivation 7", "fresh new 6"});
  }
  for (auto policy : {ndr::reactivation_policy::separate,
                      ndr::reactivation_policy::include}) {
    o.reactivation = policy;
    const auto lines =
        *ndr::build_ledger(store, o, *o.scheme.parse_label("2024-03"));
    o.from = o.to = o.scheme.parse_label("2024-03");
    const auto row = ndr::build_report(store, o).rows.at(0);
    o.from = o.to = std::nullopt;
    money sums[6];
    for (const auto& l : lines) REQUIRE(sums[int(l.kind)].add(l.delta));
    CHECK(sums[int(ndr::movement::expansion)] == row.expansion_mrr);
    CHECK(money() == [&] {
      money c = sums[int(ndr::movement::contraction)];
      REQUIRE(c.add(row.contraction_mrr));
      return c;
    }());
    CHECK(money() == [&] {
      money c = sums[int(ndr::movement::churn)];
      REQUIRE(c.add(row.churned_mrr));
      return c;
    }());
    CHECK(sums[int(ndr::movement::reactivation)] == row.reactivation_mrr);
    CHECK(sums[int(ndr::movement::new_customer)] == row.new_mrr);
    CHECK(sums[int(ndr::movement::flat)] == money());
  }
}

TEST_CASE(
    "the ledger carries frozen segments and is absent for a period without a "
    "row") {
  const auto store = load(kSwitching, {"plan"});
  CHECK(ledger(store, {}, "2024-02") ==
        v{"a[starter] expansion 50", "b[pro] flat 0",
          "d[starter] reactivation 25", "c[(blank)] new 30"});
  CHECK_FALSE(ndr::build_ledger(store, {},
                                *ndr::period_scheme{}.parse_label("2024-05")));
}

TEST_CASE("a cohort triangle worked out by hand") {
  // Jan cohort: a (100), b (50). Feb cohort: c (40, first paid mid-Feb).
  // Feb: a 120, b 0 (churn), c 40. Mar: a 120, b 60 (back), c 0. No April.
  // May: a 130.
  const auto store = ndr::load_texts(
      {{"c.csv",
        "customer_id,date,mrr\na,2024-01-31,100\nb,2024-01-31,50\nc,2024-02-10,"
        "40\n"
        "a,2024-02-29,120\nc,2024-02-29,40\na,2024-03-31,120\nb,2024-03-31,60\n"
        "a,2024-05-31,130\n"}},
      {});
  const auto cells = ndr::build_cohorts(store, {});
  CHECK(
      ndr::render_cohorts(cells, {},
                          ndr::format_options::of(ndr::output_format::csv)) ==
      "cohort,age,customers,starting_mrr,mrr,revenue_retention,logo_retention\n"
      "2024-01,0,2,150.00,150.00,1.0000,1.0000\n"
      "2024-01,1,2,150.00,120.00,0.8000,0.5000\n"
      "2024-01,2,2,150.00,180.00,1.2000,1.0000\n"
      "2024-01,4,2,150.00,130.00,0.8667,0.5000\n"
      "2024-02,0,1,40.00,40.00,1.0000,1.0000\n"
      "2024-02,1,1,40.00,0.00,0.0000,0.0000\n"
      "2024-02,3,1,40.00,0.00,0.0000,0.0000\n");
  CHECK(ndr::render_cohorts(
            cells, {}, ndr::format_options::of(ndr::output_format::table)) ==
        "Cohort   Customers  Starting MRR      +0     +1      +2    +3     +4\n"
        "-------  ---------  ------------  ------  -----  ------  ----  -----\n"
        "2024-01          2        150.00  100.0%  80.0%  120.0%        86.7%\n"
        "2024-02          1         40.00  100.0%   0.0%          0.0%\n");
}

TEST_CASE("rows classified in small batches give the report of one pass") {
  // A budget too small for one row's segment sums: every row is its own
  // batch, on two threads, reusing the sums arrays from row to row.
  std::string text = "customer_id,date,mrr,plan\n";
  const char* dates[] = {"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30",
                         "2024-05-31"};
  for (int c = 0; c < 40; ++c) {
    for (int d = 0; d < 5; ++d) {
      if ((c + d) % 7 == 3) continue;  // dips, churn and returns
      text += fmt::format("c{},{},{},p{}\n", c, dates[d], 10 + (c * d) % 13,
                          (c + d) % 9);
    }
  }
  const auto store = load(text, {"plan"});
  report_options one_pass;
  one_pass.parallel_work = 0;
  report_options batched = one_pass;
  batched.segment_sums_budget = 1;
  const auto a = ndr::build_report(store, one_pass);
  const auto b = ndr::build_report(store, batched);
  CHECK(csv(a) == csv(b));
  CHECK(summary(a).size() > 20);
}
