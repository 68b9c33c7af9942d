// Exact fixed-point money. Amounts never pass through binary floating point:
// they are parsed into, summed as, and printed from a 64-bit integer count of
// millionths (SPEC §1: at least 6 fractional digits kept exactly).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ndr {

class money {
 public:
  static constexpr int kScaleDigits = 6;
  static constexpr std::int64_t kScale = 1'000'000;

  constexpr money() = default;
  static constexpr money from_units(std::int64_t units) {
    money m;
    m.units_ = units;
    return m;
  }
  // Whole currency units (for tests and literals); asserts no overflow.
  static money from_whole(std::int64_t whole);

  constexpr std::int64_t units() const { return units_; }
  constexpr bool is_zero() const { return units_ == 0; }

  // Checked arithmetic: false (and *this unchanged) when the result does not
  // fit.
  [[nodiscard]] bool add(money other);
  [[nodiscard]] bool sub(money other);
  [[nodiscard]] bool mul(std::int64_t factor);

  friend constexpr bool operator==(money a, money b) {
    return a.units_ == b.units_;
  }
  friend constexpr bool operator!=(money a, money b) {
    return a.units_ != b.units_;
  }
  friend constexpr bool operator<(money a, money b) {
    return a.units_ < b.units_;
  }
  friend constexpr bool operator>(money a, money b) {
    return a.units_ > b.units_;
  }
  friend constexpr bool operator<=(money a, money b) {
    return a.units_ <= b.units_;
  }
  friend constexpr bool operator>=(money a, money b) {
    return a.units_ >= b.units_;
  }

 private:
  std::int64_t units_ = 0;
};

// The currency symbol an amount carried.
enum class currency_symbol : unsigned char { none, dollar, euro, pound };
const char* symbol_text(currency_symbol s);  // "$", "€", "£", ""

// Parses an amount as SPEC §1 allows: surrounding spaces, an optional sign,
// an optional leading `$`, `€` or `£`, digits in well-formed thousands groups
// (`1,234,567`) or none, optional fractional digits (at most 6, more is an
// error rather than a rounding), accounting parentheses for negatives
// (`(12.50)`). With `decimal_comma` the roles of `.` and `,` swap
// (`1.234,56`). Returns the amount, or nullopt with *why set to a short
// reason; *symbol (when given) receives the currency symbol seen.
std::optional<money> parse_money(std::string_view text, const char** why,
                                 bool decimal_comma = false,
                                 currency_symbol* symbol = nullptr);

// The common case of a billing export, "1234" or "1234.5", read inline on
// every row: up to 12 integer digits and 1-6 decimals, nothing else, in
// units. False for anything else, which parse_money then reads (or rejects).
inline bool parse_plain_amount(std::string_view s, char point,
                               std::int64_t* units) {
  const char* p = s.data();
  const char* const end = p + s.size();
  const auto digit = [](char c) { return unsigned(c - '0') < 10; };
  std::int64_t whole = 0;
  const char* const digits = p;
  for (const char* stop = s.size() > 12 ? p + 12 : end; p < stop && digit(*p);)
    whole = whole * 10 + (*p++ - '0');
  if (p == digits) return false;
  if (p == end) {
    *units = whole * money::kScale;
    return true;
  }
  if (*p++ != point) return false;
  std::int64_t frac = 0;
  const char* const decimals = p;
  if (end - p > money::kScaleDigits || p == end) return false;
  for (; p < end && digit(*p);) frac = frac * 10 + (*p++ - '0');
  if (p != end) return false;
  static constexpr std::int64_t kPad[] = {1'000'000, 100'000, 10'000, 1'000,
                                          100,       10,      1};
  *units = whole * money::kScale + frac * kPad[p - decimals];
  return true;
}

// parse_money with its common case inline.
inline std::optional<money> parse_amount(std::string_view text,
                                         const char** why, bool decimal_comma,
                                         currency_symbol* symbol) {
  std::int64_t units;
  if (parse_plain_amount(text, decimal_comma ? ',' : '.', &units)) {
    *symbol = currency_symbol::none;
    return money::from_units(units);
  }
  return parse_money(text, why, decimal_comma, symbol);
}

// True for an amount whose only separator is one point followed by exactly
// three digits (`1.500`, `-12.250`, `€ 1.000`): with a decimal point it is
// 1.5, with a decimal comma fifteen hundred. In a ;-separated (European)
// file ndr asks which one rather than guess (docs/data-format.md).
bool looks_like_thousands(std::string_view amount);

// The error for such an amount in a ;-separated file, asking for
// --decimal-point or --decimal-comma.
std::string ambiguous_decimal_message(std::string_view amount);

// "invalid amount 'TEXT': WHY (expected …)": the layout expected and the
// option that changes it.
std::string invalid_amount_message(std::string_view text, const char* why,
                                   bool decimal_comma);

// Formats with exactly `decimals` fractional digits (0..6), rounding half away
// from zero; with `thousands`, groups the integer part with commas.
std::string format_money(money m, int decimals = 2, bool thousands = false);

// num ÷ den (den > 0) as money units, rounded half to even (the rule for
// subscription MRR and currency conversion, docs/inputs.md); nullopt when
// the result does not fit.
std::optional<money> divide_half_even(__int128 num, __int128 den);

// A three-letter currency code in any case, upper-cased ("eur" → "EUR");
// nullopt for anything else.
std::optional<std::string> parse_currency_code(std::string_view text);

// An exact ratio num/den of two integers (money units or customer counts),
// kept exact until printed: only the final rounding leaves the integers.
struct ratio {
  std::int64_t num = 0;
  std::int64_t den = 0;  // zero means undefined (empty cohort)

  bool defined() const { return den != 0; }
  // The exact quotient scaled by 10^decimals and rounded half away from zero.
  // Requires defined().
  std::int64_t rounded(int decimals) const;
  // Compares the exact quotient with a threshold given in millionths
  // (1.05 = 1'050'000): -1, 0 or 1. Requires defined().
  int compare(std::int64_t millionths) const;
};

// "1.0500" for decimals = 4; "" when undefined.
std::string format_ratio(const ratio& r, int decimals = 4);
// "105.0%" for decimals = 1; "—" when undefined.
std::string format_percent(const ratio& r, int decimals = 1);

}  // namespace ndr
