// Account hierarchies (docs/inputs.md#account-hierarchies).
#include "ndr/hierarchy.h"

#include <catch2/catch.hpp>

#include "ndr/engine.h"

namespace {

ndr::customer_map map(const std::string& rows) {
  return ndr::customer_map::parse({"m.csv", "customer_id,parent_id\n" + rows});
}

}  // namespace

TEST_CASE("chains roll up to the topmost parent") {
  const auto m = map("sub2,sub1\nsub1,holding\nsolo,\nself,self\n");
  CHECK(m.top("sub2") == "holding");
  CHECK(m.top("sub1") == "holding");
  CHECK(m.top("holding") == "holding");
  CHECK(m.top("solo") == "solo");
  CHECK(m.top("self") == "self");
  CHECK(m.top("stranger") == "stranger");
  CHECK(m.size() == 2);
}

TEST_CASE("a cycle is an error naming it") {
  CHECK_THROWS_WITH(map("a,b\nb,c\nc,a\n"),
                    "m.csv: customer map has a cycle: a → b → c → a");
  CHECK_THROWS_WITH(map("x,a\na,b\nb,a\n"),
                    "m.csv: customer map has a cycle: a → b → a");
}

TEST_CASE("a child with two parents is an error naming both lines") {
  CHECK_THROWS_WITH(map("a,b\na,c\n"),
                    "m.csv:3: column 'parent_id': customer 'a' has parent 'c' "
                    "here and 'b' on line 2");
  CHECK_NOTHROW(map("a,b\na,b\n"));
  CHECK_THROWS_WITH(ndr::customer_map::parse({"m.csv", "child,parent\na,b\n"}),
                    Catch::Contains("m.csv:1: missing column 'customer_id'"));
}

TEST_CASE("a subsidiary moving between entities is neither churn nor new") {
  const std::string rows =
      "customer_id,date,mrr\nsub1,2024-01-31,100\nother,2024-01-31,50\n"
      "sub2,2024-02-29,100\nother,2024-02-29,50\n";
  const auto plain =
      ndr::build_report(ndr::load_texts({{"s.csv", rows}}, {}), {});
  REQUIRE(plain.rows.size() == 1);
  CHECK(plain.rows[0].churned_customers ==
        1);  // without the map: churn 100 + new 100
  CHECK(plain.rows[0].new_customers == 1);

  const auto m = map("sub1,holding\nsub2,holding\n");
  ndr::load_options o;
  o.parents = &m;
  const auto store = ndr::load_texts({{"s.csv", rows}}, o);
  CHECK(store.customers == std::vector<std::string>{"holding", "other"});
  const auto r = ndr::build_report(store, {});
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].cohort_customers == 2);
  CHECK(r.rows[0].churned_customers == 0);
  CHECK(r.rows[0].new_customers == 0);
  CHECK(ndr::format_ratio(r.rows[0].ndr()) == "1.0000");
}

TEST_CASE("children's rows at one date are summed under the parent") {
  const auto m = map("a,group\nb,group\n");
  ndr::load_options o;
  o.parents = &m;
  const auto store = ndr::load_texts(
      {{"s.csv", "customer_id,date,mrr\na,2024-01-31,30\nb,2024-01-31,20\n"}},
      o);
  CHECK(store.mrr_at(0, 0) == ndr::money::from_whole(50));
}

TEST_CASE("a child given no parent, then a parent, is a conflict too") {
  CHECK_THROWS_WITH(map("a,\na,b\n"),
                    "m.csv:3: column 'parent_id': customer 'a' has parent 'b' "
                    "here and none on line 2");
  CHECK_THROWS_WITH(map("a,a\na,b\n"),
                    "m.csv:3: column 'parent_id': customer 'a' has parent 'b' "
                    "here and none on line 2");
}

TEST_CASE("a long chain is walked once") {
  // n0 → n1 → … → n20000, listed child first: each id is walked once, so
  // this takes milliseconds (a walk per child took minutes).
  std::string rows;
  for (int i = 0; i < 20000; ++i)
    rows += "n" + std::to_string(i) + ",n" + std::to_string(i + 1) + "\n";
  const auto m = map(rows);
  CHECK(m.top("n0") == "n20000");
  CHECK(m.top("n12345") == "n20000");
  CHECK(m.size() == 20000);
  CHECK_THROWS_WITH(
      map(rows + "n20000,n19990\n"),
      Catch::StartsWith("m.csv: customer map has a cycle: n19990 → n19991 → "));
}
