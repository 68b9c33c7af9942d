// ndr-gen: a deterministic generator of realistic MRR snapshot CSV for
// benchmarks and tests. The same arguments always give the same bytes.
//
//   ndr-gen --customers N --months M [--seed S] [--start 2022-01]
//           [--order date|customer|shuffled] [-o FILE]
//
// Customers start in different months, expand, contract, churn and some come
// back; about 5% of customer-months are split over two rows (a base
// subscription and an add-on) that ndr must sum. Columns:
// customer_id,date,mrr,plan,region.
#include <date/date.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

// splitmix64: tiny, fast and identical everywhere (std distributions are not).
struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool chance(unsigned per_mille) { return below(1000) < per_mille; }
};

struct customer {
  std::int64_t cents = 0;  // current MRR; 0 when not paying
  int start_month = 0;
  bool ever_paid = false;
  std::uint8_t plan = 0, region = 0;
};

constexpr const char* kPlans[] = {"starter", "growth", "enterprise"};
constexpr const char* kRegions[] = {"NA", "EU", "APAC", "LATAM"};

struct row {
  std::uint32_t customer;
  std::uint16_t month;
  std::int64_t cents;
  std::uint8_t plan, region;
};

std::int64_t starting_price(rng& r, std::uint8_t plan) {
  static const std::int64_t base[] = {2900, 19900, 149900};
  return base[plan] * std::int64_t(50 + r.below(151)) / 100;
}

// Moves one customer one month forward.
void step(customer& c, rng& r, int month) {
  if (c.cents == 0) {
    if (month < c.start_month) return;
    if (!c.ever_paid || r.chance(30)) {  // starts, or comes back
      c.cents = starting_price(r, c.plan);
      c.ever_paid = true;
    }
    return;
  }
  const std::uint64_t x = r.below(1000);
  if (x < 20) {
    c.cents = 0;  // churn
  } else if (x < 80) {
    c.cents = c.cents * std::int64_t(105 + r.below(60)) / 100;  // expansion
  } else if (x < 110) {
    c.cents = std::max<std::int64_t>(
        500, c.cents * std::int64_t(60 + r.below(35)) / 100);
  }
}

std::vector<row> generate(std::uint32_t customers, int months,
                          std::uint64_t seed) {
  rng r{seed};
  std::vector<customer> cs(customers);
  for (auto& c : cs) {
    // A third are paying when the data starts; the rest start over the months.
    c.start_month = r.chance(333) ? 0 : int(r.below(std::uint64_t(months)));
    c.plan = std::uint8_t(r.below(10) < 6 ? 0 : r.below(10) < 7 ? 1 : 2);
    c.region = std::uint8_t(r.below(4));
  }
  std::vector<row> rows;
  for (int m = 0; m < months; ++m) {
    for (std::uint32_t i = 0; i < customers; ++i) {
      customer& c = cs[i];
      step(c, r, m);
      if (c.cents == 0) continue;
      if (r.chance(50) && c.cents > 1000) {  // base plus add-on
        const std::int64_t addon =
            c.cents * std::int64_t(10 + r.below(30)) / 100;
        rows.push_back(
            {i, std::uint16_t(m), c.cents - addon, c.plan, c.region});
        rows.push_back({i, std::uint16_t(m), addon, c.plan, c.region});
      } else {
        rows.push_back({i, std::uint16_t(m), c.cents, c.plan, c.region});
      }
    }
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ndr-gen: deterministic MRR snapshot CSV for benchmarks and tests",
      "ndr-gen"};
  std::uint32_t customers = 1000;
  int months = 24;
  std::uint64_t seed = 1;
  std::string start = "2022-01", order = "date", output;
  app.add_option("--customers", customers, "number of customers")
      ->check(CLI::Range(1u, 50'000'000u));
  app.add_option("--months", months, "number of month-end snapshots")
      ->check(CLI::Range(1, 600));
  app.add_option("--seed", seed, "random seed");
  app.add_option("--start", start, "first month, YYYY-MM");
  app.add_option("--order", order, "row order: date, customer or shuffled")
      ->check(CLI::IsMember({"date", "customer", "shuffled"}));
  app.add_option("-o,--output", output,
                 "write to FILE instead of standard output");
  CLI11_PARSE(app, argc, argv);

  int y = 0;
  unsigned mo = 0;
  if (std::sscanf(start.c_str(), "%d-%u", &y, &mo) != 2 || mo < 1 || mo > 12) {
    fmt::print(stderr, "ndr-gen: --start must be YYYY-MM\n");
    return 2;
  }
  std::vector<std::string> dates;
  for (int m = 0; m < months; ++m) {
    const auto ym =
        date::year_month{date::year{y}, date::month{mo}} + date::months{m};
    const date::year_month_day last{ym / date::last};
    dates.push_back(fmt::format("{:04}-{:02}-{:02}", int(last.year()),
                                unsigned(last.month()), unsigned(last.day())));
  }

  std::vector<row> rows = generate(customers, months, seed);
  if (order == "customer") {
    std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) {
      return a.customer < b.customer;
    });
  } else if (order == "shuffled") {
    rng r{seed ^ 0x5DEECE66Dull};
    for (size_t i = rows.size(); i > 1; --i)
      std::swap(rows[i - 1], rows[r.below(i)]);
  }

  std::FILE* out = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
  if (!out) {
    fmt::print(stderr, "ndr-gen: cannot write {}\n", output);
    return 1;
  }
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), "customer_id,date,mrr,plan,region\n");
  for (const row& r : rows) {
    fmt::format_to(std::back_inserter(buf), "C{:07},{},{}.{:02},{},{}\n",
                   r.customer, dates[r.month], r.cents / 100, r.cents % 100,
                   kPlans[r.plan], kRegions[r.region]);
    if (buf.size() > (1 << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), out);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  const bool ok =
      std::fflush(out) == 0 && (out == stdout || std::fclose(out) == 0);
  return ok ? 0 : 1;
}
