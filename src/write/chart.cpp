#include "ndr/chart.h"

#include <algorithm>
#include <cmath>

namespace ndr::chart {

double linear_scale::operator()(double v) const {
  if (domain_hi == domain_lo) return (range_lo + range_hi) / 2;
  return range_lo +
         (v - domain_lo) / (domain_hi - domain_lo) * (range_hi - range_lo);
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) hi = lo + 1;
  const double raw = (hi - lo) / std::max(count, 1);
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  const double first = std::floor(lo / step + 1e-9) * step;
  for (double t = first; t < hi + step - 1e-9 * step; t += step) {
    ticks.push_back(std::round(t / step) *
                    step);  // no drift from repeated adds
    if (ticks.back() >= hi - 1e-9 * step) break;
  }
  return ticks;
}

std::vector<double> ratio_ticks(const std::vector<double>& values) {
  if (values.empty()) return nice_ticks(0, 1.2, 6);
  double lo = 1, hi = 1;
  for (double v : values) lo = std::min(lo, v), hi = std::max(hi, v);
  const double pad = (hi - lo) * 0.05 + 0.01;
  return nice_ticks(std::max(0.0, lo - pad), hi + pad, 6);
}

std::vector<bool> label_every(size_t n, size_t max_labels) {
  std::vector<bool> show(n, false);
  if (n == 0) return show;
  const size_t every = std::max<size_t>(
      1, (n + max_labels - 1) / std::max<size_t>(max_labels, 1));
  for (size_t i = n; i-- > 0;) show[i] = (n - 1 - i) % every == 0;
  return show;
}

std::vector<bar> waterfall(const std::vector<std::int64_t>& steps,
                           const std::vector<std::int64_t>& beside, double left,
                           double top, double width, double height,
                           double gap) {
  std::vector<bar> bars;
  if (steps.empty()) return bars;
  // Running totals, to find the scale's top.
  std::int64_t running = 0, peak = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    running = i + 1 == steps.size() ? steps[i] : running + steps[i];
    peak = std::max(peak, running);
  }
  for (std::int64_t b : beside) peak = std::max(peak, b);
  const linear_scale y{0, double(std::max<std::int64_t>(peak, 1)), top + height,
                       top};
  const double slot = width / double(steps.size() + beside.size());
  running = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const bool total = i == 0 || i + 1 == steps.size();
    const std::int64_t from = total ? 0 : running;
    const std::int64_t to = total ? steps[i] : running + steps[i];
    running = total ? steps[i] : to;
    const double y0 = y(double(std::min(from, to))),
                 y1 = y(double(std::max(from, to)));
    bars.push_back(
        {left + slot * double(i) + gap / 2, y1, slot - gap, y0 - y1});
  }
  for (size_t k = 0; k < beside.size(); ++k) {
    const double y1 = y(double(beside[k]));
    bars.push_back({left + slot * double(steps.size() + k) + gap / 2, y1,
                    slot - gap, top + height - y1});
  }
  return bars;
}

}  // namespace ndr::chart
