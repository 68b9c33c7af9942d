// Currencies (docs/inputs.md#currencies): rates, exact conversion, constant
// currency against spot. Expected values are worked out by hand in comments.
#include "ndr/fx.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "ndr/format.h"
#include "ndr/html.h"

using ndr::fx_mode;
using ndr::money;

namespace {

money whole(std::int64_t w) { return money::from_whole(w); }

ndr::currency_parts parts(const std::string& rows) {
  return ndr::split_currencies(ndr::load_texts(
      {{"s.csv", "customer_id,date,mrr,currency\n" + rows}}, {}));
}

ndr::fx_rates rates(const std::string& rows,
                    const std::string& reporting = "USD") {
  return ndr::fx_rates::parse({"r.csv", "date,currency,rate\n" + rows},
                              reporting);
}

std::int64_t rate(const char* text) {
  return rates(std::string("2024-01-01,EUR,") + text + "\n")
      .at("EUR", 20000)
      .value();
}

std::string convert(std::int64_t units, const char* rate_text) {
  return ndr::format_money(
      *ndr::convert_money(money::from_units(units), rate(rate_text)), 6);
}

// e pays 100 EUR at both ends; u 50 USD (once with an empty currency cell).
// EUR is 1.10 until 2024-02-15, then 1.20.
const char kTwoCurrencies[] =
    "e,2024-01-31,100,EUR\nu,2024-01-31,50,USD\ne,2024-02-29,100,eur\nu,2024-"
    "02-29,50,\n";
const char kRates[] = "2024-01-01,EUR,1.10\n2024-02-15,EUR,1.20\n";

}  // namespace

TEST_CASE("rates: latest on or before the date; the reporting currency is 1") {
  const auto r = rates(kRates);
  const auto day = [](const char* d) { return *ndr::parse_date(d); };
  CHECK_FALSE(r.at("EUR", day("2023-12-31")));
  CHECK(*r.at("EUR", day("2024-01-01")) == 1'100'000'000'000);
  CHECK(*r.at("EUR", day("2024-02-14")) == 1'100'000'000'000);
  CHECK(*r.at("EUR", day("2024-02-15")) == 1'200'000'000'000);
  CHECK(*r.at("USD", day("1999-01-01")) == ndr::fx_rates::kScale);
  CHECK(*r.at("", day("1999-01-01")) == ndr::fx_rates::kScale);
  CHECK_FALSE(r.at("GBP", day("2024-03-01")));
}

TEST_CASE("conversion is exact and rounds once, half to even") {
  CHECK(convert(12'000'000'000, "0.0067") == "80.400000");  // ¥12,000 → $80.40
  CHECK(convert(12'345'000'000, "0.006712345678") ==
        "82.863907");                      // 82.86390739491
  CHECK(convert(1, "0.5") == "0.000000");  // 0.0000005 → even
  CHECK(convert(3, "0.5") == "0.000002");  // 0.0000015 → even
  CHECK(convert(-3, "0.5") == "-0.000002");
  CHECK(convert(100'000'000, "1") == "100.000000");
}

TEST_CASE("bad rates are errors naming file, line and column") {
  CHECK_THROWS_WITH(rates("2024-01-01,EUR,-1\n"),
                    "r.csv:2: column 'rate': invalid rate '-1': not a plain "
                    "positive decimal like 1.0834");
  CHECK_THROWS_WITH(
      rates("2024-01-01,EUR,0\n"),
      "r.csv:2: column 'rate': invalid rate '0': a rate must be above 0");
  CHECK_THROWS_WITH(rates("2024-01-01,EUR,1.0000000000001\n"),
                    "r.csv:2: column 'rate': invalid rate '1.0000000000001': "
                    "more than 12 decimals");
  CHECK_THROWS_WITH(rates("2024-01-01,EURO,1\n"),
                    "r.csv:2: column 'currency': invalid currency 'EURO': not "
                    "a three-letter code like EUR");
  CHECK_THROWS_WITH(rates("2024-01-01,EUR,1.1\n2024-01-01,eur,1.2\n"),
                    "r.csv:3: column 'date': a second EUR rate for 2024-01-01 "
                    "(the first is on line 2)");
  CHECK_THROWS_WITH(
      rates("2024-01-01,USD,1.1\n"),
      "r.csv:2: column 'rate': the reporting currency USD has rate 1, not 1.1");
}

TEST_CASE(
    "constant currency: a rate move is not expansion; spot shows it; fx_impact "
    "reconciles") {
  const auto data = parts(kTwoCurrencies);
  const auto r = rates(kRates);
  const auto constant = ndr::build_fx_report(data, r, fx_mode::constant, {});
  const auto spot = ndr::build_fx_report(data, r, fx_mode::spot, {});
  REQUIRE(constant.rows.size() == 1);
  REQUIRE(spot.rows.size() == 1);
  CHECK(constant.fx);
  // Constant: both ends at 01-31's 1.10: e is 110 → 110, u 50 → 50; flat.
  const auto& c = constant.rows[0];
  CHECK(c.starting_mrr == whole(160));
  CHECK(c.expansion_mrr == money());
  CHECK(c.ending_mrr() == whole(160));
  CHECK(ndr::format_ratio(c.ndr()) == "1.0000");
  // Spot: e is 110 at the start and 120 at the end: expansion 10.
  const auto& s = spot.rows[0];
  CHECK(s.starting_mrr == whole(160));
  CHECK(s.expansion_mrr == whole(10));
  CHECK(s.ending_mrr() == whole(170));
  CHECK(ndr::format_ratio(s.ndr()) == "1.0625");
  // fx_impact = spot ending − constant ending = 170 − 160, in both modes.
  CHECK(c.fx_impact_mrr == whole(10));
  CHECK(s.fx_impact_mrr == whole(10));
}

TEST_CASE("fx_impact_mrr is the last csv field, only with --fx") {
  const auto r = ndr::build_fx_report(parts(kTwoCurrencies), rates(kRates),
                                      fx_mode::constant, {});
  ndr::format_options csv;
  csv.format = ndr::output_format::csv;
  const std::string text = ndr::render_report(r, csv);
  CHECK(text.substr(0, text.find('\n')).size() > 14);
  CHECK(text.find(",new_customers,fx_impact_mrr\n") != std::string::npos);
  CHECK(text.find(",1.0000,1.0000,1.0000,0.00,0,0.00,0,10.00\n") !=
        std::string::npos);
}

TEST_CASE("JPY amounts convert exactly") {
  const auto data = parts("j,2024-01-31,12000,JPY\nj,2024-02-29,15000,JPY\n");
  const auto r = ndr::build_fx_report(data, rates("2024-01-01,JPY,0.0067\n"),
                                      fx_mode::constant, {});
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].starting_mrr ==
        money::from_units(80'400'000));  // 12000 × 0.0067
  CHECK(r.rows[0].expansion_mrr ==
        money::from_units(20'100'000));  // 3000 × 0.0067
}

TEST_CASE(
    "a missing rate names the currency and the first date that needs it") {
  const auto r = rates(kRates);
  CHECK_THROWS_WITH(
      ndr::build_fx_report(parts("g,2024-01-31,5,GBP\ng,2024-02-29,5,GBP\n"), r,
                           fx_mode::constant, {}),
      "r.csv: no GBP rate on or before 2024-01-31, the first date that needs "
      "one");
  // EUR rates start 02-15: the EUR customer new at 02-29 converts at the row's
  // start, 01-31, in constant currency; spot would need 02-29 only.
  const auto late = rates("2024-02-15,EUR,1.2\n");
  const auto data =
      parts("u,2024-01-31,5,USD\nu,2024-02-29,5,USD\ne,2024-02-29,7,EUR\n");
  CHECK_THROWS_WITH(ndr::build_fx_report(data, late, fx_mode::constant, {}),
                    "r.csv: no EUR rate on or before 2024-01-31, the first "
                    "date that needs one");
  CHECK_THROWS_WITH(ndr::build_fx_report(data, late, fx_mode::spot, {}),
                    "r.csv: no EUR rate on or before 2024-01-31, the first "
                    "date that needs one");
}

TEST_CASE("a customer paying in two currencies is one customer") {
  const auto data = parts(
      "m,2024-01-31,100,EUR\nm,2024-01-31,10,USD\nm,2024-02-29,100,EUR\n");
  CHECK(data.customers == std::vector<std::string>{"m"});
  const auto r =
      ndr::build_fx_report(data, rates(kRates), fx_mode::constant, {});
  REQUIRE(r.rows.size() == 1);
  // 01-31: 110 + 10 = 120; 02-29 at 01-31's rate: 110: contraction 10.
  CHECK(r.rows[0].cohort_customers == 1);
  CHECK(r.rows[0].starting_mrr == whole(120));
  CHECK(r.rows[0].contraction_mrr == whole(10));
  // Spot: 02-29 is 120: flat; impact 120 − 110.
  CHECK(r.rows[0].fx_impact_mrr == whole(10));
}

TEST_CASE("the html bridge shows the FX impact only with --fx") {
  const auto r = ndr::build_fx_report(parts(kTwoCurrencies), rates(kRates),
                                      fx_mode::constant, {});
  const std::string page = ndr::render_html(r, {}, {});
  CHECK(page.find("FX impact (ending at spot rates − in constant "
                  "currency)</th><td class=\"n\">10.00") != std::string::npos);
  ndr::report plain = r;
  plain.fx = false;
  CHECK(ndr::render_html(plain, {}, {}).find("FX impact") == std::string::npos);
}

TEST_CASE("a customer's segment across currencies is its largest row's") {
  // acme: EUR rows of 60 (A) and 50 (B) sum to 110, more than the USD row of
  // 100 (C); SPEC §4 picks the row with the largest amount: C.
  ndr::load_options o;
  o.segment_cols = {"seg"};
  const auto data = ndr::split_currencies(
      ndr::load_texts({{"s.csv",
                        "customer_id,date,mrr,currency,seg\nacme,2024-01-31,60,"
                        "EUR,A\nacme,2024-01-31,50,EUR,B\n"
                        "acme,2024-01-31,100,USD,C\nacme,2024-02-29,60,EUR,"
                        "A\nacme,2024-02-29,50,EUR,B\n"
                        "acme,2024-02-29,100,USD,C\n"}},
                      o));
  const auto r = ndr::build_fx_report(data, rates("2024-01-01,EUR,1\n"),
                                      fx_mode::constant, {});
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].segment == "C");
  CHECK(r.rows[0].starting_mrr == whole(210));
}

TEST_CASE(
    "an amount that converts to zero is an error, not a customer who stops "
    "paying") {
  const auto data = parts(
      "z,2024-01-31,0.000001,EUR\na,2024-01-31,100,USD\n"
      "z,2024-02-29,0.000001,EUR\na,2024-02-29,100,USD\n");
  CHECK_THROWS_WITH(ndr::build_fx_report(data, rates("2024-01-01,EUR,0.4\n"),
                                         fx_mode::constant, {}),
                    "customer 'z' on 2024-01-31: 0.000001 EUR is 0.000000 at "
                    "the rate 0.4; an "
                    "amount this small cannot be converted");
}

TEST_CASE("blank cells and the reporting currency's code are one currency") {
  // 100 blank and −10 USD are 90 USD; checked apart, −10 would be a negative
  // total.
  ndr::load_options o;
  o.reporting_currency = "USD";
  const auto store = ndr::load_texts({{"s.csv",
                                       "customer_id,date,mrr,currency\na,2024-"
                                       "01-31,100,\na,2024-01-31,-10,USD\n"}},
                                     o);
  REQUIRE(store.customers == std::vector<std::string>{"a"});
  CHECK(store.mrr_at(0, 0) == whole(90));
  ndr::load_options inferred;
  inferred.reporting_currency_from_data = true;  // no --fx, no --currency
  const auto same = ndr::load_texts({{"s.csv",
                                      "customer_id,date,mrr,currency\na,2024-"
                                      "01-31,-10,usd\na,2024-01-31,100,\n"}},
                                    inferred);
  CHECK(same.mrr_at(0, 0) == whole(90));
}

TEST_CASE(
    "no byte of an id can look like a currency: a part's currency is held "
    "apart") {
  // acme pays 100 EUR; the other customer 50 then 60 USD. EUR is 1.10 all
  // along, so: 2 customers, start 110 + 50 = 160, end 110 + 60 = 170.
  const auto rows = [](const std::string& other) {
    return "acme,2024-01-31,100,EUR\n" + other +
           ",2024-01-31,50,USD\nacme,2024-02-29,100,EUR\n" + other +
           ",2024-02-29,60,USD\n";
  };
  const auto fx = rates("2024-01-01,EUR,1.10\n");
  const auto plain =
      ndr::build_fx_report(parts(rows("other")), fx, fx_mode::constant, {});
  // Once an id was "ID\x1fCODE" inside: this one would have been acme's EUR
  // part.
  const std::string tricky_id = std::string("acme\x1f") + "EUR";
  const auto data = parts(rows(tricky_id));
  REQUIRE(data.customers.size() == 2);
  CHECK(data.customers[1] == tricky_id);
  CHECK(data.parts.display_name(0) == "acme (EUR)");
  CHECK(data.parts.display_name(1) ==
        tricky_id + " (USD)");  // load_texts({}) sets no currency
  const auto tricky = ndr::build_fx_report(data, fx, fx_mode::constant, {});
  REQUIRE(plain.rows.size() == 1);
  REQUIRE(tricky.rows.size() == 1);
  for (const auto* r : {&plain.rows[0], &tricky.rows[0]}) {
    CHECK(r->cohort_customers == 2);
    CHECK(r->starting_mrr == whole(160));
    CHECK(r->ending_mrr() == whole(170));
    CHECK(r->expansion_mrr == whole(10));
  }
  ndr::format_options csv;
  csv.format = ndr::output_format::csv;
  CHECK(ndr::render_report(tricky, csv) == ndr::render_report(plain, csv));
}

namespace {

// The report the engine builds from currency parts, worked the long way:
// spot rows from a store converted at every date's own rates; constant rows
// one at a time, from the store fx.h converts for that row alone.
std::vector<ndr::report_row> by_stores(const ndr::currency_parts& data,
                                       const ndr::fx_rates& fx, fx_mode mode,
                                       const ndr::report_options& options) {
  const auto spot = ndr::build_report(ndr::spot_store(data, fx), options).rows;
  std::vector<ndr::report_row> constant;
  for (size_t i = 0; i < spot.size(); ++i) {
    if (i > 0 && spot[i].period == spot[i - 1].period) continue;
    ndr::report_options one = options;
    one.from = one.to = spot[i].period;
    const auto store = ndr::fx_store_for_row(data, fx, fx_mode::constant,
                                             options, spot[i].period);
    for (auto& r : ndr::build_report(*store, one).rows) constant.push_back(r);
  }
  std::vector<ndr::report_row> rows = mode == fx_mode::spot ? spot : constant;
  for (auto& r : rows) {
    money s, c;
    for (const auto& x : spot) {
      if (x.period == r.period && x.segment == r.segment) s = x.ending_mrr();
    }
    for (const auto& x : constant) {
      if (x.period == r.period && x.segment == r.segment) c = x.ending_mrr();
    }
    REQUIRE(s.sub(c));
    r.fx_impact_mrr = s;
  }
  return rows;
}

// The cohort triangle the long way round: a spot store for the cells, and
// in constant currency one store per cohort converted at its own period-end
// snapshot's rates (the implementation before the engine converted cells).
std::vector<ndr::cohort_cell> cohorts_by_stores(
    const ndr::currency_parts& data, const ndr::fx_rates& rates, fx_mode mode,
    const ndr::period_scheme& scheme) {
  const std::vector<ndr::day_number>& dates = data.parts.dates;
  std::vector<bool> period_end(dates.size(), false);
  for (size_t d = 0; d < dates.size(); ++d) {
    period_end[d] = d + 1 == dates.size() ||
                    scheme.index_of(dates[d + 1]) != scheme.index_of(dates[d]);
  }
  const auto cells = ndr::build_cohorts(
      ndr::convert_parts(data, rates, {dates, period_end}), scheme);
  if (mode == fx_mode::spot) return cells;
  std::vector<ndr::cohort_cell> out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0 && cells[i].cohort == cells[i - 1].cohort) continue;
    ndr::day_number own = 0;
    for (const ndr::day_number d : dates) {
      if (scheme.index_of(d) == cells[i].cohort) own = d;
    }
    ndr::rate_plan plan{dates, period_end};
    for (size_t d = 0; d < dates.size(); ++d) {
      if (dates[d] >= own) plan.day[d] = own;
      plan.exact[d] = period_end[d] && dates[d] >= own;
    }
    for (const auto& cell :
         ndr::build_cohorts(ndr::convert_parts(data, rates, plan), scheme)) {
      if (cell.cohort == cells[i].cohort) out.push_back(cell);
    }
  }
  return out;
}

std::string cohort_text(const std::vector<ndr::cohort_cell>& cells) {
  std::string out;
  for (const auto& c : cells) {
    out += fmt::format("{} {} {} {} {} {}\n", c.cohort, c.age, c.customers,
                       c.paying, ndr::format_money(c.starting_mrr, 6),
                       ndr::format_money(c.mrr, 6));
  }
  return out;
}

// A store of the customers' names and segments alone, for render_ledger.
ndr::snapshot_store names_of(const ndr::currency_parts& data) {
  ndr::snapshot_store names;
  names.customers = data.customers;
  names.segments = data.parts.segments;
  return names;
}

}  // namespace

TEST_CASE("the engine's currency conversion equals converting whole stores") {
  std::uint64_t seed = 12345;
  const auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  const char* codes[] = {"USD", "EUR", "JPY", ""};
  const char* months[] = {"2024-01-31", "2024-02-29", "2024-03-31",
                          "2024-04-30", "2024-05-31", "2024-06-30"};
  const auto fx = rates(
      "2024-01-01,EUR,1.1\n2024-02-15,EUR,1.15\n2024-04-10,EUR,1.05\n2024-06-"
      "01,EUR,1.2\n"
      "2024-01-01,JPY,0.0067\n2024-03-01,JPY,0.0071\n2024-05-20,JPY,0.0064\n");
  for (int round = 0; round < 40; ++round) {
    std::string rows;
    for (int c = 0; c < 12; ++c) {
      for (int m = 0; m < 6; ++m) {
        // One, two or three parts: c6 pays in JPY alone, c9 in EUR alone.
        for (int part = 0; part < 1 + c % 3; ++part) {
          if (next(3) == 0) continue;  // dips, churn and returns
          // Now and then two rows in one currency on one date: their segment
          // is the larger row's.
          for (int row = next(4) == 0 ? 2 : 1; row > 0; --row) {
            rows += "c" + std::to_string(c) + "," + months[m] + "," +
                    std::to_string(1 + next(500)) + "." +
                    std::to_string(next(100)) + "," + codes[(c + part) % 4] +
                    "," + "ABC"[next(3)] + "\n";
          }
        }
      }
    }
    ndr::load_options lo;
    if (round % 2) lo.segment_cols = {"seg"};
    const auto data = ndr::split_currencies(ndr::load_texts(
        {{"s.csv", "customer_id,date,mrr,currency,seg\n" + rows}}, lo));
    for (const fx_mode mode : {fx_mode::constant, fx_mode::spot}) {
      for (const auto kind :
           {ndr::period_kind::month, ndr::period_kind::quarter}) {
        const ndr::period_scheme scheme{kind, 1};
        const auto want = cohorts_by_stores(data, fx, mode, scheme);
        CHECK(!want.empty());
        CHECK(cohort_text(ndr::build_fx_cohorts(data, fx, mode, scheme)) ==
              cohort_text(want));
      }
      for (const int window : {1, 2}) {
        ndr::report_options o;
        o.window = window;
        o.reactivation = round % 3 ? ndr::reactivation_policy::separate
                                   : ndr::reactivation_policy::include;
        const auto want = by_stores(data, fx, mode, o);
        const auto got = ndr::build_fx_report(data, fx, mode, o).rows;
        REQUIRE(got.size() == want.size());
        ndr::format_options csv =
            ndr::format_options::of(ndr::output_format::csv);
        ndr::report a{o, lo.segment_cols.size() > 0, got, true, {}};
        ndr::report b{o, lo.segment_cols.size() > 0, want, true, {}};
        CHECK(ndr::render_report(a, csv) == ndr::render_report(b, csv));
        // The ledger behind each row, against the one of the row's converted
        // store.
        for (size_t i = 0; i < want.size(); ++i) {
          if (i > 0 && want[i].period == want[i - 1].period) continue;
          const auto store =
              ndr::fx_store_for_row(data, fx, mode, o, want[i].period);
          const auto by_store = ndr::build_ledger(*store, o, want[i].period);
          const auto by_engine =
              ndr::build_fx_ledger(data, fx, mode, o, want[i].period);
          REQUIRE(by_store);
          REQUIRE(by_engine);
          CHECK(ndr::render_ledger(*by_engine, names_of(data), o,
                                   want[i].period, csv) ==
                ndr::render_ledger(*by_store, *store, o, want[i].period, csv));
        }
      }
    }
  }
}

TEST_CASE("a currency without a rate yet is no error where it has no amount") {
  // j pays 10 USD every month and 1,000 JPY from May; JPY has rates from
  // April. No row before May has a JPY amount, so none needs a JPY rate.
  // (Once an internal error: rates were compared for parts without amounts.)
  const auto data = parts(
      "j,2024-01-31,10,USD\nj,2024-02-29,10,USD\nj,2024-03-31,10,USD\n"
      "j,2024-04-30,10,USD\nj,2024-05-31,10,USD\nj,2024-05-31,1000,JPY\n");
  const auto fx = rates("2024-04-01,JPY,0.0067\n");
  for (const fx_mode mode : {fx_mode::constant, fx_mode::spot}) {
    const auto r = ndr::build_fx_report(data, fx, mode, {});
    REQUIRE(r.rows.size() == 4);
    CHECK(r.rows[0].starting_mrr == whole(10));  // February: USD only
    CHECK(r.rows[0].ending_mrr() == whole(10));
    CHECK(r.rows[3].starting_mrr == whole(10));  // May: 10 + 1,000 × 0.0067
    CHECK(r.rows[3].ending_mrr() == money::from_units(16'700'000));
    for (const auto& row : r.rows) {
      CHECK(ndr::build_fx_ledger(data, fx, mode, {}, row.period));
    }
  }
}

TEST_CASE("a date without a rate, before a report row, still counts as paid") {
  // g pays 10 GBP on 2024-01-15, not on 01-31, and again on 02-29; GBP has
  // rates from 01-20 (1.25), so 01-15 has none, and needs none. The February
  // row's cohort is u alone (5 USD); g is back, not new: reactivation 12.50.
  const auto data = parts(
      "u,2024-01-15,5,USD\ng,2024-01-15,10,GBP\nu,2024-01-31,5,USD\n"
      "u,2024-02-29,5,USD\ng,2024-02-29,10,GBP\n");
  const auto fx = rates("2024-01-20,GBP,1.25\n");
  for (const fx_mode mode : {fx_mode::constant, fx_mode::spot}) {
    const auto r = ndr::build_fx_report(data, fx, mode, {});
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0].cohort_customers == 1);
    CHECK(r.rows[0].starting_mrr == whole(5));
    CHECK(r.rows[0].reactivated_customers == 1);
    CHECK(r.rows[0].new_customers == 0);
    CHECK(r.rows[0].reactivation_mrr == money::from_units(12'500'000));
    CHECK(r.rows[0].end_total_mrr == money::from_units(17'500'000));
    CHECK(r.rows[0].fx_impact_mrr == money());
    const auto ledger = ndr::build_fx_ledger(data, fx, mode, {}, 24289);
    REQUIRE(ledger);
    REQUIRE(ledger->size() == 2);  // u flat, g back
    for (const auto& line : *ledger) {
      const bool g = data.customers[line.customer] == "g";
      CHECK(line.kind ==
            (g ? ndr::movement::reactivation : ndr::movement::flat));
      CHECK(line.end_mrr == (g ? money::from_units(12'500'000) : whole(5)));
    }
  }
}

TEST_CASE(
    "an amount that converts to 0 stops every command, also between report "
    "rows") {
  // Weekly snapshots, a monthly report: 0.000001 EUR on 2024-01-15 is no
  // report row's start or end, but a converted store holds it, so report,
  // movements and cohorts all refuse it, with one message.
  const auto data = parts(
      "e,2024-01-08,10,EUR\nz,2024-01-15,0.000001,EUR\ne,2024-01-31,10,EUR\n"
      "e,2024-02-29,10,EUR\n");
  const auto fx = rates("2024-01-01,EUR,0.4\n");
  const char* want =
      "customer 'z' on 2024-01-15: 0.000001 EUR is 0.000000 at the rate 0.4; "
      "an "
      "amount this small cannot be converted";
  for (const fx_mode mode : {fx_mode::constant, fx_mode::spot}) {
    CHECK_THROWS_WITH(ndr::build_fx_report(data, fx, mode, {}), want);
    CHECK_THROWS_WITH(ndr::build_fx_ledger(data, fx, mode, {}, 24289),
                      want);  // 2024-02
    CHECK_THROWS_WITH(ndr::build_fx_cohorts(data, fx, mode, {}), want);
  }
}

TEST_CASE(
    "an amount that cannot be converted at its own date's rate is the error, "
    "before one that fails in a report row") {
  // 'a' converts at its own rates (10 × 0.4, 0.000001 × 1), but its February
  // amount at January's rate is 0: a row error, in constant currency. 'z'
  // cannot be converted at all (0.000001 × 0.4 on 2024-01-15): that error
  // stops every command (check_conversions), so it is the one reported,
  // however the owners are split over threads.
  const auto data = parts(
      "a,2024-01-08,1,EUR\nz,2024-01-15,0.000001,EUR\na,2024-01-31,10,EUR\n"
      "e,2024-01-31,10,EUR\na,2024-02-29,0.000001,EUR\ne,2024-02-29,10,EUR\n");
  const auto fx = rates("2024-01-01,EUR,0.4\n2024-02-29,EUR,1\n");
  const char* want =
      "customer 'z' on 2024-01-15: 0.000001 EUR is 0.000000 at the rate 0.4; "
      "an amount this small cannot be converted";
  for (const std::uint64_t parallel_work : {std::uint64_t(1) << 40, 0ul}) {
    ndr::report_options o;
    o.parallel_work = parallel_work;
    CHECK_THROWS_WITH(ndr::build_fx_report(data, fx, fx_mode::constant, o),
                      want);
    CHECK_THROWS_WITH(ndr::build_fx_ledger(data, fx, fx_mode::constant, o,
                                           24289),  // 2024-02
                      want);
  }
  // Without 'z', the row error is 'a''s, at January's rate.
  const auto without_z = parts(
      "a,2024-01-31,10,EUR\ne,2024-01-31,10,EUR\n"
      "a,2024-02-29,0.000001,EUR\ne,2024-02-29,10,EUR\n");
  for (const std::uint64_t parallel_work : {std::uint64_t(1) << 40, 0ul}) {
    ndr::report_options o;
    o.parallel_work = parallel_work;
    CHECK_THROWS_WITH(
        ndr::build_fx_report(without_z, fx, fx_mode::constant, o),
        "customer 'a' on 2024-02-29: 0.000001 EUR is 0.000000 at the rate "
        "0.4; an amount this small cannot be converted");
    // A spot ledger converts each date at its own rates only.
    CHECK(ndr::build_fx_ledger(without_z, fx, fx_mode::spot, o, 24289));
  }
}

TEST_CASE("the cohort triangle needs the rates its cells use, and no more") {
  // u joins in January paying USD and adds EUR from March; f joins in
  // February in EUR. EUR has rates from 02-01 (1.1) and 03-15 (1.2).
  const auto data = parts(
      "u,2024-01-31,10,USD\nu,2024-02-29,10,USD\nf,2024-02-29,100,EUR\n"
      "u,2024-03-31,10,USD\nu,2024-03-31,50,EUR\nf,2024-03-31,100,EUR\n");
  const auto fx = rates("2024-02-01,EUR,1.1\n2024-03-15,EUR,1.2\n");
  // Spot: each cell at its own date's rates; all of them exist.
  const auto spot = ndr::build_fx_cohorts(data, fx, fx_mode::spot, {});
  REQUIRE(spot.size() == 5);         // Jan: ages 0-2; Feb: ages 0-1
  CHECK(spot[2].mrr == whole(70));   // u in March: 10 + 50 × 1.2
  CHECK(spot[4].mrr == whole(120));  // f in March: 100 × 1.2
  // Constant: u's cells convert at January's rates, which EUR lacks.
  CHECK_THROWS_WITH(
      ndr::build_fx_cohorts(data, fx, fx_mode::constant, {}),
      "r.csv: no EUR rate on or before 2024-01-31, the first date that needs "
      "one");
  // Without u's euros, February's cohort converts at 1.1 throughout.
  const auto feb = parts(
      "u,2024-01-31,10,USD\nu,2024-02-29,10,USD\nf,2024-02-29,100,EUR\n"
      "u,2024-03-31,10,USD\nf,2024-03-31,100,EUR\n");
  const auto constant = ndr::build_fx_cohorts(feb, fx, fx_mode::constant, {});
  REQUIRE(constant.size() == 5);
  CHECK(constant[3].starting_mrr == whole(110));
  CHECK(constant[4].mrr == whole(110));  // not 120: February's rate
}
