#include "ndr/chart.h"

#include <catch2/catch.hpp>

using namespace ndr::chart;

namespace {

std::vector<double> approx(std::vector<double> v) {
  for (auto& x : v) x = std::round(x * 1e9) / 1e9;
  return v;
}

}  // namespace

TEST_CASE("a linear scale maps the domain onto the range, flipped for y") {
  const linear_scale y{0.7, 1.1, 300,
                       20};  // 70 % at the bottom (300 px), 110 % at the top
  CHECK(y(0.7) == Approx(300));
  CHECK(y(1.1) == Approx(20));
  CHECK(y(1.0) == Approx(90));  // 300 - 0.3 / 0.4 * 280
  CHECK(linear_scale{5, 5, 0, 100}(5) ==
        Approx(50));  // an empty domain maps to the middle
}

TEST_CASE(
    "nice ticks step by 1, 2, 2.5 or 5 times a power of ten and cover the "
    "data") {
  CHECK(approx(nice_ticks(0, 1, 5)) ==
        std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
  CHECK(approx(nice_ticks(0.8, 1.07, 6)) ==
        std::vector<double>{0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1});
  CHECK(approx(nice_ticks(0, 10, 4)) ==
        std::vector<double>{0, 2.5, 5, 7.5, 10});
  CHECK(approx(nice_ticks(3, 3, 4)) ==
        std::vector<double>{3, 3.25, 3.5, 3.75, 4});
  CHECK(approx(nice_ticks(0, 130, 6)) ==
        std::vector<double>{0, 25, 50, 75, 100, 125, 150});
}

TEST_CASE("ratio ticks always hold 100 %") {
  const auto t = approx(ratio_ticks({0.93, 0.97}));
  CHECK(t.front() <= 0.93);
  CHECK(t.back() >= 1.0);
  // lo 0.93 and hi 1.0 (the 100 % line) padded by 0.0135: [0.9165, 1.0135] in
  // about 6 steps of 0.0162 -> nice step 0.02 from 0.90.
  CHECK(approx(ratio_ticks({0.93, 0.97})) ==
        std::vector<double>{0.9, 0.92, 0.94, 0.96, 0.98, 1, 1.02});
  CHECK(approx(ratio_ticks({})) ==
        std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1, 1.2});
  // [0.99, 1.01] in about 6 steps of 0.0033 -> nice step 0.005.
  CHECK(approx(ratio_ticks({1.0})) ==
        std::vector<double>{0.99, 0.995, 1, 1.005, 1.01});
}

TEST_CASE(
    "x labels thin out to at most the number that fits, always keeping the "
    "last") {
  CHECK(label_every(3, 12) == std::vector<bool>{true, true, true});
  CHECK(label_every(1, 12) == std::vector<bool>{true});
  const auto many = label_every(120, 12);
  CHECK(std::count(many.begin(), many.end(), true) == 12);
  CHECK(many.back());
  CHECK(many[119 - 10]);
  CHECK_FALSE(many[118]);
  CHECK(label_every(0, 12).empty());
}

TEST_CASE("waterfall bars by hand") {
  // Start 100, +20, -5, -10, end 105; beside: reactivation 8, new 12.
  // 7 slots of 100 px over x 0..700; y: 0..125 (the peak, 100 + 20 + 5 … no:
  // the running total peaks at 120) mapped onto 240..0.
  const auto bars =
      waterfall({100, 20, -5, -10, 105}, {8, 12}, 0, 0, 700, 240, 20);
  REQUIRE(bars.size() == 7);
  const double unit = 240.0 / 120;  // px per unit
  CHECK(bars[0].x == Approx(10));
  CHECK(bars[0].width == Approx(80));
  CHECK(bars[0].y == Approx(240 - 100 * unit));
  CHECK(bars[0].height == Approx(100 * unit));
  CHECK(bars[1].y == Approx(240 - 120 * unit));  // +20 floats from 100 to 120
  CHECK(bars[1].height == Approx(20 * unit));
  CHECK(bars[2].y ==
        Approx(240 - 120 * unit));  // -5 hangs from 120 down to 115
  CHECK(bars[2].height == Approx(5 * unit));
  CHECK(bars[3].y == Approx(240 - 115 * unit));  // -10 from 115 to 105
  CHECK(bars[3].height == Approx(10 * unit));
  CHECK(bars[4].y == Approx(240 - 105 * unit));  // the end from zero
  CHECK(bars[4].height == Approx(105 * unit));
  CHECK(bars[5].x == Approx(510));
  CHECK(bars[5].height == Approx(8 * unit));
  CHECK(bars[6].height == Approx(12 * unit));
  CHECK(waterfall({}, {}, 0, 0, 100, 100, 0).empty());
  // All zero (an empty cohort): no division by zero, flat bars.
  for (const auto& b : waterfall({0, 0, 0, 0, 0}, {0, 0}, 0, 0, 70, 100, 0))
    CHECK(b.height == Approx(0));
}
