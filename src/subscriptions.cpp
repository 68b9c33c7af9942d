#include "ndr/subscriptions.h"

#include <date/date.h>
#include <fmt/format.h>
#include <libfccp/csv.h>

#include <algorithm>

#include "byte_source.h"
#include "csv_record.h"
#include "header.h"
#include "ndr/format.h"

namespace ndr {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  return out;
}

// One subscription row, as read.
struct subscription {
  std::string customer;
  day_number start = 0;
  std::optional<day_number> end;  // empty: open-ended
  money mrr;
  std::string currency;           // upper case; "" = the reporting currency
  std::vector<std::string> segments;
  std::uint32_t source = 0;       // index into the file names
  unsigned line = 0;
};

// Where each column is in one file's header (kNoColumn: absent).
struct subscription_header {
  std::vector<std::string> names;
  size_t customer, start, end, amount, interval, interval_count, quantity, currency, status;
  std::vector<size_t> segments;
};

size_t locate(const std::vector<std::string>& header, const subscription_column& column,
              const std::string& source, const char* option) {
  for (const auto& name : column.names) {
    const size_t at = find_optional_column(header, name, source);
    if (at != kNoColumn) return at;
  }
  if (!column.required || column.names.empty()) return kNoColumn;
  return find_column(header, column.names.front(), source, option);  // throws: missing
}

std::optional<billing_interval> interval_named(std::string_view text,
                                               const subscription_options& o) {
  std::string word = lower(text);
  for (const auto& [vendor, ours] : o.interval_words) {
    if (word == vendor) word = ours;
  }
  if (word == "day") return billing_interval::day;
  if (word == "week") return billing_interval::week;
  if (word == "month") return billing_interval::month;
  if (word == "quarter") return billing_interval::quarter;
  if (word == "year") return billing_interval::year;
  return std::nullopt;
}

class subscription_reader {
 public:
  explicit subscription_reader(const subscription_options& o) : o_(o) {
    for (const auto& s : o.exclude_status) {
      const size_t first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
      excluded_.push_back(first == std::string::npos ? std::string() : lower(s.substr(first, last - first + 1)));
    }
  }
  void read(const std::string& name, io::LineReader& lines);
  derived_snapshots finish();

 private:
  subscription_header read_header(csv_record_reader& reader, const std::string& name);
  void read_row(const csv_record& r, const subscription_header& h);
  // Reports a bad row (or throws); always returns false.
  bool bad(const csv_record& r, const subscription_header& h, size_t field, std::string what);
  bool parse_row(const csv_record& r, const subscription_header& h, subscription& s);
  std::vector<day_number> snapshot_dates() const;
  // Records the currency of a derived row, in the order the rows are written.
  void note_currency(const subscription& s);

  const subscription_options& o_;
  std::vector<std::string> excluded_;
  std::vector<std::string> sources_;
  std::vector<subscription> subs_;
  std::uint64_t excluded_rows_ = 0;
  bool has_currency_ = false;
  std::vector<snapshot_store::currency_seen> currencies_seen_;
  std::vector<std::string> segment_names_;  // as the first file spells them
};

subscription_header subscription_reader::read_header(csv_record_reader& reader,
                                                     const std::string& name) {
  subscription_header h;
  csv_record record;
  do {
    if (!reader.next(record)) return h;  // an empty file
  } while (record.blank);
  if (record.error) throw InputError(record.error, name, record.line);
  for (auto f : record.fields) h.names.emplace_back(f);
  h.customer = locate(h.names, o_.customer, name, "--customer-col");
  h.start = locate(h.names, o_.start, name, "--start-col");
  h.end = locate(h.names, o_.end, name, "--end-col");
  h.amount = locate(h.names, o_.amount, name, "--amount-col");
  h.interval = locate(h.names, o_.interval, name, "--interval-col");
  h.interval_count = locate(h.names, o_.interval_count, name, "--interval-count-col");
  h.quantity = locate(h.names, o_.quantity, name, "--quantity-col");
  h.currency = locate(h.names, o_.currency, name, "--currency-col");
  h.status = locate(h.names, o_.status, name, "--status-col");
  if (!excluded_.empty() && h.status == kNoColumn) {
    throw InputError(fmt::format("--exclude-status needs a status column, and the header has no '{}' "
                                 "(name it with --status-col)",
                                 o_.status.names.empty() ? "status" : o_.status.names.front()),
                     name, 1);
  }
  has_currency_ = has_currency_ || h.currency != kNoColumn;
  for (const auto& col : o_.segment_cols) {
    h.segments.push_back(find_column(h.names, col, name, "--segment-by"));
    if (segment_names_.size() < o_.segment_cols.size()) segment_names_.push_back(h.names[h.segments.back()]);
  }
  return h;
}

void subscription_reader::read(const std::string& name, io::LineReader& lines) {
  sources_.push_back(name);
  csv_record_reader reader(lines, o_.delimiter, name);
  try {
    const subscription_header h = read_header(reader, name);
    if (h.names.empty()) return;
    csv_record record;
    while (reader.next(record)) {
      if (!record.blank) read_row(record, h);
    }
  } catch (const io::error::line_length_limit_exceeded&) {
    throw InputError("line too long (over 16 MiB); is this a CSV file?", name,
                     lines.get_file_line());
  }
}

bool subscription_reader::bad(const csv_record& r, const subscription_header& h, size_t field,
                              std::string what) {
  const std::string column = field < h.names.size() ? h.names[field] : std::string();
  InputError error(what, sources_.back(), r.line, column);
  if (!o_.skip_bad_rows) throw error;
  if (o_.on_skipped_row) o_.on_skipped_row(error);
  return false;
}

void subscription_reader::note_currency(const subscription& s) {
  if (!currencies_seen_.empty() && currencies_seen_.back().code == s.currency) return;
  for (const auto& seen : currencies_seen_) {
    if (seen.code == s.currency) return;
  }
  currencies_seen_.push_back({s.currency, sources_[s.source], s.line});
}

void subscription_reader::read_row(const csv_record& r, const subscription_header& h) {
  if (r.error) return void(bad(r, h, r.error_field, r.error));
  if (r.fields.size() != h.names.size()) {
    return void(bad(r, h, std::min(r.fields.size(), h.names.size()),
                    fmt::format("the row has {} fields, the header {}", r.fields.size(),
                                h.names.size())));
  }
  if (h.status != kNoColumn && !excluded_.empty()) {
    const std::string status = lower(r.fields[h.status]);
    if (std::find(excluded_.begin(), excluded_.end(), status) != excluded_.end()) {
      ++excluded_rows_;
      return;
    }
  }
  subscription s;
  if (!parse_row(r, h, s)) return;
  s.source = std::uint32_t(sources_.size() - 1);
  s.line = r.line;
  for (size_t k : h.segments) s.segments.emplace_back(r.fields[k]);
  subs_.push_back(std::move(s));
}

bool subscription_reader::parse_row(const csv_record& r, const subscription_header& h,
                                    subscription& s) {
  const auto field = [&](size_t col) { return col == kNoColumn ? std::string_view() : r.fields[col]; };
  s.customer = std::string(field(h.customer));
  if (s.customer.empty()) return bad(r, h, h.customer, "empty customer id");
  const auto date_of = [&](size_t col) { return parse_date(field(col), o_.date_format); };
  const auto start = date_of(h.start);
  if (!start) {
    return bad(r, h, h.start, field(h.start).empty() ? std::string("empty start date")
                                                     : fmt::format("invalid date '{}'", field(h.start)));
  }
  s.start = *start;
  if (!field(h.end).empty()) {
    s.end = date_of(h.end);
    if (!s.end) return bad(r, h, h.end, fmt::format("invalid date '{}'", field(h.end)));
    if (*s.end < s.start) {
      return bad(r, h, h.end, fmt::format("the end {} is before the start {}", format_date(*s.end),
                                          format_date(s.start)));
    }
  }
  const char* why = nullptr;
  const auto amount = parse_money(field(h.amount), &why, o_.decimal_comma);
  if (!amount) {
    return bad(r, h, h.amount, field(h.amount).empty()
                                   ? std::string("empty amount")
                                   : fmt::format("invalid amount '{}': {}", field(h.amount), why));
  }
  billing_interval interval = billing_interval::month;
  if (!field(h.interval).empty()) {
    const auto named = interval_named(field(h.interval), o_);
    if (!named) {
      return bad(r, h, h.interval,
                 fmt::format("invalid interval '{}': not one of day, week, month, quarter, year",
                             field(h.interval)));
    }
    interval = *named;
  }
  std::int64_t count = 1;
  if (const auto text = field(h.interval_count); !text.empty()) {
    count = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || count > 100000) {
        count = 0;
        break;
      }
      count = count * 10 + (c - '0');
    }
    if (count < 1 || count > 100000) {
      return bad(r, h, h.interval_count,
                 fmt::format("invalid interval count '{}': not a whole number from 1 to 100000", text));
    }
  }
  money quantity = money::from_whole(1);
  if (const auto text = field(h.quantity); !text.empty()) {
    currency_symbol symbol;
    const auto q = parse_money(text, &why, o_.decimal_comma, &symbol);
    if (!q || symbol != currency_symbol::none || *q < money()) {
      return bad(r, h, h.quantity,
                 fmt::format("invalid quantity '{}': {}", text, q ? "not a number >= 0" : why));
    }
    quantity = *q;
  }
  if (const auto code = field(h.currency); !code.empty()) {
    const bool letters = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    if (!letters) {
      return bad(r, h, h.currency,
                 fmt::format("invalid currency '{}': not a three-letter code like USD", code));
    }
    for (char c : code) s.currency += char(c >= 'a' ? c - 'a' + 'A' : c);
  }
  const int digits =
      o_.minor_units ? minor_unit_digits(s.currency.empty() ? o_.reporting_currency : s.currency) : 0;
  const auto mrr = subscription_mrr(*amount, quantity, interval, count, digits);
  if (!mrr) return bad(r, h, h.amount, "the monthly amount is too large");
  s.mrr = *mrr;
  return true;
}

date::year_month_day ymd(day_number d) { return date::year_month_day{date::sys_days{date::days{d}}}; }

// Every month end (or snapshot day) d with first start <= d <= as-of.
std::vector<day_number> snapshot_days(day_number first, day_number last, int day_of_month) {
  std::vector<day_number> out;
  const date::year_month_day f = ymd(first);
  for (date::year_month m = f.year() / f.month();; m += date::months{1}) {
    const auto end = date::year_month_day_last{m.year(), date::month_day_last{m.month()}};
    date::year_month_day day = end;
    if (day_of_month > 0 && unsigned(day_of_month) < unsigned(end.day())) {
      day = m.year() / m.month() / date::day(unsigned(day_of_month));
    }
    const day_number d = day_number(date::sys_days(day).time_since_epoch().count());
    if (d > last) break;
    if (d >= first) out.push_back(d);
  }
  return out;
}

std::vector<day_number> subscription_reader::snapshot_dates() const {
  day_number first = subs_.front().start, last = subs_.front().start;
  for (const auto& s : subs_) {
    first = std::min(first, s.start);
    last = std::max({last, s.start, s.end.value_or(s.start)});
  }
  if (o_.as_of) last = *o_.as_of;
  if (last < first) {
    throw InputError(fmt::format("no snapshot date: --as-of {} is before the first start {}",
                                 format_date(last), format_date(first)));
  }
  std::vector<day_number> days = snapshot_days(first, last, o_.snapshot_day);
  if (days.size() > 65535) {
    throw InputError(fmt::format("more than 65,535 snapshot dates from {} to {}; is a date wrong?",
                                 format_date(first), format_date(last)));
  }
  return days;
}

derived_snapshots subscription_reader::finish() {
  if (subs_.empty()) {
    std::string names;
    for (const auto& s : sources_) names += (names.empty() ? "" : ", ") + s;
    throw InputError(excluded_rows_ ? fmt::format("no subscription rows in {} after --exclude-status", names)
                                    : fmt::format("no subscription rows in {}", names));
  }
  derived_snapshots out;
  out.dates = snapshot_dates();
  out.has_currency = has_currency_;
  out.subscriptions = subs_.size();
  out.excluded = excluded_rows_;
  std::string& csv = out.csv;
  csv = "customer_id,date,mrr";
  if (has_currency_) csv += ",currency";
  for (const auto& name : segment_names_) csv += "," + csv_field(name);
  csv += ",source\n";
  // Each subscription's row is the same but for the date: its text around
  // the date is built once (measured: formatting per row was a third of the
  // time on 200k subscriptions).
  std::vector<std::pair<std::string, std::string>> text(subs_.size());
  for (size_t i = 0; i < subs_.size(); ++i) {
    const subscription& s = subs_[i];
    text[i].first = csv_field(s.customer) + ',';
    std::string& after = text[i].second;
    after = ',' + format_money(s.mrr, money::kScaleDigits);
    if (has_currency_) after += "," + s.currency;
    for (const auto& v : s.segments) after += "," + csv_field(v);
    after += ',' + csv_field(fmt::format("{}:{}", sources_[s.source], s.line)) + '\n';
  }
  // Room for every row up front: a doubling string would peak at twice the
  // text (measured: 1.39 GiB -> see docs/performance.md for 200k subscriptions).
  size_t bytes = csv.size();
  for (const day_number d : out.dates) {
    bool any = false;
    for (size_t i = 0; i < subs_.size(); ++i) {
      const subscription& s = subs_[i];
      if (s.start <= d && (!s.end || d < *s.end)) {
        bytes += text[i].first.size() + 10 + text[i].second.size();
        any = true;
      }
    }
    if (!any) bytes += 64 + subs_.front().customer.size() + segment_names_.size();
  }
  csv.reserve(bytes);
  std::uint64_t rows = 0;
  const auto row = [&](size_t i, const std::string& date) {
    if (++rows > o_.max_rows) {
      throw InputError(fmt::format("more than {} derived snapshot rows", o_.max_rows));
    }
    note_currency(subs_[i]);
    csv += text[i].first;
    csv += date;
    csv += text[i].second;
  };
  // A zero row: the first subscription's customer, no currency, blank segments.
  const auto zero_row = [&](const std::string& date) {
    csv += csv_field(subs_.front().customer) + "," + date + ",0.000000";
    if (has_currency_) csv += ',';
    csv += std::string(segment_names_.size(), ',');
    csv += ",\n";
  };
  for (const day_number d : out.dates) {
    const std::string date = format_date(d);
    bool any = false;
    for (size_t i = 0; i < subs_.size(); ++i) {
      const subscription& s = subs_[i];
      if (s.start <= d && (!s.end || d < *s.end)) {
        row(i, date);
        any = true;
      }
    }
    // Nothing counts: one zero row keeps the date a snapshot date.
    if (!any) zero_row(date);
  }
  out.currencies_seen = currencies_seen_;
  return out;
}

template <typename Source, typename Open>
derived_snapshots derive(const std::vector<Source>& sources, const subscription_options& o,
                         Open open) {
  subscription_reader reader(o);
  for (const auto& s : sources) open(reader, s);
  return reader.finish();
}

}  // namespace

std::optional<money> subscription_mrr(money amount, money quantity, billing_interval interval,
                                      std::int64_t interval_count, int minor_digits) {
  static constexpr std::int64_t kFactor[][2] = {{365, 12}, {52, 12}, {1, 1}, {1, 3}, {1, 12}};
  const auto [num, den] = kFactor[int(interval)];
  __int128 n = 0;
  if (__builtin_mul_overflow(__int128(amount.units()), __int128(quantity.units()), &n) ||
      __builtin_mul_overflow(n, __int128(num), &n)) {
    return std::nullopt;
  }
  __int128 d = __int128(money::kScale) * den * interval_count;
  for (int k = 0; k < minor_digits; ++k) d *= 10;
  const bool negative = n < 0;
  const __int128 magnitude = negative ? -n : n;
  __int128 q = magnitude / d;
  const __int128 r = magnitude % d;
  if (2 * r > d || (2 * r == d && q % 2 == 1)) ++q;  // half to even
  if (q > INT64_MAX) return std::nullopt;
  return money::from_units(negative ? -std::int64_t(q) : std::int64_t(q));
}

int minor_unit_digits(std::string_view code) {
  static constexpr std::string_view kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                               "KMF", "KRW", "MGA", "PYG", "RWF", "UGX",
                                               "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  static constexpr std::string_view kFour[] = {"CLF", "UYW"};
  for (auto c : kZero) if (c == code) return 0;
  for (auto c : kThree) if (c == code) return 3;
  for (auto c : kFour) if (c == code) return 4;
  return 2;
}

derived_snapshots derive_snapshots(const std::vector<std::string>& paths,
                                   const subscription_options& options) {
  return derive(paths, options, [](subscription_reader& r, const std::string& path) {
    const std::string name = path == "-" ? "<stdin>" : path;
    io::LineReader lines(name, open_byte_source(path, name));
    r.read(name, lines);
  });
}

snapshot_store load_derived(derived_snapshots derived, load_options options) {
  options.customer_col = "customer_id";
  options.date_col = "date";
  options.mrr_col = "mrr";
  options.delimiter = ',';
  options.decimal_comma = false;
  options.date_format.clear();
  options.currency_col = derived.has_currency ? "currency" : "";
  options.currency_col_required = false;
  options.skip_bad_rows = false;  // the derived rows are all good
  snapshot_store store = load_text({"<derived snapshots>", std::move(derived.csv)}, options);
  store.currencies_seen = std::move(derived.currencies_seen);
  return store;
}

derived_snapshots derive_snapshot_texts(const std::vector<named_text>& texts,
                                        const subscription_options& options) {
  return derive(texts, options, [](subscription_reader& r, const named_text& t) {
    io::LineReader lines(t.name, t.text.data(), t.text.data() + t.text.size());
    r.read(t.name, lines);
  });
}

}  // namespace ndr
