#include "ndr/money.h"

#include <fmt/format.h>

#include <cassert>
#include <cstdlib>
#include <iterator>
#include <utility>

namespace ndr {
namespace {

using i128 = __int128;

// Divides a non-negative-or-negative 128-bit numerator by a positive
// denominator, rounding half away from zero.
i128 div_round_half_away(i128 num, i128 den) {
  assert(den > 0);
  const bool neg = num < 0;
  const i128 mag = neg ? -num : num;
  const i128 q = (2 * mag + den) / (2 * den);
  return neg ? -q : q;
}

i128 pow10(int n) {
  i128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

constexpr std::string_view kSymbols[] = {"$", "\xE2\x82\xAC" /* € */,
                                         "\xC2\xA3" /* £ */};

// Strips one leading currency symbol and says which it was.
std::string_view strip_symbol(std::string_view s, currency_symbol* seen) {
  for (size_t i = 0; i < std::size(kSymbols); ++i) {
    if (s.substr(0, kSymbols[i].size()) == kSymbols[i]) {
      *seen = currency_symbol(i + 1);
      return s.substr(kSymbols[i].size());
    }
  }
  return s;
}

// Strips one trailing currency symbol, and the space, no-break space
// (U+00A0) or narrow one (U+202F) before it.
std::string_view strip_trailing_symbol(std::string_view s,
                                       currency_symbol* seen) {
  for (size_t i = 0; i < std::size(kSymbols); ++i) {
    const std::string_view sym = kSymbols[i];
    if (s.size() <= sym.size() || s.substr(s.size() - sym.size()) != sym)
      continue;
    *seen = currency_symbol(i + 1);
    s.remove_suffix(sym.size());
    for (const std::string_view space :
         {std::string_view(" "), std::string_view("\xC2\xA0"),
          std::string_view("\xE2\x80\xAF")}) {
      if (s.size() > space.size() && s.substr(s.size() - space.size()) == space)
        s.remove_suffix(space.size());
    }
    return s;
  }
  return s;
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// A currency marker ndr does not read, at either end of the number: a symbol
// it does not know (¥, ₹), a known one after the number (12€), or an ISO code
// (USD 12, 12 EUR). Reading these would be a guess, so they are errors.
bool has_foreign_symbol(std::string_view s) {
  const auto symbol = [](char c) { return (c & 0x80) || c == '$'; };
  const auto iso_code = [](std::string_view t) {
    return t.size() > 3 && is_upper(t[0]) && is_upper(t[1]) && is_upper(t[2]) &&
           (t[3] == ' ' || (t[3] >= '0' && t[3] <= '9'));
  };
  const auto iso_suffix = [&](std::string_view t) {
    return t.size() > 3 && is_upper(t[t.size() - 1]) &&
           is_upper(t[t.size() - 2]) && is_upper(t[t.size() - 3]) &&
           (t[t.size() - 4] == ' ' ||
            (t[t.size() - 4] >= '0' && t[t.size() - 4] <= '9'));
  };
  return !s.empty() && (symbol(s.front()) || symbol(s.back()) || iso_code(s) ||
                        iso_suffix(s));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses the unsigned integer part "1234" or "1,234,567" into *out.
// Returns a reason on failure.
const char* parse_integer_part(std::string_view s, char separator, i128* out) {
  const bool grouped = s.find(separator) != std::string_view::npos;
  size_t group_len = 0, groups = 0;
  i128 v = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == separator) {
      if ((groups == 0 && (group_len == 0 || group_len > 3)) ||
          (groups > 0 && group_len != 3)) {
        return "misplaced thousands separator";
      }
      ++groups;
      group_len = 0;
      continue;
    }
    if (!is_digit(c)) return "not a number";
    v = v * 10 + (c - '0');
    if (v > i128(INT64_MAX)) return "too large";
    ++group_len;
  }
  if (grouped && group_len != 3) return "misplaced thousands separator";
  *out = v;
  return nullptr;
}

}  // namespace

money money::from_whole(std::int64_t whole) {
  money m;
  const bool ok = !__builtin_mul_overflow(whole, kScale, &m.units_);
  assert(ok);
  (void)ok;
  return m;
}

bool money::add(money other) {
  std::int64_t r;
  if (__builtin_add_overflow(units_, other.units_, &r)) return false;
  units_ = r;
  return true;
}
bool money::sub(money other) {
  std::int64_t r;
  if (__builtin_sub_overflow(units_, other.units_, &r)) return false;
  units_ = r;
  return true;
}
bool money::mul(std::int64_t factor) {
  std::int64_t r;
  if (__builtin_mul_overflow(units_, factor, &r)) return false;
  units_ = r;
  return true;
}

namespace {

// The amount without its sign (or brackets) and currency symbol, which go to
// *neg and *seen. SPEC §1's order: the sign, then the symbol ("-$5"; "$-5" is
// not an amount).
std::string_view strip_sign_and_symbol(std::string_view text,
                                       bool decimal_comma, bool* neg,
                                       currency_symbol* seen) {
  std::string_view s = trim(text);
  *neg = false;
  *seen = currency_symbol::none;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    *neg = true;
    s = strip_symbol(trim(s.substr(1, s.size() - 2)), seen);
  } else {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
      *neg = s.front() == '-';
      s.remove_prefix(1);
    }
    s = strip_symbol(s, seen);
  }
  // With a decimal comma, the European way: the symbol after the number
  // ("12,50 €", "12,50€"), with a space or a no-break space before it.
  if (decimal_comma && *seen == currency_symbol::none)
    s = strip_trailing_symbol(s, seen);
  return s;
}

// The digits after the decimal point in units of 10^-6; digits past the
// sixth only as trailing zeros. The reason it is no amount, else null.
const char* parse_fraction(std::string_view digits, i128* out) {
  i128 frac = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (!is_digit(c)) return "not a number";
    if (i >= size_t(money::kScaleDigits)) {
      if (c != '0') return "more than 6 decimal places";
      continue;
    }
    frac = frac * 10 + (c - '0');
  }
  const size_t kept = std::min(digits.size(), size_t(money::kScaleDigits));
  *out = frac * pow10(money::kScaleDigits - int(kept));
  return nullptr;
}

// A number without sign or symbol, with its decimal point and thousands
// separators, in units. The reason it is no amount, else null.
const char* parse_unsigned(std::string_view s, bool decimal_comma,
                           i128* units) {
  const char point = decimal_comma ? ',' : '.';
  const char separator = decimal_comma ? '.' : ',';
  const size_t dot = s.find(point);
  const std::string_view int_part = s.substr(0, dot);
  const std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return "not a number";
  if (dot != std::string_view::npos && frac_part.empty())
    return "no digits after the decimal point";
  i128 whole = 0, frac = 0;
  const char* why = nullptr;
  if (!int_part.empty() &&
      (why = parse_integer_part(int_part, separator, &whole)))
    return why;
  if ((why = parse_fraction(frac_part, &frac))) return why;
  *units = whole * money::kScale + frac;
  return nullptr;
}

}  // namespace

std::optional<money> parse_money(std::string_view text, const char** why,
                                 bool decimal_comma, currency_symbol* symbol) {
  std::int64_t plain;
  if (parse_plain_amount(text, decimal_comma ? ',' : '.', &plain)) {
    if (symbol) *symbol = currency_symbol::none;
    return money::from_units(plain);
  }
  bool neg = false;
  currency_symbol seen;
  const std::string_view s =
      strip_sign_and_symbol(text, decimal_comma, &neg, &seen);
  if (symbol) *symbol = seen;
  if (s.empty()) {
    *why = text.empty() || trim(text).empty() ? "empty amount" : "not a number";
    return std::nullopt;
  }
  if (has_foreign_symbol(s)) {
    *why =
        "unknown currency symbol or text (ndr reads $, € and £ before the "
        "number, and after it with --decimal-comma or --locale: 12,50 €)";
    return std::nullopt;
  }
  i128 units = 0;
  if ((*why = parse_unsigned(s, decimal_comma, &units))) return std::nullopt;
  if (neg) units = -units;
  if (units > INT64_MAX || units < INT64_MIN) {
    *why = "too large";
    return std::nullopt;
  }
  return money::from_units(std::int64_t(units));
}

const char* symbol_text(currency_symbol s) {
  return s == currency_symbol::none ? "" : kSymbols[size_t(s) - 1].data();
}

std::string format_money(money m, int decimals, bool thousands) {
  assert(decimals >= 0 && decimals <= money::kScaleDigits);
  const i128 scaled =
      div_round_half_away(m.units(), pow10(money::kScaleDigits - decimals));
  const bool neg = scaled < 0;
  i128 mag = neg ? -scaled : scaled;
  const i128 unit = pow10(decimals);
  i128 whole = mag / unit;
  i128 frac = mag % unit;

  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(whole % 10)));
    whole /= 10;
  } while (whole > 0);
  if (thousands) {
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
      digits.insert(size_t(i), ",");
  }
  std::string out = neg ? "-" + digits : digits;
  if (decimals > 0) {
    std::string f(size_t(decimals), '0');
    for (int i = decimals - 1; i >= 0; --i, frac /= 10)
      f[size_t(i)] = char('0' + int(frac % 10));
    out += '.';
    out += f;
  }
  return out;
}

std::int64_t ratio::rounded(int decimals) const {
  assert(defined());
  i128 n = i128(num) * pow10(decimals);
  i128 d = den;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return std::int64_t(div_round_half_away(n, d));
}

int ratio::compare(std::int64_t millionths) const {
  assert(defined());
  i128 lhs = i128(num) * money::kScale;
  i128 rhs = i128(millionths) * den;
  if (den < 0) std::swap(lhs, rhs);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

namespace {
std::string fixed_from_scaled(std::int64_t v, int decimals) {
  return format_money(
      money::from_units(v *
                        std::int64_t(pow10(money::kScaleDigits - decimals))),
      decimals);
}
}  // namespace

std::string format_ratio(const ratio& r, int decimals) {
  if (!r.defined()) return "";
  return fixed_from_scaled(r.rounded(decimals), decimals);
}

std::string format_percent(const ratio& r, int decimals) {
  if (!r.defined()) return "\xE2\x80\x94";  // —
  return fixed_from_scaled(r.rounded(decimals + 2), decimals) + "%";
}

namespace {

// magnitude / den and its remainder, exact. On x86-64, when the quotient
// fits 64 bits (an amount times a rate, divided by the rate's scale), one
// divq instruction instead of the library's 128-bit division.
std::pair<i128, i128> divide(i128 magnitude, i128 den) {
#if defined(__x86_64__)
  const auto m = static_cast<unsigned __int128>(magnitude);
  if (den <= i128(UINT64_MAX) && std::uint64_t(m >> 64) < std::uint64_t(den)) {
    std::uint64_t q, r;
    asm("divq %4"
        : "=a"(q), "=d"(r)
        : "a"(std::uint64_t(m)), "d"(std::uint64_t(m >> 64)),
          "rm"(std::uint64_t(den))
        : "cc");
    return {i128(q), i128(r)};
  }
#endif
  const i128 q = magnitude / den;
  return {q, magnitude - q * den};  // one division, not two
}

}  // namespace

std::optional<money> divide_half_even(__int128 num, __int128 den) {
  assert(den > 0);
  const bool negative = num < 0;
  const i128 magnitude = negative ? -num : num;
  auto [q, r] = divide(magnitude, den);
  if (2 * r > den || (2 * r == den && q % 2 == 1)) ++q;
  if (q > INT64_MAX) return std::nullopt;
  return money::from_units(negative ? -std::int64_t(q) : std::int64_t(q));
}

std::optional<std::string> parse_currency_code(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  std::string code(text);
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return std::nullopt;
  }
  return code;
}

bool looks_like_thousands(std::string_view amount) {
  const size_t first = amount.find_first_of("0123456789");
  const size_t last = amount.find_last_of("0123456789");
  if (first == std::string_view::npos) return false;
  const std::string_view digits = amount.substr(first, last - first + 1);
  const size_t point = digits.find('.');
  if (point == std::string_view::npos || point == 0 || point > 3) return false;
  if (digits.size() - point - 1 != 3) return false;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != point && (digits[i] < '0' || digits[i] > '9')) return false;
  }
  return true;
}

std::string ambiguous_decimal_message(std::string_view amount) {
  return fmt::format(
      "'{}' in a ;-separated file: is the point a decimal point or a thousands "
      "separator? Pass --decimal-point or --decimal-comma",
      amount);
}

std::string invalid_amount_message(std::string_view text, const char* why,
                                   bool decimal_comma) {
  if (text.empty()) return "empty amount";
  // The layout expected, where the layout is what is wrong.
  const std::string_view reason = why;
  const bool layout = reason == "not a number" ||
                      reason.rfind("misplaced", 0) == 0 ||
                      reason.rfind("no digits", 0) == 0;
  if (!layout) return fmt::format("invalid amount '{}': {}", text, why);
  return fmt::format(
      "invalid amount '{}': {} (expected {})", text, why,
      decimal_comma
          ? "1234,50 or 1.234,50: --decimal-comma is set"
          : "1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and "
            "--locale de reads a German export at once: ; 1.234,50 31.01.2024");
}

}  // namespace ndr
