#include "ndr/money.h"

#include <catch2/catch.hpp>

#include "splitmix.h"

using ndr::money;

namespace {

std::int64_t units(const char* text) {
  const char* why = nullptr;
  const auto m = ndr::parse_money(text, &why);
  INFO(text << ": " << (why ? why : ""));
  REQUIRE(m);
  return m->units();
}

std::string reason(const char* text) {
  const char* why = nullptr;
  const auto m = ndr::parse_money(text, &why);
  REQUIRE_FALSE(m);
  return why;
}

}  // namespace

TEST_CASE("parse_money reads the amounts SPEC §1 allows, exactly") {
  CHECK(units("1200") == 1'200'000'000);
  CHECK(units("1200.5") == 1'200'500'000);
  CHECK(units("-30.25") == -30'250'000);
  CHECK(units("+7") == 7'000'000);
  CHECK(units("  42.10\t") == 42'100'000);
  CHECK(units("1,200.50") == 1'200'500'000);
  CHECK(units("1,234,567") == 1'234'567'000'000);
  CHECK(units("$1,200.50") == 1'200'500'000);
  CHECK(units("\xE2\x82\xAC"
              "99") == 99'000'000);  // €
  CHECK(units("\xC2\xA3"
              "0.01") == 10'000);  // £
  CHECK(units("-$5") == -5'000'000);
  CHECK(units("(12.50)") == -12'500'000);
  CHECK(units("($12.50)") == -12'500'000);
  CHECK(units("0.000001") == 1);
  CHECK(units("1.1234560") == 1'123'456);  // a trailing zero loses nothing
  CHECK(units(".5") == 500'000);
  CHECK(units("0") == 0);
  CHECK(units("9223372036854.775807") == INT64_MAX);
}

TEST_CASE("parse_money rejects what it cannot read exactly") {
  CHECK(reason("") == std::string("empty amount"));
  CHECK(reason("   ") == std::string("empty amount"));
  CHECK(reason("abc") == std::string("not a number"));
  CHECK(reason("1,20") == std::string("misplaced thousands separator"));
  CHECK(reason("1,2345") == std::string("misplaced thousands separator"));
  CHECK(reason(",123") == std::string("misplaced thousands separator"));
  CHECK(reason("1234,567") == std::string("misplaced thousands separator"));
  CHECK(reason("1.1234567") == std::string("more than 6 decimal places"));
  CHECK(reason("1e5") == std::string("not a number"));
  CHECK(reason("5.") == std::string("no digits after the decimal point"));
  CHECK(reason("-") == std::string("not a number"));
  CHECK(reason("$") == std::string("not a number"));
  const std::string foreign =
      "unknown currency symbol or text (ndr reads $, € and £ before the "
      "number, and after it with --decimal-comma or --locale: 12,50 €)";
  CHECK(reason("\xC2\xA5"
               "100") == foreign);              // ¥
  CHECK(reason("100\xE2\x82\xAC") == foreign);  // 100€
  CHECK(reason("USD 100") == foreign);
  CHECK(reason("100 EUR") == foreign);
  CHECK(reason("12$") == foreign);
  CHECK(reason("$$12") == foreign);
  CHECK(reason("n/a") == std::string("not a number"));
  CHECK(reason("TBD") ==
        std::string("not a number"));  // a code needs a number beside it
  CHECK(reason("USD") == std::string("not a number"));
  CHECK(reason("1.2.3") == std::string("not a number"));
  CHECK(reason("--5") == std::string("not a number"));
  CHECK(reason("$-5") == std::string("not a number"));  // the sign comes first
  CHECK(reason("-(5)") == std::string("not a number"));
  CHECK(reason("9223372036854.775808") == std::string("too large"));
  CHECK(reason("99999999999999999999") == std::string("too large"));
}

TEST_CASE("format_money prints fixed decimals, rounding half away from zero") {
  CHECK(ndr::format_money(money::from_units(1'005'000), 2) == "1.01");
  CHECK(ndr::format_money(money::from_units(1'004'999), 2) == "1.00");
  CHECK(ndr::format_money(money::from_units(-1'005'000), 2) == "-1.01");
  CHECK(ndr::format_money(money::from_units(-4'999), 2) == "0.00");
  CHECK(ndr::format_money(money::from_units(0), 2) == "0.00");
  CHECK(ndr::format_money(money::from_whole(1234567), 2, true) ==
        "1,234,567.00");
  CHECK(ndr::format_money(money::from_whole(123), 0, true) == "123");
  CHECK(ndr::format_money(money::from_whole(1000), 0, true) == "1,000");
  CHECK(ndr::format_money(money::from_units(INT64_MAX), 6) ==
        "9223372036854.775807");
  CHECK(ndr::format_money(money::from_units(INT64_MAX), 2) ==
        "9223372036854.78");
}

TEST_CASE("money arithmetic reports overflow instead of wrapping") {
  money m = money::from_units(INT64_MAX);
  CHECK_FALSE(m.add(money::from_units(1)));
  CHECK(m.units() == INT64_MAX);
  money n = money::from_units(INT64_MIN);
  CHECK_FALSE(n.sub(money::from_units(1)));
  money k = money::from_units(INT64_MAX / 11);
  CHECK(k.mul(11));
  CHECK_FALSE(k.mul(2));
}

TEST_CASE("ratios are the exact quotient rounded half away from zero") {
  // SPEC §3's worked checks.
  CHECK(ndr::format_ratio({105'000, 100'000}) == "1.0500");
  CHECK(ndr::format_ratio({85'000, 100'000}) == "0.8500");
  CHECK(ndr::format_ratio({161'500, 150'000}) == "1.0767");
  CHECK(ndr::format_ratio({1, 8}, 2) == "0.13");  // .125 rounds up
  CHECK(ndr::format_ratio({2, 3}) == "0.6667");
  CHECK(ndr::format_ratio({1, 3}) == "0.3333");
  CHECK(ndr::format_ratio({100'005, 2'000'000}) == "0.0500");  // 0.05000250
  CHECK(ndr::format_ratio({0, 1}) == "0.0000");
  CHECK(ndr::format_ratio({1, 0}).empty());
  CHECK(ndr::format_percent({1'050, 1'000}) == "105.0%");
  CHECK(ndr::format_percent({2, 3}) == "66.7%");
  CHECK(ndr::format_percent({1, 0}) == "\xE2\x80\x94");
  // Exact near a rounding edge: 0.99995 must round up to 1.0000, which a
  // double (0.99994999…) can get wrong.
  CHECK(ndr::format_ratio({99'995, 100'000}) == "1.0000");
  CHECK(ndr::format_ratio({99'994'999, 100'000'000}) == "0.9999");
}

TEST_CASE("ratio::compare is exact") {
  const ndr::ratio r{95, 100};
  CHECK(r.compare(950'000) == 0);
  CHECK(r.compare(950'001) < 0);
  CHECK(r.compare(949'999) > 0);
  CHECK(ndr::ratio{2, 3}.compare(666'667) < 0);
  CHECK(ndr::ratio{2, 3}.compare(666'666) > 0);
}

TEST_CASE("decimal comma amounts swap the roles of . and ,") {
  const char* why = nullptr;
  const auto parse = [&](const char* t) {
    return ndr::parse_money(t, &why, true);
  };
  CHECK(parse("1.234,56")->units() == 1'234'560'000);
  CHECK(parse("1234,5")->units() == 1'234'500'000);
  CHECK(parse("-0,01")->units() == -10'000);
  CHECK(parse("(1.000)")->units() == -1'000'000'000);
  CHECK_FALSE(parse("1.23,4"));
  CHECK(why == std::string("misplaced thousands separator"));
  CHECK_FALSE(parse("1,234,56"));
}

TEST_CASE("parse_money reports the currency symbol it saw") {
  const char* why = nullptr;
  ndr::currency_symbol s{};
  CHECK(
      ndr::parse_money("-\xE2\x82\xAC"
                       "5",
                       &why, false, &s));
  CHECK(s == ndr::currency_symbol::euro);
  CHECK(
      ndr::parse_money("(\xC2\xA3"
                       "5)",
                       &why, false, &s));
  CHECK(s == ndr::currency_symbol::pound);
  CHECK(ndr::parse_money("5", &why, false, &s));
  CHECK(s == ndr::currency_symbol::none);
  CHECK(std::string(ndr::symbol_text(ndr::currency_symbol::dollar)) == "$");
}

TEST_CASE("looks_like_thousands: one point and exactly three digits after it") {
  CHECK(ndr::looks_like_thousands("1.500"));
  CHECK(ndr::looks_like_thousands("-12.250"));
  CHECK(
      ndr::looks_like_thousands("\xE2\x82\xAC"
                                "100.000"));
  CHECK(ndr::looks_like_thousands("(1.000)"));
  CHECK_FALSE(ndr::looks_like_thousands("1.50"));
  CHECK_FALSE(ndr::looks_like_thousands("1.5000"));
  CHECK_FALSE(ndr::looks_like_thousands("1234.500"));
  CHECK_FALSE(ndr::looks_like_thousands("1,500"));
  CHECK_FALSE(ndr::looks_like_thousands("1.234,50"));
  CHECK_FALSE(ndr::looks_like_thousands("1500"));
  CHECK_FALSE(ndr::looks_like_thousands(""));
}

TEST_CASE("with a decimal comma the symbol may follow the number") {
  const auto comma = [](std::string_view t) {
    const char* why = nullptr;
    ndr::currency_symbol seen = ndr::currency_symbol::none;
    const auto m = ndr::parse_money(t, &why, true, &seen);
    return std::make_pair(m ? m->units() : -1, seen);
  };
  const auto euro = ndr::currency_symbol(2);  // kSymbols: $, €, £
  CHECK(comma("12,50 \xE2\x82\xAC") ==
        std::make_pair(std::int64_t(12500000), euro));
  CHECK(comma("1.234,50\xE2\x82\xAC") ==
        std::make_pair(std::int64_t(1234500000), euro));
  CHECK(comma("-12,50\xC2\xA0\xE2\x82\xAC") ==
        std::make_pair(std::int64_t(-12500000), euro));
  CHECK(comma("12,50 \xC2\xA3").second == ndr::currency_symbol(3));
  // Never both ends, and never without a decimal comma.
  CHECK(comma("\xE2\x82\xAC"
              "12,50 \xE2\x82\xAC")
            .first == -1);
  const char* why = nullptr;
  CHECK_FALSE(ndr::parse_money("12.50 \xE2\x82\xAC", &why, false));
}

TEST_CASE("divide_half_even agrees with 128-bit division and rounding") {
  // The fast path (one 64-bit divq) against the library's 128-bit division,
  // around 2^64, the rate scale and ties.
  using i128 = __int128;
  const auto reference = [](i128 num, i128 den) -> std::optional<i128> {
    const bool negative = num < 0;
    const i128 m = negative ? -num : num;
    i128 q = m / den;
    const i128 r = m % den;
    if (2 * r > den || (2 * r == den && q % 2 == 1)) ++q;
    if (q > INT64_MAX) return std::nullopt;
    return negative ? -q : q;
  };
  ndr_test::splitmix next(7);
  const i128 dens[] = {1,
                       2,
                       3,
                       1'000'000,
                       1'000'000'000'000,
                       i128(UINT64_MAX),
                       i128(UINT64_MAX) + 1,
                       i128(1) << 70};
  for (int k = 0; k < 20000; ++k) {
    const i128 den =
        k % 3 == 0 ? dens[k % 8] : i128(next() % 1'000'000'000'000'000ull) + 1;
    const int shift = int(next() % 100);
    i128 num = i128(next() >> (shift % 64));
    if (shift > 60) num <<= (shift - 60);
    if (k % 5 == 0) num = den * i128(next() % 1000) + den / 2;  // a tie
    if (next() % 2) num = -num;
    const auto got = ndr::divide_half_even(num, den);
    const auto want = reference(num, den);
    REQUIRE(got.has_value() == want.has_value());
    if (got) CHECK(i128(got->units()) == *want);
  }
}

TEST_CASE("the inline common case reads what the full grammar reads, or none") {
  // Random texts of digits, points, commas and signs: whatever
  // parse_plain_amount accepts, parse_money reads as the same units when the
  // common case is bypassed (a leading blank is trimmed by the full grammar
  // only). Plain amounts of every length it takes are accepted, with their
  // value worked out here digit by digit.
  ndr_test::splitmix next(7);
  const std::string alphabet = "0123456789.,-";
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (size_t k = next() % 17; k > 0; --k)
      text += alphabet[next() % alphabet.size()];
    std::int64_t units = 0;
    if (!ndr::parse_plain_amount(text, '.', &units)) continue;
    ++accepted;
    const char* why = nullptr;
    const auto full = ndr::parse_money(" " + text, &why);
    INFO(text);
    REQUIRE(full);
    CHECK(full->units() == units);
  }
  CHECK(accepted > 100);
  for (int whole_digits = 1; whole_digits <= 12; ++whole_digits) {
    for (int decimals = 0; decimals <= 6; ++decimals) {
      std::string text;
      std::int64_t want = 0;
      for (int k = 0; k < whole_digits; ++k) {
        const int d = int(next() % 10);
        text += char('0' + d);
        want = want * 10 + d;
      }
      want *= 1'000'000;
      if (decimals > 0) text += '.';
      std::int64_t place = 100'000;
      for (int k = 0; k < decimals; ++k, place /= 10) {
        const int d = int(next() % 10);
        text += char('0' + d);
        want += d * place;
      }
      std::int64_t units = -1;
      INFO(text);
      CHECK(ndr::parse_plain_amount(text, '.', &units));
      CHECK(units == want);
    }
  }
  std::int64_t units = 0;
  CHECK(!ndr::parse_plain_amount("1234567890123", '.', &units));  // 13 digits
  CHECK(!ndr::parse_plain_amount("1.1234567", '.', &units));      // 7 decimals
  CHECK(!ndr::parse_plain_amount("1.", '.', &units));
  CHECK(!ndr::parse_plain_amount("", '.', &units));
  CHECK(ndr::parse_plain_amount("12,5", ',', &units));
  CHECK(units == 12'500'000);
}
