// Chart geometry for the HTML report: scales, ticks and bars as plain
// numbers, kept apart from the SVG text so that they can be tested by hand.
// Positions are pixels (doubles); the numbers printed next to them always
// come from the exact money and ratio formatters, never from these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ndr::chart {

// Maps [domain_lo, domain_hi] onto [range_lo, range_hi] linearly.
struct linear_scale {
  double domain_lo, domain_hi, range_lo, range_hi;
  double operator()(double v) const;
};

// Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 × 10^k) covering
// [lo, hi] with about `count` intervals; the first tick is <= lo and the
// last >= hi.
std::vector<double> nice_ticks(double lo, double hi, int count);

// The y range of a ratio chart: the data and 1.0 (the 100 % line), widened
// to nice ticks. An empty `values` gives [0, 1.2].
std::vector<double> ratio_ticks(const std::vector<double>& values);

// Which of n x labels to print so that at most `max_labels` show: every
// k-th, always the last.
std::vector<bool> label_every(size_t n, size_t max_labels);

struct bar {
  double x, y, width, height;  // y is the top edge
};

// A waterfall: steps[0] is the start, the middle steps are signed changes,
// the last is drawn from zero as the end; then `beside` as plain bars from
// zero (movements outside the bridge). One slot per bar across `width`; the
// y scale spans [0, the highest running total or beside value] over
// `height` from `top`. Values are integer units (non-negative totals).
std::vector<bar> waterfall(const std::vector<std::int64_t>& steps,
                           const std::vector<std::int64_t>& beside, double left,
                           double top, double width, double height, double gap);

}  // namespace ndr::chart
