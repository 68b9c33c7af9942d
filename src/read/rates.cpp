// Reading exchange-rate files (--fx): date,currency,rate rows into an
// fx_rates, exact to 12 decimals (docs/inputs.md#currencies).
#include <fmt/format.h>
#include <libfccp/csv.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "byte_source.h"
#include "csv_record.h"
#include "header.h"
#include "ndr/fx.h"

namespace ndr {

// Reads a rates file into an fx_rates.
class fx_reader {
 public:
  static fx_rates read(line_reader& lines, const std::string& name,
                       const std::string& reporting,
                       const std::string& date_format);
};

namespace {

// "1.0834" → 1083400000000: a positive decimal with at most 12 decimals.
std::optional<std::int64_t> parse_rate(std::string_view text,
                                       const char** why) {
  std::int64_t whole = 0, fraction = 0;
  int whole_digits = 0, fraction_digits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9';
       ++i, ++whole_digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole_digits >= 6) {
      *why = "too large (at most 6 digits before the point)";
      return std::nullopt;
    }
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9';
         ++i, ++fraction_digits) {
      if (fraction_digits == fx_rates::kDigits) {
        *why = "more than 12 decimals";
        return std::nullopt;
      }
      fraction = fraction * 10 + (text[i] - '0');
    }
  }
  if (i != text.size() || whole_digits + fraction_digits == 0) {
    *why = "not a plain positive decimal like 1.0834";
    return std::nullopt;
  }
  for (int k = fraction_digits; k < fx_rates::kDigits; ++k) fraction *= 10;
  const std::int64_t rate = whole * fx_rates::kScale + fraction;
  if (rate == 0) {
    *why = "a rate must be above 0";
    return std::nullopt;
  }
  return rate;
}

}  // namespace

fx_rates fx_reader::read(line_reader& lines, const std::string& name,
                         const std::string& reporting,
                         const std::string& date_format) {
  fx_rates rates(reporting);
  rates.source_ = name;
  strict_csv_reader reader(lines, name, "rates file");
  const std::vector<std::string>& header = reader.header();
  const size_t date_col = find_column(header, "date", name, "--fx");
  const size_t code_col = find_column(header, "currency", name, "--fx");
  const size_t rate_col = find_column(header, "rate", name, "--fx");
  std::map<std::pair<std::string, day_number>, unsigned>
      lines_of;  // duplicates
  csv_record record;
  while (reader.next(record)) {
    const auto bad = [&](size_t col, const std::string& what) {
      return InputError(what, name, record.line, header[col]);
    };
    const auto date = parse_date(record.fields[date_col], date_format);
    if (!date)
      throw bad(date_col,
                fmt::format("invalid date '{}'", record.fields[date_col]));
    const auto parsed = parse_currency_code(record.fields[code_col]);
    if (!parsed) {
      throw bad(
          code_col,
          fmt::format("invalid currency '{}': not a three-letter code like EUR",
                      record.fields[code_col]));
    }
    const std::string& code = *parsed;
    const char* why = nullptr;
    const auto rate = parse_rate(record.fields[rate_col], &why);
    if (!rate)
      throw bad(rate_col, fmt::format("invalid rate '{}': {}",
                                      record.fields[rate_col], why));
    if (code == reporting) {
      if (*rate != fx_rates::kScale) {
        throw bad(rate_col,
                  fmt::format("the reporting currency {} has rate 1, not {}",
                              code, record.fields[rate_col]));
      }
      continue;
    }
    const auto [it, added] = lines_of.try_emplace({code, *date}, record.line);
    if (!added) {
      throw bad(date_col,
                fmt::format("a second {} rate for {} (the first is on line {})",
                            code, format_date(*date), it->second));
    }
    rates.series_[code].push_back({*date, *rate});
  }
  for (auto& [code, series] : rates.series_) {
    std::sort(series.begin(), series.end(),
              [](const auto& a, const auto& b) { return a.date < b.date; });
  }
  return rates;
}

fx_rates fx_rates::load(const std::string& path, const std::string& reporting,
                        const std::string& date_format) {
  line_reader lines(path, open_text(path, path));
  return fx_reader::read(lines, path, reporting, date_format);
}

fx_rates fx_rates::parse(const named_text& text, const std::string& reporting,
                         const std::string& date_format) {
  line_reader lines(text.name, text_in_memory(text.text, text.name));
  return fx_reader::read(lines, text.name, reporting, date_format);
}

std::optional<std::int64_t> fx_rates::at(std::string_view code,
                                         day_number d) const {
  if (code.empty() || code == reporting_) return kScale;
  const auto it = series_.find(std::string(code));
  if (it == series_.end()) return std::nullopt;
  const auto& series = it->second;
  const auto after = std::upper_bound(
      series.begin(), series.end(), d,
      [](day_number day, const dated_rate& r) { return day < r.date; });
  if (after == series.begin()) return std::nullopt;
  return std::prev(after)->rate;
}

}  // namespace ndr
