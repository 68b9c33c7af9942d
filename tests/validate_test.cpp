#include "ndr/validate.h"

#include <catch2/catch.hpp>

namespace {

std::vector<ndr::day_number> days(std::initializer_list<const char*> texts) {
  std::vector<ndr::day_number> out;
  for (const char* t : texts) out.push_back(*ndr::parse_date(t));
  return out;
}

}  // namespace

TEST_CASE("the cadence of snapshot dates") {
  CHECK(ndr::describe_cadence(days({"2024-01-31", "2024-02-29",
                                    "2024-03-31"})) == "monthly (month ends)");
  CHECK(ndr::describe_cadence(
            days({"2024-01-15", "2024-02-15", "2024-03-15"})) == "monthly");
  CHECK(ndr::describe_cadence(
            days({"2024-01-01", "2024-01-08", "2024-01-15"})) == "weekly");
  CHECK(ndr::describe_cadence(days({"2024-01-01", "2024-01-02"})) == "daily");
  CHECK(
      ndr::describe_cadence(days({"2024-03-31", "2024-06-30", "2024-09-30"})) ==
      "quarterly (quarter ends)");
  CHECK(ndr::describe_cadence(
            days({"2024-01-31", "2024-02-10", "2024-04-01"})) == "irregular");
  CHECK(ndr::describe_cadence(days({"2024-01-31"})) == "a single date");
  // One missing month among ten steps: still monthly, with the odd step
  // counted.
  CHECK(ndr::describe_cadence(
            days({"2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30",
                  "2023-05-31", "2023-07-31", "2023-08-31", "2023-09-30",
                  "2023-10-31", "2023-11-30"})) ==
        "monthly (month ends), 1 irregular step");
}

TEST_CASE(
    "a partial snapshot date has under half the customers of each neighbour") {
  CHECK(ndr::partial_dates({60, 60, 6, 60}) == std::vector<size_t>{2});
  CHECK(ndr::partial_dates({100, 105, 110}).empty());  // growth is not partial
  CHECK(ndr::partial_dates({60, 20}) ==
        std::vector<size_t>{1});  // a half-exported last date
  CHECK(ndr::partial_dates({10, 60, 60}) == std::vector<size_t>{0});
  CHECK(ndr::partial_dates({30, 60, 30})
            .empty());  // exactly half is not under half
  CHECK(ndr::partial_dates({5}).empty());
}
