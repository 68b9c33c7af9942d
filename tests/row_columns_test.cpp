// The loader's compact row columns (src/read/row_columns.h): whatever form a
// column takes, it gives back exactly the values put in.
#include "row_columns.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "customer_index.h"
#include "ndr/load.h"

using ndr::money;

TEST_CASE(
    "date column: runs while rows come grouped by date, else one per row") {
  for (const bool grouped : {true, false}) {
    ndr::date_column column;
    std::vector<std::uint16_t> want;
    for (size_t i = 0; i < 5000; ++i) {
      // Grouped: 10 runs of 500. Interleaved: a new date on every row, so
      // the column switches to one number per row after 1024 runs.
      const auto d = std::uint16_t(grouped ? i / 500 : i % 7);
      column.push_back(d);
      want.push_back(d);
    }
    REQUIRE(column.size() == want.size());
    std::vector<std::uint16_t> got;
    column.for_each(0, column.size(), [&](size_t i, std::uint16_t d) {
      CHECK(i == got.size());
      got.push_back(d);
    });
    CHECK(got == want);
    std::vector<std::uint16_t> middle;  // from inside a run
    column.for_each(1234, 2345,
                    [&](size_t, std::uint16_t d) { middle.push_back(d); });
    CHECK(middle ==
          std::vector<std::uint16_t>(want.begin() + 1234, want.begin() + 2345));
    CHECK(
        column.first_row_of(want[4999]) ==
        size_t(std::find(want.begin(), want.end(), want[4999]) - want.begin()));
    CHECK(column.first_row_of(999) == column.size());
  }
}

TEST_CASE(
    "amount column: cents until an amount is not whole cents, then money") {
  ndr::money_column column;
  const std::vector<money> values = {money::from_units(12'340'000),
                                     money::from_units(-21'474'836'480'000),
                                     money::from_units(21'474'836'470'000),
                                     money::from_units(1),  // widens here
                                     money::from_units(21'474'836'480'000)};
  for (size_t i = 0; i < values.size(); ++i) {
    column.push_back(values[i]);
    CHECK(column.narrow() == (i < 3));
  }
  for (size_t i = 0; i < values.size(); ++i) CHECK(column[i] == values[i]);
  CHECK(ndr::money_column::fits(money::from_units(21'474'836'470'000)));
  CHECK_FALSE(ndr::money_column::fits(money::from_units(21'474'836'480'000)));
  CHECK_FALSE(ndr::money_column::fits(money::from_units(5'000)));
}

TEST_CASE(
    "money column: a view, append, truncate and == read values, not forms") {
  const std::vector<money> values = {
      money::from_units(12'340'000), money::from_units(-5'000'000),
      money::from_units(21'474'836'470'000), money::from_units(990'000)};
  ndr::money_column narrow, wide;
  for (const money m : values) narrow.push_back(m);
  wide.push_back(money::from_units(1));  // not whole cents: money from here
  wide.append(narrow);
  REQUIRE(narrow.narrow());
  REQUIRE_FALSE(wide.narrow());
  const auto nv = narrow.from(1);
  const auto wv = wide.from(2);
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    CHECK(nv[i] == values[i + 1]);
    CHECK(wv[i] == values[i + 1]);
  }
  ndr::money_column tail;  // narrow rows [1, 4) of the wide column
  tail.append(wide, 2, 5);
  CHECK_FALSE(tail.narrow());  // it takes the wider form
  ndr::money_column same;
  same.append(narrow, 1, 4);
  CHECK(same.narrow());
  CHECK(tail == same);  // equal values, different forms
  same.truncate(2);
  CHECK(same.size() == 2);
  CHECK_FALSE(tail == same);
  CHECK(same[1] == values[2]);
}

TEST_CASE("row lines: runs of consecutive lines, a new run at each gap") {
  ndr::row_lines lines;
  const unsigned line_of[] = {2, 3, 4, 7, 8,
                              2, 3, 10};  // a skipped line, then a second file
  for (std::uint32_t r = 0; r < 8; ++r) lines.add(r, line_of[r]);
  for (std::uint32_t r = 0; r < 8; ++r) CHECK(lines.line(r) == line_of[r]);
  ndr::row_lines more;
  more.add(0, 2);
  more.add(1, 3);
  lines.append(more, 8, 100);  // a second part, its lines 100 further down
  CHECK(lines.line(8) == 102);
  CHECK(lines.line(9) == 103);
}

TEST_CASE("a file grouped by customer loads as the same file grouped by date") {
  // 3,000 rows whose date changes on every row: the date column holds one
  // number per row; the same rows in date order are 12 runs.
  std::string by_customer = "customer_id,date,mrr\n", by_date = by_customer;
  const char* months[] = {"2024-01-31", "2024-02-29", "2024-03-31",
                          "2024-04-30", "2024-05-31", "2024-06-30",
                          "2024-07-31", "2024-08-31", "2024-09-30",
                          "2024-10-31", "2024-11-30", "2024-12-31"};
  for (int c = 0; c < 250; ++c) {
    for (int m = 0; m < 12; ++m) {
      by_customer += "c" + std::to_string(c) + "," + months[m] + "," +
                     std::to_string(c + m) + ".5\n";
    }
  }
  for (int m = 0; m < 12; ++m) {
    for (int c = 0; c < 250; ++c) {
      by_date += "c" + std::to_string(c) + "," + months[m] + "," +
                 std::to_string(c + m) + ".5\n";
    }
  }
  const auto a = ndr::load_texts({{"a.csv", by_customer}}, {});
  const auto b = ndr::load_texts({{"b.csv", by_date}}, {});
  CHECK(a.customers == b.customers);
  CHECK(a.dates == b.dates);
  CHECK(a.offsets == b.offsets);
  CHECK(a.entry_date == b.entry_date);
  CHECK(a.entry_mrr == b.entry_mrr);
  CHECK(a.mrr_at(249, 11) ==
        money::from_units(260'500'000));  // c249 in December: 260.5
}

namespace {

// Two distinct ids whose hashes' top 32 bits, the ones number_distinct
// sorts, are equal. Ids that count up ("C1", "C2", …) hash nearly one to one
// into those bits, so these are e-mail addresses: 28185@example.com and
// 40633@example.com meet.
std::pair<std::string, std::string> ids_whose_hashes_meet() {
  std::vector<std::pair<std::uint32_t, std::string>> keyed;
  for (int i = 0; i < (1 << 16); ++i) {
    std::string id = std::to_string(i) + "@example.com";
    keyed.emplace_back(std::uint32_t(ndr::hash_id(id) >> 32), std::move(id));
  }
  std::sort(keyed.begin(), keyed.end());
  for (size_t k = 1; k < keyed.size(); ++k) {
    if (keyed[k].first == keyed[k - 1].first)
      return {keyed[k - 1].second, keyed[k].second};
  }
  return {};
}

}  // namespace

TEST_CASE("distinct ids are numbered as interning them one by one would") {
  // 200,003 distinct ids, each twice, far apart, and two ids whose sorted
  // hash bits meet, so that ids are compared too (a wrong comparison there
  // would number them as one). Against a customer_index,
  // in order.
  const auto [a, b] = ids_whose_hashes_meet();
  REQUIRE(!a.empty());
  REQUIRE(a != b);
  std::vector<std::string> ids;
  for (int i = 0; i < 400006; ++i) {
    ids.push_back("C" + std::to_string((i * 7919LL) % 200003));
    if (i % 997 == 0) ids.push_back("");                     // the empty id too
    if (i % 100000 == 0) ids.push_back(i % 200000 ? a : b);  // b, a, b, a, b
  }
  ids.push_back(
      "acme\x1f"
      "EUR");  // bytes that once meant a currency
  ids.push_back("acme");
  ndr::customer_index index;
  std::vector<std::uint32_t> want;
  for (const auto& id : ids) want.push_back(index.intern(id));
  CHECK(ndr::number_distinct(ids) == want);
  CHECK(ndr::number_distinct({}).empty());
}

TEST_CASE("a segment column holds 16 bits a row until a number needs more") {
  ndr::segment_column c;
  for (std::uint32_t i = 0; i < 1000; ++i) c.push_back(i * 65);  // to 64,935
  CHECK(c.narrow());
  c.push_back(65536);
  CHECK(!c.narrow());
  REQUIRE(c.size() == 1001);
  bool kept = true;
  for (std::uint32_t i = 0; i < 1000; ++i) kept = kept && c[i] == i * 65;
  CHECK(kept);
  CHECK(c[1000] == 65536);
  const ndr::segment_column::view v = c.from(999);
  CHECK(v[0] == 999 * 65);
  CHECK(v[1] == 65536);
  // The same numbers in either form are equal; set, move_rows and truncate.
  ndr::segment_column narrow, wide;
  for (std::uint32_t s : {7u, 8u, 9u, 10u}) narrow.push_back(s);
  wide.resize(3, false);
  for (std::uint32_t i = 0; i < 3; ++i) wide.set(i, 8 + i);
  narrow.move_rows(0, 1, 3);
  narrow.truncate(3);
  CHECK(narrow.narrow());
  CHECK(narrow == wide);
  narrow.set(2, 11);
  CHECK(!(narrow == wide));
}

TEST_CASE("more than 65,536 segments load as 32-bit numbers, every one right") {
  // Each of 70,000 customers is a segment of its own (--segment-by
  // customer_id), paying in January and February.
  std::string text = "customer_id,date,mrr\n";
  for (const char* date : {"2024-01-31", "2024-02-29"}) {
    for (int c = 0; c < 70000; ++c)
      text += "c" + std::to_string(c) + "," + date + ",1\n";
  }
  ndr::load_options o;
  o.segment_cols = {"customer_id"};
  o.max_segments = 1'000'000;
  const auto store = ndr::load_texts({{"many.csv", text}}, o);
  REQUIRE(store.segments.size() == 70000);
  CHECK(!store.entry_segment.narrow());
  REQUIRE(store.entry_segment.size() == 140000);
  bool right = true;
  for (std::uint32_t c = 0; c + 1 < store.offsets.size(); ++c) {
    for (std::uint32_t e = store.offsets[c]; e < store.offsets[c + 1]; ++e)
      right =
          right && store.segments[store.entry_segment[e]] == store.customers[c];
  }
  CHECK(right);
}
