// Subscription input (docs/inputs.md): every expected value here is worked
// out by hand in the comments, never copied from ndr's output.
#include "ndr/subscriptions.h"

#include <catch2/catch.hpp>

#include "ndr/engine.h"
#include "ndr/format.h"
#include "ndr/presets.h"

using ndr::billing_interval;
using ndr::money;
using ndr::subscription_mrr;

// The hints every amount and date error ends with (docs/data-format.md).
#define AMOUNT_HINT                                                          \
  " (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and " \
  "--locale de reads a German export at once: ; 1.234,50 31.01.2024)"
#define DATE_HINT                                                             \
  ": expected YYYY-MM-DD, YYYY-MM or a date-time (--date-format reads other " \
  "layouts, e.g. %d/%m/%Y)"

namespace {

money units(std::int64_t u) { return money::from_units(u); }
money whole(std::int64_t w) { return money::from_whole(w); }

std::string mrr(money amount, billing_interval i, std::int64_t count = 1,
                money q = whole(1), int minor = 0) {
  return ndr::format_money(*subscription_mrr(amount, q, i, count, minor), 6);
}

std::string derive(const std::string& text, ndr::subscription_options o = {}) {
  return ndr::derived_csv(ndr::derive_snapshot_texts({{"t.csv", text}}, o));
}

const char kSubs[] =
    "customer_id,start_date,end_date,amount,interval,quantity,status\n"
    "a,2024-01-15,,100,month,,active\n"           // open-ended
    "b,2024-01-01,2024-02-29,30,month,,active\n"  // ends exactly on a snapshot
                                                  // date
    "c,2024-02-01,2024-03-15,120,quarter,3,canceled\n"  // 120 × 3 ÷ 3 =
                                                        // 120.000000
    "d,2024-03-01,,10,month,,trialing\n";

}  // namespace

TEST_CASE("monthly amount per interval, rounded once, half to even") {
  CHECK(mrr(whole(1200), billing_interval::year) == "100.000000");  // 1200 / 12
  CHECK(mrr(whole(100), billing_interval::quarter) ==
        "33.333333");  // 33.3333333…
  CHECK(mrr(whole(200), billing_interval::quarter) ==
        "66.666667");  // 66.6666666…
  CHECK(mrr(whole(10), billing_interval::week) == "43.333333");  // 10 × 52 / 12
  CHECK(mrr(whole(1), billing_interval::day) ==
        "30.416667");  // 365 / 12 = 30.41666…
  CHECK(mrr(whole(50), billing_interval::month) == "50.000000");
  CHECK(mrr(whole(50), billing_interval::month, 3) ==
        "16.666667");  // every 3 months
  CHECK(mrr(whole(10), billing_interval::month, 1, units(2'500'000)) ==
        "25.000000");  // × 2.5
  CHECK(mrr(whole(10), billing_interval::month, 1, money()) ==
        "0.000000");                                                // × 0
  CHECK(mrr(whole(-30), billing_interval::month) == "-30.000000");  // a credit
  // Exactly half a millionth: to the even neighbour, never away from zero.
  CHECK(mrr(units(1), billing_interval::month, 2) == "0.000000");  // 0.0000005
  CHECK(mrr(units(3), billing_interval::month, 2) == "0.000002");  // 0.0000015
  CHECK(mrr(units(18), billing_interval::year) == "0.000002");     // 0.0000015
  CHECK(mrr(units(-3), billing_interval::month, 2) == "-0.000002");
  // One rounding for the whole product: 100 × 3 quarterly is 100.000000,
  // not 3 × 33.333333 = 99.999999.
  CHECK(mrr(whole(100), billing_interval::quarter, 1, whole(3)) ==
        "100.000000");
}

TEST_CASE("amounts in minor units: cents, yen and fils exactly") {
  CHECK(ndr::minor_unit_digits("USD") == 2);
  CHECK(ndr::minor_unit_digits("JPY") == 0);
  CHECK(ndr::minor_unit_digits("KWD") == 3);
  CHECK(mrr(whole(1999), billing_interval::month, 1, whole(1), 2) ==
        "19.990000");
  CHECK(mrr(whole(12000), billing_interval::month, 1, whole(1), 0) ==
        "12000.000000");
  CHECK(mrr(whole(12345), billing_interval::month, 1, whole(1), 3) ==
        "12.345000");
  CHECK(mrr(whole(100), billing_interval::year, 1, whole(1), 2) ==
        "0.083333");  // $1 a year
}

TEST_CASE(
    "derived snapshots: month ends from the first start to the latest date") {
  // First start 2024-01-01; as-of = the latest start or end = 2024-03-15,
  // so the month ends are 01-31 and 02-29 (03-31 is after it).
  CHECK(derive(kSubs) ==
        "customer_id,date,mrr,source\n"
        "a,2024-01-31,100.000000,t.csv:2\n"
        "b,2024-01-31,30.000000,t.csv:3\n"
        "a,2024-02-29,100.000000,t.csv:2\n"
        "c,2024-02-29,120.000000,t.csv:4\n");
}

TEST_CASE("derived snapshots: --as-of, --exclude-status and --snapshot-day") {
  ndr::subscription_options o;
  o.as_of = ndr::parse_date("2024-03-31");
  CHECK(derive(kSubs, o) ==
        "customer_id,date,mrr,source\n"
        "a,2024-01-31,100.000000,t.csv:2\n"
        "b,2024-01-31,30.000000,t.csv:3\n"
        "a,2024-02-29,100.000000,t.csv:2\n"
        "c,2024-02-29,120.000000,t.csv:4\n"
        "a,2024-03-31,100.000000,t.csv:2\n"
        "d,2024-03-31,10.000000,t.csv:5\n");
  o.exclude_status = {"TRIALING", "canceled"};  // any case
  CHECK(derive(kSubs, o) ==
        "customer_id,date,mrr,source\n"
        "a,2024-01-31,100.000000,t.csv:2\n"
        "b,2024-01-31,30.000000,t.csv:3\n"
        "a,2024-02-29,100.000000,t.csv:2\n"
        "a,2024-03-31,100.000000,t.csv:2\n");
  ndr::subscription_options day;
  day.snapshot_day =
      15;  // 01-15, 02-15, 03-15; a starts on 01-15 and counts there
  CHECK(derive(kSubs, day) ==
        "customer_id,date,mrr,source\n"
        "a,2024-01-15,100.000000,t.csv:2\n"
        "b,2024-01-15,30.000000,t.csv:3\n"
        "a,2024-02-15,100.000000,t.csv:2\n"
        "b,2024-02-15,30.000000,t.csv:3\n"
        "c,2024-02-15,120.000000,t.csv:4\n"
        "a,2024-03-15,100.000000,t.csv:2\n"
        "d,2024-03-15,10.000000,t.csv:5\n");
}

TEST_CASE("the snapshot day is clamped to the month's last day") {
  ndr::subscription_options o;
  o.snapshot_day = 30;
  o.as_of = ndr::parse_date("2024-03-31");
  const auto d = ndr::derive_snapshot_texts(
      {{"t.csv", "customer_id,start_date,end_date,amount\nx,2024-01-01,,5\n"}},
      o);
  REQUIRE(d.dates.size() == 3);
  CHECK(ndr::format_date(d.dates[0]) == "2024-01-30");
  CHECK(ndr::format_date(d.dates[1]) == "2024-02-29");
  CHECK(ndr::format_date(d.dates[2]) == "2024-03-30");
}

TEST_CASE("a snapshot date on which nothing counts keeps one zero row") {
  ndr::subscription_options o;
  o.as_of = ndr::parse_date("2024-03-31");
  CHECK(derive("customer_id,start_date,end_date,amount\n"
               "x,2024-01-01,2024-01-20,5\n"
               "y,2024-03-01,,7\n",
               o) ==
        "customer_id,date,mrr,source\n"
        "x,2024-01-31,0.000000,\n"
        "x,2024-02-29,0.000000,\n"
        "y,2024-03-31,7.000000,t.csv:3\n");
}

TEST_CASE("a report from subscriptions, worked by hand") {
  ndr::subscription_options o;
  o.as_of = ndr::parse_date("2024-03-31");
  const auto store =
      ndr::load_derived(ndr::derive_snapshot_texts({{"t.csv", kSubs}}, o), {});
  const auto r = ndr::build_report(store, {});
  REQUIRE(r.rows.size() == 2);
  // 2024-02: cohort a 100 + b 30 = 130; b ended on 02-29: churn 30; c is new.
  const auto& feb = r.rows[0];
  CHECK(feb.starting_mrr == whole(130));
  CHECK(feb.churned_mrr == whole(30));
  CHECK(feb.ending_mrr() == whole(100));
  CHECK(feb.new_mrr == whole(120));
  CHECK(ndr::format_ratio(feb.ndr()) == "0.7692");  // 100 / 130
  CHECK(ndr::format_ratio(feb.logo_retention()) == "0.5000");
  // 2024-03: cohort a 100 + c 120 = 220; c ended 03-15: churn 120; d is new.
  const auto& mar = r.rows[1];
  CHECK(mar.starting_mrr == whole(220));
  CHECK(mar.churned_mrr == whole(120));
  CHECK(mar.new_mrr == whole(10));
  CHECK(ndr::format_ratio(mar.ndr()) == "0.4545");  // 100 / 220
}

TEST_CASE("a quantity change is expansion") {
  // The same customer's seat count goes 2 → 3 on 02-01: two subscription
  // periods.
  const auto store = ndr::load_derived(
      ndr::derive_snapshot_texts(
          {{"t.csv",
            "customer_id,start_date,end_date,amount,quantity\n"
            "q,2024-01-01,2024-02-01,20,2\n"
            "q,2024-02-01,2024-03-01,20,3\n"}},
          {}),
      {});
  const auto r = ndr::build_report(store, {});
  REQUIRE(r.rows.size() == 1);  // 01-31 and 02-29 (as-of 03-01)
  CHECK(r.rows[0].starting_mrr == whole(40));
  CHECK(r.rows[0].expansion_mrr == whole(20));
  CHECK(r.rows[0].expanded_customers == 1);
}

TEST_CASE("bad subscription rows name file, line and column") {
  const std::string head =
      "customer_id,start_date,end_date,amount,interval,interval_count,"
      "quantity\n";
  const auto fails = [&](const std::string& row) { return derive(head + row); };
  CHECK_THROWS_WITH(fails("a,2024-01-01,,10,fortnight,,\n"),
                    "t.csv:2: column 'interval': invalid interval 'fortnight': "
                    "not one of day, "
                    "week, month, quarter, year");
  CHECK_THROWS_WITH(fails("a,2024-01-01,,10,month,0,\n"),
                    "t.csv:2: column 'interval_count': invalid interval count "
                    "'0': not a whole "
                    "number from 1 to 100000");
  CHECK_THROWS_WITH(
      fails("a,2024-01-01,,10,month,,-1\n"),
      "t.csv:2: column 'quantity': invalid quantity '-1': not a number >= 0");
  CHECK_THROWS_WITH(fails("a,2024-02-01,2024-01-01,10,,,\n"),
                    "t.csv:2: column 'end_date': the end 2024-01-01 is before "
                    "the start 2024-02-01");
  CHECK_THROWS_WITH(fails("a,,,10,,,\n"),
                    "t.csv:2: column 'start_date': empty start date");
  CHECK_THROWS_WITH(fails(",2024-01-01,,10,,,\n"),
                    "t.csv:2: column 'customer_id': empty customer id");
  CHECK_THROWS_WITH(fails("a,2024-01-01,,ten,,,\n"),
                    "t.csv:2: column 'amount': invalid amount 'ten': not a "
                    "number" AMOUNT_HINT);
  CHECK_THROWS_WITH(derive("customer_id,start_date,amount\na,2024-01-01,5\n"),
                    Catch::Contains("t.csv:1: missing column 'end_date'"));
  ndr::subscription_options o;
  o.exclude_status = {"trialing"};
  CHECK_THROWS_WITH(
      derive(head + "a,2024-01-01,,10,,,\n", o),
      "t.csv:1: --exclude-status needs a status column, and the header has no "
      "'status' (name it with --status-col)");
  o.status.names = {"status"};
  CHECK_THROWS_WITH(derive("customer_id,start_date,end_date,amount,status\na,"
                           "2024-01-01,,1,trialing\n",
                           o),
                    "no subscription rows in t.csv after --exclude-status");
  ndr::subscription_options early;
  early.as_of = ndr::parse_date("2023-12-31");
  CHECK_THROWS_WITH(derive(head + "a,2024-01-01,,10,,,\n", early),
                    "no snapshot date: --as-of 2023-12-31 is before the first "
                    "start 2024-01-01");
}

TEST_CASE("the mrr-playbook preset reads subscription_periods") {
  const ndr::preset* p = ndr::find_preset("mrr-playbook");
  REQUIRE(p);
  ndr::subscription_options o = p->options;
  o.as_of = ndr::parse_date("2024-02-29");
  CHECK(
      derive("subscription_id,customer_id,start_date,end_date,monthly_amount\n"
             "1,7,2024-01-01,2024-02-01,25\n"
             "2,7,2024-02-01,,30\n",
             o) ==
      "customer_id,date,mrr,source\n"
      "7,2024-01-31,25.000000,t.csv:2\n"
      "7,2024-02-29,30.000000,t.csv:3\n");
}

TEST_CASE(
    "the chargebee preset: API fields in minor units, zero-decimal JPY exact") {
  const ndr::preset* p = ndr::find_preset("chargebee");
  REQUIRE(p);
  ndr::subscription_options o = p->options;
  o.as_of = ndr::parse_date("2024-01-31");
  CHECK(
      derive(
          "id,customer_id,plan_unit_price,plan_quantity,billing_period,billing_"
          "period_unit,"
          "currency_code,status,started_at,cancelled_at\n"
          "s1,c1,120000,1,1,year,USD,active,2024-01-05 10:00:00,\n"  // $1,200.00
                                                                     // a year
          "s2,c2,3000,2,3,month,JPY,active,2024-01-05 10:00:00,\n",  // ¥3,000 ×
                                                                     // 2 per 3
                                                                     // months
          o) ==
      "customer_id,date,mrr,currency,source\n"
      "c1,2024-01-31,100.000000,USD,t.csv:2\n"
      "c2,2024-01-31,2000.000000,JPY,t.csv:3\n");
}

TEST_CASE("the stripe-api preset: cents and yen, lower-case currencies") {
  const ndr::preset* p = ndr::find_preset("stripe-api");
  REQUIRE(p);
  ndr::subscription_options o = p->options;
  o.as_of = ndr::parse_date("2024-01-31");
  CHECK(derive(
            "id,customer,start_date,ended_at,unit_amount,recurring_interval,"
            "recurring_interval_count,quantity,currency,status\n"
            "sub_1,cus_1,2024-01-02,,4900,month,1,5,usd,active\n"  // 5 × $49.00
            "sub_2,cus_2,2024-01-02,,120000,month,3,1,jpy,active\n"  // ¥120,000
                                                                     // per 3
                                                                     // months
            "sub_3,cus_3,2024-01-02,,999,year,,1,usd,active\n",  // $9.99 a year
                                                                 // = 0.8325
            o) ==
        "customer_id,date,mrr,currency,source\n"
        "cus_1,2024-01-31,245.000000,USD,t.csv:2\n"
        "cus_2,2024-01-31,40000.000000,JPY,t.csv:3\n"
        "cus_3,2024-01-31,0.832500,USD,t.csv:4\n");
}

TEST_CASE("the stripe preset reads the Dashboard export's headers") {
  const ndr::preset* p = ndr::find_preset("stripe");
  REQUIRE(p);
  ndr::subscription_options o = p->options;
  o.as_of = ndr::parse_date("2024-02-29");
  // Older exports say "Start (UTC)"; the first name present wins.
  CHECK(
      derive("id,Customer ID,Quantity,Currency,Interval,Amount,Status,Start "
             "(UTC),Ended At (UTC)\n"
             "sub_1,cus_1,2,eur,year,1200.00,active,2024-01-10 "
             "08:00,2024-02-10 08:00\n",
             o) ==
      "customer_id,date,mrr,currency,source\n"
      "cus_1,2024-01-31,200.000000,EUR,t.csv:2\n"
      "cus_1,2024-02-29,0.000000,,\n");  // ended 02-10: nothing counts on 02-29
}

TEST_CASE(
    "blank currency cells in minor units take the reporting currency's unit") {
  ndr::subscription_options o = ndr::find_preset("stripe-api")->options;
  o.as_of = ndr::parse_date("2024-01-31");
  const std::string text =
      "id,customer,start_date,ended_at,unit_amount,currency\n"
      "s1,a,2024-01-01,,5000,jpy\n"
      "s2,b,2024-01-01,,5000,\n";
  // No --currency: the data's single code, JPY, so ¥5,000 (not $50.00).
  CHECK(derive(text, o) ==
        "customer_id,date,mrr,currency,source\n"
        "a,2024-01-31,5000.000000,JPY,t.csv:2\n"
        "b,2024-01-31,5000.000000,,t.csv:3\n");
  o.reporting_currency = "USD";  // --currency USD, or --fx: cents
  CHECK(derive(text, o) ==
        "customer_id,date,mrr,currency,source\n"
        "a,2024-01-31,5000.000000,JPY,t.csv:2\n"
        "b,2024-01-31,50.000000,,t.csv:3\n");
}

namespace {

// Every field of two stores, for the test below.
void check_same_store(const ndr::snapshot_store& a,
                      const ndr::snapshot_store& b) {
  CHECK(a.customers == b.customers);
  CHECK(a.customer_currency == b.customer_currency);
  CHECK(a.currency_names == b.currency_names);
  CHECK(a.dates == b.dates);
  CHECK(a.offsets == b.offsets);
  CHECK(a.entry_date == b.entry_date);
  CHECK(a.entry_mrr == b.entry_mrr);
  CHECK(a.entry_segment == b.entry_segment);
  CHECK(a.segments == b.segments);
  CHECK(a.entry_segment_amount == b.entry_segment_amount);
  CHECK(a.rows_read == b.rows_read);
}

}  // namespace

TEST_CASE(
    "derived rows go straight into the store, as their printed CSV would "
    "load") {
  // samples/subscriptions.csv has four currencies, parents, a gap and every
  // movement; segmenting by plan and by the currency column itself.
  std::string text;
  {
    std::FILE* f =
        std::fopen(NDR_SOURCE_DIR "/samples/subscriptions.csv", "rb");
    REQUIRE(f);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
      text.append(buf, n);
    std::fclose(f);
  }
  for (const std::vector<std::string>& segments :
       {std::vector<std::string>{}, {"plan"}, {"currency", "plan"}}) {
    ndr::subscription_options o;
    o.segment_cols = segments;
    o.reporting_currency = "USD";
    const auto derived = ndr::derive_snapshot_texts({{"s.csv", text}}, o);
    ndr::load_options l;
    l.segment_cols = segments;
    l.reporting_currency = "USD";
    l.currency_col = "currency";
    const auto direct = ndr::load_derived(derived, l);
    const auto printed =
        ndr::load_text({"d.csv", ndr::derived_csv(derived)}, l);
    CHECK(direct.customer_currency.size() > 0);  // EUR, GBP and JPY parts
    check_same_store(direct, printed);
    ndr::load_options shared = l;  // the dates in two shares, on two threads
    shared.parallel_rows = 0;
    check_same_store(ndr::load_derived(derived, shared), printed);
  }
}

TEST_CASE(
    "subscriptions given back before the sums: the same store, and derived "
    "again only to name a failed sum's subscription") {
  ndr::subscription_options o;
  o.as_of = ndr::parse_date("2024-03-31");
  std::vector<bool> calls;
  const auto derive = [&](const char* text) {
    return [&calls, &o, text](bool again) {
      calls.push_back(again);
      return ndr::derive_snapshot_texts({{"t.csv", text}}, o);
    };
  };
  const auto kept =
      ndr::load_derived(ndr::derive_snapshot_texts({{"t.csv", kSubs}}, o), {});
  const auto given_back = ndr::load_derived(derive(kSubs), {});
  CHECK(calls == std::vector<bool>{false});
  ndr::format_options csv;
  csv.format = ndr::output_format::csv;
  CHECK(ndr::render_report(ndr::build_report(given_back, {}), csv) ==
        ndr::render_report(ndr::build_report(kept, {}), csv));
  CHECK(given_back.customers == kept.customers);
  CHECK(given_back.entry_date == kept.entry_date);
  CHECK(given_back.entry_mrr == kept.entry_mrr);

  calls.clear();
  const char* negative =
      "customer_id,start_date,end_date,amount\n"
      "a,2024-01-01,,100\nb,2024-01-01,,5\na,2024-02-01,,-150\n";
  CHECK_THROWS_WITH(ndr::load_derived(derive(negative), {}),
                    "t.csv:2: column 'amount': customer 'a' has a negative "
                    "total MRR (-50.00) on 2024-02-29");
  CHECK(calls == std::vector<bool>{false, true});
  ndr::load_options shared;  // the same error from two shares of dates
  shared.parallel_rows = 0;
  CHECK_THROWS_WITH(ndr::load_derived(derive(negative), shared),
                    "t.csv:2: column 'amount': customer 'a' has a negative "
                    "total MRR (-50.00) on 2024-02-29");

  // Segments travel with the rows, not by position: a failed sum derives
  // them again to name the row, as without segments.
  calls.clear();
  o.segment_cols = {"plan"};
  ndr::load_options segmented;
  segmented.segment_cols = {"plan"};
  CHECK_THROWS_WITH(
      ndr::load_derived(derive("customer_id,start_date,end_date,amount,plan\n"
                               "a,2024-01-01,,100,x\na,2024-02-01,,-150,y\n"),
                        segmented),
      "t.csv:2: column 'amount': customer 'a' has a negative total MRR "
      "(-50.00) on 2024-02-29");
  CHECK(calls == std::vector<bool>{false, true});
}
