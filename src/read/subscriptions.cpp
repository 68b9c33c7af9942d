#include "ndr/subscriptions.h"

#include <date/date.h>
#include <fmt/format.h>
#include <libfccp/csv.h>

#include <algorithm>
#include <thread>

#include "byte_source.h"
#include "csv_record.h"
#include "header.h"
#include "ndr/format.h"

namespace ndr {
namespace {

// One subscription row, as read.
struct subscription {
  std::string customer;
  day_number start = 0;
  std::optional<day_number> end;  // empty: open-ended
  money mrr;
  std::string currency;  // upper case; "" = the reporting currency
  std::vector<std::string> segments;
  std::uint32_t source = 0;  // index into the file names
  unsigned line = 0;
  // Minor units in a blank currency cell while the reporting currency is not
  // known yet: the MRR is worked out again in finish() from these.
  bool deferred = false;
  money amount, quantity;
  billing_interval interval = billing_interval::month;
  std::int64_t count = 1;
};

// Where each column is in one file's header (kNoColumn: absent).
struct subscription_header {
  std::vector<std::string> names;
  size_t customer, start, end, amount, interval, interval_count, quantity,
      currency, status;
  std::vector<size_t> segments;
};

size_t locate(const std::vector<std::string>& header,
              const subscription_column& column, const std::string& source,
              const char* option) {
  for (const auto& name : column.names) {
    const size_t at = find_optional_column(header, name, source);
    if (at != kNoColumn) return at;
  }
  if (!column.required || column.names.empty()) return kNoColumn;
  return find_column(header, column.names.front(), source,
                     option);  // throws: missing
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
      const size_t first = s.find_first_not_of(" \t"),
                   last = s.find_last_not_of(" \t");
      excluded_.push_back(first == std::string::npos
                              ? std::string()
                              : lower(s.substr(first, last - first + 1)));
    }
  }
  void read(const std::string& name, line_reader& lines);
  derived_snapshots finish();

 private:
  [[noreturn]] void no_rows() const;
  void count_date_rows(const std::vector<day_number>& dates,
                       std::vector<std::uint32_t>& first,
                       std::vector<std::uint32_t>& past,
                       std::vector<std::uint64_t>& at) const;
  subscription_header read_header(csv_record_reader& reader,
                                  const std::string& name);
  void read_row(const csv_record& r, const subscription_header& h);
  // Reports a bad row (or throws); always returns false.
  bool bad(const csv_record& r, const subscription_header& h, size_t field,
           std::string what);
  bool parse_row(const csv_record& r, const subscription_header& h,
                 subscription& s);
  // parse_row's steps: each reports a bad row itself and returns false.
  struct billing {
    money amount;
    money quantity = money::from_whole(1);
    billing_interval interval = billing_interval::month;
    std::int64_t count = 1;
  };
  bool parse_dates(const csv_record& r, const subscription_header& h,
                   subscription& s);
  bool parse_amount(const csv_record& r, const subscription_header& h,
                    billing& b);
  bool parse_interval(const csv_record& r, const subscription_header& h,
                      billing& b);
  bool parse_quantity(const csv_record& r, const subscription_header& h,
                      billing& b);
  bool parse_currency(const csv_record& r, const subscription_header& h,
                      subscription& s);
  std::vector<day_number> snapshot_dates() const;
  day_number latest_date(const subscription& s) const;
  void warn_last_month_left_out(day_number last_snapshot,
                                day_number latest) const;
  void check_outlier_dates() const;
  void resolve_deferred();
  // Records the currency of a derived row, in the order the rows are written.
  void note_currency(const subscription& s);

  const subscription_options& o_;
  std::vector<std::string> excluded_;
  std::vector<std::string> sources_;
  std::vector<subscription> subs_;
  std::uint64_t empty_rows_ = 0;  // rows of delimiters alone (;;;)
  std::string first_empty_row_;   // FILE:LINE of the first
  std::uint64_t excluded_rows_ = 0;
  bool has_currency_ = false;
  bool ask_decimal_ = false;  // amounts like 1.500 are ambiguous in this file
  std::vector<snapshot_store::currency_seen> currencies_seen_;
  std::vector<std::string> segment_names_;  // as the first file spells them
  std::vector<std::string>
      amount_names_;  // per source: its amount column as spelled
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
  amount_names_.resize(sources_.size());
  amount_names_.back() = h.names[h.amount];
  h.interval = locate(h.names, o_.interval, name, "--interval-col");
  h.interval_count =
      locate(h.names, o_.interval_count, name, "--interval-count-col");
  h.quantity = locate(h.names, o_.quantity, name, "--quantity-col");
  h.currency = locate(h.names, o_.currency, name, "--currency-col");
  h.status = locate(h.names, o_.status, name, "--status-col");
  if (!excluded_.empty() && h.status == kNoColumn) {
    throw InputError(
        fmt::format(
            "--exclude-status needs a status column, and the header has no "
            "'{}' "
            "(name it with --status-col)",
            o_.status.names.empty() ? "status" : o_.status.names.front()),
        name, 1);
  }
  has_currency_ = has_currency_ || h.currency != kNoColumn;
  for (const auto& col : o_.segment_cols) {
    const size_t at = find_column(h.names, col, name, "--segment-by");
    // Segmenting by the currency reads the derived currency column itself.
    if (at == h.currency && lower(col) == "currency") continue;
    for (const char* own :
         {"customer_id", "date", "mrr", "currency", "source"}) {
      if (lower(col) == own) {
        throw InputError(
            fmt::format(
                "--segment-by {}: the derived snapshots have a column '{}' of "
                "their own; segment by another column",
                col, own),
            name, 1);
      }
    }
    h.segments.push_back(at);
    if (segment_names_.size() < h.segments.size())
      segment_names_.push_back(h.names[at]);
  }
  return h;
}

void subscription_reader::read(const std::string& name, line_reader& lines) {
  sources_.push_back(name);
  csv_record_reader reader(lines, o_.delimiter, name);
  const subscription_header h = read_header(reader, name);
  if (h.names.empty()) return;
  reader.name_columns(h.names);
  ask_decimal_ =
      reader.delimiter() == ';' && !o_.decimal_comma && !o_.decimal_point;
  csv_record record;
  while (reader.next(record)) {
    if (record.blank) continue;
    if (record.all_empty()) {
      // A spreadsheet's unused rows (;;;): skipped, counted, told.
      if (empty_rows_++ == 0)
        first_empty_row_ = fmt::format("{}:{}", name, record.line);
      continue;
    }
    read_row(record, h);
  }
}

bool subscription_reader::bad(const csv_record& r, const subscription_header& h,
                              size_t field, std::string what) {
  const std::string column =
      field < h.names.size() ? h.names[field] : std::string();
  InputError error(what, sources_.back(), r.line, column);
  if (!o_.skip_bad_rows) throw error;
  if (o_.on_skipped_row) o_.on_skipped_row(error);
  return false;
}

void subscription_reader::note_currency(const subscription& s) {
  if (!currencies_seen_.empty() && currencies_seen_.back().code == s.currency)
    return;
  for (const auto& seen : currencies_seen_) {
    if (seen.code == s.currency) return;
  }
  currencies_seen_.push_back({s.currency, sources_[s.source], s.line});
}

void subscription_reader::read_row(const csv_record& r,
                                   const subscription_header& h) {
  if (r.error) return void(bad(r, h, r.error_field, r.error));
  if (r.fields.size() != h.names.size()) {
    const width_error e = row_width_error(r.fields.size(), h.names.size());
    return void(bad(r, h, e.field, e.message));
  }
  if (h.status != kNoColumn && !excluded_.empty()) {
    const std::string status = lower(r.fields[h.status]);
    if (std::find(excluded_.begin(), excluded_.end(), status) !=
        excluded_.end()) {
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

std::string_view field_of(const csv_record& r, size_t col) {
  return col == kNoColumn ? std::string_view() : r.fields[col];
}

// An interval count: a whole number from 1 to 100000; 0 when it is not.
std::int64_t interval_count(std::string_view text) {
  std::int64_t count = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || count > 100000) return 0;
    count = count * 10 + (c - '0');
  }
  return count <= 100000 ? count : 0;
}

bool subscription_reader::parse_row(const csv_record& r,
                                    const subscription_header& h,
                                    subscription& s) {
  s.customer = std::string(field_of(r, h.customer));
  if (const char* footer = footer_row_message(s.customer, field_of(r, h.start),
                                              field_of(r, h.amount)))
    return bad(r, h, h.customer, footer);
  if (s.customer.empty()) return bad(r, h, h.customer, "empty customer id");
  billing b;
  if (!parse_dates(r, h, s) || !parse_amount(r, h, b) ||
      !parse_interval(r, h, b) || !parse_quantity(r, h, b) ||
      !parse_currency(r, h, s))
    return false;
  const std::string& code =
      s.currency.empty() ? o_.reporting_currency : s.currency;
  s.deferred = o_.minor_units && code.empty();
  // A deferred amount is checked at 0 decimals, the largest it can come to.
  const int digits =
      o_.minor_units && !s.deferred ? minor_unit_digits(code) : 0;
  const auto mrr =
      subscription_mrr(b.amount, b.quantity, b.interval, b.count, digits);
  if (!mrr) return bad(r, h, h.amount, "the monthly amount is too large");
  s.mrr = *mrr;
  if (s.deferred) {
    s.amount = b.amount;
    s.quantity = b.quantity;
    s.interval = b.interval;
    s.count = b.count;
  }
  return true;
}

bool subscription_reader::parse_dates(const csv_record& r,
                                      const subscription_header& h,
                                      subscription& s) {
  const std::string_view start_text = field_of(r, h.start),
                         end_text = field_of(r, h.end);
  const auto start = parse_date(start_text, o_.date_format);
  if (!start) {
    return bad(r, h, h.start,
               start_text.empty()
                   ? std::string("empty start date")
                   : invalid_date_message(start_text, o_.date_format));
  }
  s.start = *start;
  if (end_text.empty()) return true;
  s.end = parse_date(end_text, o_.date_format);
  if (!s.end)
    return bad(r, h, h.end, invalid_date_message(end_text, o_.date_format));
  if (*s.end < s.start) {
    return bad(r, h, h.end,
               fmt::format("the end {} is before the start {}",
                           format_date(*s.end), format_date(s.start)));
  }
  if (o_.end_inclusive) *s.end += 1;  // the first day it no longer counts
  return true;
}

bool subscription_reader::parse_amount(const csv_record& r,
                                       const subscription_header& h,
                                       billing& b) {
  const std::string_view text = field_of(r, h.amount);
  const char* why = nullptr;
  const auto amount = parse_money(text, &why, o_.decimal_comma);
  if (!amount) {
    return bad(r, h, h.amount,
               invalid_amount_message(text, why, o_.decimal_comma));
  }
  if (ask_decimal_ && looks_like_thousands(text)) {
    throw InputError(ambiguous_decimal_message(text), sources_.back(), r.line,
                     h.names[h.amount]);
  }
  b.amount = *amount;
  return true;
}

bool subscription_reader::parse_interval(const csv_record& r,
                                         const subscription_header& h,
                                         billing& b) {
  if (const auto text = field_of(r, h.interval); !text.empty()) {
    const auto named = interval_named(text, o_);
    if (!named) {
      return bad(r, h, h.interval,
                 fmt::format("invalid interval '{}': not one of day, week, "
                             "month, quarter, year",
                             text));
    }
    b.interval = *named;
  }
  if (const auto text = field_of(r, h.interval_count); !text.empty()) {
    b.count = interval_count(text);
    if (b.count == 0) {
      return bad(r, h, h.interval_count,
                 fmt::format("invalid interval count '{}': not a whole number "
                             "from 1 to 100000",
                             text));
    }
  }
  return true;
}

bool subscription_reader::parse_quantity(const csv_record& r,
                                         const subscription_header& h,
                                         billing& b) {
  const std::string_view text = field_of(r, h.quantity);
  if (text.empty()) return true;
  const char* why = nullptr;
  currency_symbol symbol;
  const auto q = parse_money(text, &why, o_.decimal_comma, &symbol);
  if (!q || symbol != currency_symbol::none || *q < money()) {
    return bad(r, h, h.quantity,
               fmt::format("invalid quantity '{}': {}", text,
                           q ? "not a number >= 0" : why));
  }
  b.quantity = *q;
  return true;
}

bool subscription_reader::parse_currency(const csv_record& r,
                                         const subscription_header& h,
                                         subscription& s) {
  const std::string_view text = field_of(r, h.currency);
  if (text.empty()) return true;
  const auto code = parse_currency_code(text);
  if (!code) {
    return bad(
        r, h, h.currency,
        fmt::format("invalid currency '{}': not a three-letter code like USD",
                    text));
  }
  s.currency = *code;
  return true;
}

date::year_month_day ymd(day_number d) {
  return date::year_month_day{date::sys_days{date::days{d}}};
}

// Every month end (or snapshot day) d with first start <= d <= as-of.
std::vector<day_number> snapshot_days(day_number first, day_number last,
                                      int day_of_month) {
  std::vector<day_number> out;
  const date::year_month_day f = ymd(first);
  for (date::year_month m = f.year() / f.month();; m += date::months{1}) {
    const auto end =
        date::year_month_day_last{m.year(), date::month_day_last{m.month()}};
    date::year_month_day day = end;
    if (day_of_month > 0 && unsigned(day_of_month) < unsigned(end.day())) {
      day = m.year() / m.month() / date::day(unsigned(day_of_month));
    }
    const day_number d =
        day_number(date::sys_days(day).time_since_epoch().count());
    if (d > last) break;
    if (d >= first) out.push_back(d);
  }
  return out;
}

// A start or end date outside the main run of dates (main_date_run,
// weighted by how many subscriptions name each) is an error naming its row.
void subscription_reader::check_outlier_dates() const {
  std::vector<std::pair<day_number, std::uint64_t>> weighted;
  for (const auto& s : subs_) {
    weighted.emplace_back(s.start, 1);
    if (s.end) weighted.emplace_back(*s.end, 1);
  }
  std::sort(weighted.begin(), weighted.end());
  size_t out = 0;
  for (size_t k = 0; k < weighted.size(); ++k) {
    if (out > 0 && weighted[out - 1].first == weighted[k].first) {
      ++weighted[out - 1].second;
    } else {
      weighted[out++] = weighted[k];
    }
  }
  weighted.resize(out);
  const date_run run = main_date_run(weighted);
  for (const auto& s : subs_) {
    if (!run.contains(s.start)) {
      throw InputError(outlier_date_message(s.start, run), sources_[s.source],
                       s.line, o_.start.names.front());
    }
    if (s.end && !run.contains(*s.end)) {
      throw InputError(outlier_date_message(*s.end, run) +
                           " (an open subscription's end date is left empty)",
                       sources_[s.source], s.line, o_.end.names.front());
    }
  }
}

std::vector<day_number> subscription_reader::snapshot_dates() const {
  if (!o_.allow_date_range) check_outlier_dates();
  day_number first = subs_.front().start, last = subs_.front().start;
  for (const auto& s : subs_) {
    first = std::min(first, s.start);
    last = std::max({last, s.start, latest_date(s)});
  }
  if (o_.as_of) last = *o_.as_of;
  if (last < first) {
    throw InputError(
        fmt::format("no snapshot date: --as-of {} is before the first start {}",
                    format_date(last), format_date(first)));
  }
  std::vector<day_number> days = snapshot_days(first, last, o_.snapshot_day);
  if (days.empty()) {
    throw InputError(fmt::format(
        "no snapshot date: no {} from the first start {} to {}{}",
        o_.snapshot_day ? fmt::format("day {} of a month", o_.snapshot_day)
                        : std::string("month end"),
        format_date(first), format_date(last),
        o_.as_of ? " (--as-of)"
                 : " (the latest date in the input; set a later --as-of)"));
  }
  if (days.size() > 65535) {
    // Name the row behind the far end of the range (an end date of
    // 9999-12-31 meaning "open" is the usual cause).
    const subscription* far = &subs_.front();
    for (const auto& s : subs_) {
      if (s.start == first && !o_.as_of) far = &s;
    }
    for (const auto& s : subs_) {
      if (!o_.as_of && std::max(s.start, latest_date(s)) == last) far = &s;
    }
    throw InputError(
        fmt::format(
            "more than 65,535 snapshot dates from {} to {}; is a date wrong? "
            "(an open subscription's end date is left empty)",
            format_date(first), format_date(last)),
        sources_[far->source], far->line);
  }
  if (!o_.as_of) warn_last_month_left_out(days.back(), last);
  return days;
}

// The date a subscription's row names last, as the file has it: its end
// (the last paid day with --end-inclusive), or its start.
day_number subscription_reader::latest_date(const subscription& s) const {
  if (!s.end) return s.start;
  return o_.end_inclusive ? *s.end - 1 : *s.end;
}

// The default as-of is the latest date in the input; when that is not a
// snapshot date, the month it is in is not reported (an exclusive end on the
// 1st: the playbook's 2019-12-01). Says so, with the --as-of that keeps it.
void subscription_reader::warn_last_month_left_out(day_number last_snapshot,
                                                   day_number latest) const {
  if (!o_.on_warning || last_snapshot == latest) return;
  const std::vector<day_number> next =
      snapshot_days(last_snapshot + 1, latest + 62, o_.snapshot_day);
  if (next.empty()) return;
  const date::year_month_day n = ymd(next.front());
  const std::string month =
      fmt::format("{:04}-{:02}", int(n.year()), unsigned(n.month()));
  o_.on_warning(fmt::format(
      "the snapshots end at {}: the latest date in the input, {}, is before "
      "{}'s snapshot date, so {} is not reported; add --as-of {} to report "
      "it",
      format_date(last_snapshot), format_date(latest), month, month,
      format_date(next.front())));
}

// Blank currency cells in minor units, with no --currency or --fx: the
// reporting currency is the data's single code (ndr rejects a second one
// without --fx), else USD; their minor unit is that currency's.
void subscription_reader::resolve_deferred() {
  std::string code;
  bool one = true;
  for (const auto& s : subs_) {
    if (s.currency.empty()) continue;
    if (code.empty()) code = s.currency;
    one = one && s.currency == code;
  }
  if (code.empty() || !one) code = "USD";
  for (auto& s : subs_) {
    if (s.deferred) {
      s.mrr = *subscription_mrr(s.amount, s.quantity, s.interval, s.count,
                                minor_unit_digits(code));
    }
  }
}

derived_snapshots subscription_reader::finish() {
  if (subs_.empty()) no_rows();
  resolve_deferred();
  derived_snapshots out;
  out.dates = snapshot_dates();
  out.empty_rows = empty_rows_;
  out.first_empty_row = first_empty_row_;
  out.has_currency = has_currency_;
  out.segment_names = segment_names_;
  for (const auto& col : o_.segment_cols) {
    out.segment_is_currency.push_back(has_currency_ &&
                                      lower(col) == "currency");
  }
  std::vector<std::uint32_t> first, past;
  count_date_rows(out.dates, first, past, out.date_rows);
  // Each currency's first row, in row order (date, then input order).
  for (std::uint32_t d = 0; d < out.dates.size(); ++d) {
    for (size_t i = 0; i < subs_.size(); ++i) {
      if (first[i] <= d && d < past[i]) note_currency(subs_[i]);
    }
  }
  out.currencies_seen = currencies_seen_;
  out.sources = sources_;
  out.amount_columns = amount_names_;
  out.amount_columns.resize(sources_.size());
  out.subscriptions.reserve(subs_.size());
  for (size_t i = 0; i < subs_.size(); ++i) {
    subscription& sub = subs_[i];
    out.subscriptions.push_back(
        {std::move(sub.customer), sub.mrr, std::move(sub.currency),
         std::move(sub.segments), sub.source, sub.line, first[i], past[i]});
  }
  subs_.clear();
  return out;
}

void subscription_reader::no_rows() const {
  std::string names;
  for (const auto& s : sources_) names += (names.empty() ? "" : ", ") + s;
  throw InputError(
      excluded_rows_
          ? fmt::format("no subscription rows in {} after --exclude-status",
                        names)
          : fmt::format("no subscription rows in {}", names));
}

// The subscriptions counting on each date, in input order: subscription i
// counts on the dates in [first[i], past[i]), a range of date indexes. at[d]:
// the derived rows before date d's.
void subscription_reader::count_date_rows(
    const std::vector<day_number>& dates, std::vector<std::uint32_t>& first,
    std::vector<std::uint32_t>& past, std::vector<std::uint64_t>& at) const {
  first.resize(subs_.size());
  past.resize(subs_.size());
  at.assign(dates.size() + 1, 0);
  for (size_t i = 0; i < subs_.size(); ++i) {
    const subscription& s = subs_[i];
    first[i] = std::uint32_t(
        std::lower_bound(dates.begin(), dates.end(), s.start) - dates.begin());
    past[i] = std::uint32_t(
        s.end ? std::lower_bound(dates.begin(), dates.end(), *s.end) -
                    dates.begin()
              : std::ptrdiff_t(dates.size()));
    for (std::uint32_t d = first[i]; d < past[i]; ++d) ++at[d + 1];
  }
  // A date on which nothing counts keeps one zero row.
  for (size_t d = 0; d < dates.size(); ++d)
    at[d + 1] = std::max<std::uint64_t>(at[d + 1], 1);
  for (size_t d = 0; d < dates.size(); ++d) at[d + 1] += at[d];
  if (at.back() > o_.max_rows) {
    throw InputError(
        fmt::format("more than {} derived snapshot rows", o_.max_rows));
  }
}

template <typename Source, typename Open>
derived_snapshots derive(const std::vector<Source>& sources,
                         const subscription_options& o, Open open) {
  subscription_reader reader(o);
  for (const auto& s : sources) open(reader, s);
  return reader.finish();
}

}  // namespace

std::optional<money> subscription_mrr(money amount, money quantity,
                                      billing_interval interval,
                                      std::int64_t interval_count,
                                      int minor_digits) {
  static constexpr std::int64_t kFactor[][2] = {
      {365, 12}, {52, 12}, {1, 1}, {1, 3}, {1, 12}};
  const auto [num, den] = kFactor[int(interval)];
  __int128 n = 0;
  if (__builtin_mul_overflow(__int128(amount.units()),
                             __int128(quantity.units()), &n) ||
      __builtin_mul_overflow(n, __int128(num), &n)) {
    return std::nullopt;
  }
  __int128 d = __int128(money::kScale) * den * interval_count;
  for (int k = 0; k < minor_digits; ++k) d *= 10;
  return divide_half_even(n, d);
}

int minor_unit_digits(std::string_view code) {
  static constexpr std::string_view kZero[] = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA",
      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD",
                                                "LYD", "OMR", "TND"};
  static constexpr std::string_view kFour[] = {"CLF", "UYW"};
  for (auto c : kZero)
    if (c == code) return 0;
  for (auto c : kThree)
    if (c == code) return 3;
  for (auto c : kFour)
    if (c == code) return 4;
  return 2;
}

derived_snapshots derive_snapshots(const std::vector<std::string>& paths,
                                   const subscription_options& options) {
  require_distinct_files(paths);
  return derive(
      paths, options, [&](subscription_reader& r, const std::string& path) {
        const std::string name = path == "-" ? "<stdin>" : path;
        line_reader lines(name, open_text(path, name, options.encoding));
        r.read(name, lines);
      });
}

constexpr const char* kDerivedName = "<derived snapshots>";

std::uint32_t derived_snapshots::subscription_of_row(std::uint64_t k) const {
  std::uint32_t found = kZeroRow;
  for_each_row([&](std::uint64_t row, std::uint32_t, std::uint32_t i) {
    if (row == k) found = i;
  });
  return found;
}

std::string derived_csv(const derived_snapshots& derived) {
  std::string csv = "customer_id,date,mrr";
  if (derived.has_currency) csv += ",currency";
  for (const auto& name : derived.segment_names) csv += "," + csv_field(name);
  csv += ",source\n";
  // Each subscription's row is the same but for the date: its text around
  // the date is built once (measured: formatting per row was a third of the
  // time on 200k subscriptions).
  const auto& subs = derived.subscriptions;
  std::vector<std::pair<std::string, std::string>> text(subs.size());
  for (size_t i = 0; i < subs.size(); ++i) {
    const auto& s = subs[i];
    const std::string& source = derived.sources[s.source];
    text[i].first = csv_field(s.customer) + ',';
    std::string& after = text[i].second;
    after = ',' + format_money(s.mrr, money::kScaleDigits);
    if (derived.has_currency) after += "," + s.currency;
    for (const auto& v : s.segments) after += "," + csv_field(v);
    after += ',' + csv_field(fmt::format("{}:{}", source, s.line)) + '\n';
  }
  // Nothing counts: one zero row (the first subscription's customer, no
  // currency, blank segments) keeps the date a snapshot date.
  std::string zero_after = ",0.000000";
  if (derived.has_currency) zero_after += ',';
  zero_after += std::string(derived.segment_names.size(), ',') + ",\n";
  // Room for every row up front: a doubling string would peak at twice the
  // text (docs/performance.md, 200k subscriptions).
  size_t bytes = csv.size();
  derived.for_each_row([&](std::uint64_t, std::uint32_t, std::uint32_t i) {
    bytes += 11 + (i == derived_snapshots::kZeroRow
                       ? text[0].first.size() + zero_after.size()
                       : text[i].first.size() + text[i].second.size());
  });
  csv.reserve(bytes);
  std::string date;
  std::uint32_t date_of = UINT32_MAX;
  derived.for_each_row([&](std::uint64_t, std::uint32_t d, std::uint32_t i) {
    if (d != date_of) date = format_date(derived.dates[date_of = d]);
    const bool zero = i == derived_snapshots::kZeroRow;
    csv += text[zero ? 0 : i].first;
    csv += date;
    csv += zero ? zero_after : text[i].second;
  });
  return csv;
}

namespace {

// The derived rows of dates [first_date, past_date) into `rows`, in order,
// row k as line k + 2 (derived_csv's).
void add_derived_dates(const derived_snapshots& derived,
                       const load_options& options, snapshot_rows& rows,
                       std::uint32_t first_date, std::uint32_t past_date) {
  const auto& subs = derived.subscriptions;
  const size_t n = options.segment_cols.size();
  std::vector<std::string_view> values(n), zero_values(n);
  derived.for_each_row(
      [&](std::uint64_t k, std::uint32_t d, std::uint32_t i) {
        const unsigned line = unsigned(k + 2);
        if (i == derived_snapshots::kZeroRow) {
          rows.add(subs[0].customer, "", derived.dates[d], money(),
                   zero_values.data(), line);
          return;
        }
        const auto& s = subs[i];
        for (size_t c = 0, read = 0; c < n; ++c) {
          values[c] = derived.segment_is_currency[c]
                          ? std::string_view(s.currency)
                          : std::string_view(s.segments[read++]);
        }
        rows.add(s.customer, s.currency, derived.dates[d], s.mrr, values.data(),
                 line);
      },
      first_date, past_date);
}

// Every derived row into `rows`: a large set as two shares of dates, each
// made on a core of its own (they are joined in order, as one pass).
void add_derived_rows(const derived_snapshots& derived,
                      const load_options& options, snapshot_rows& rows) {
  const auto dates = std::uint32_t(derived.dates.size());
  if (derived.rows() < std::max<std::uint64_t>(options.parallel_rows, 1) ||
      dates < 2 || std::thread::hardware_concurrency() < 2) {
    return add_derived_dates(derived, options, rows, 0, dates);
  }
  // The first date whose rows start past the middle row.
  const auto middle = std::uint32_t(
      std::upper_bound(derived.date_rows.begin(),
                       derived.date_rows.begin() + dates, derived.rows() / 2) -
      derived.date_rows.begin());
  const std::uint32_t cut = std::clamp<std::uint32_t>(middle, 1, dates - 1);
  rows.add_in_two([&](snapshot_rows& part, unsigned share) {
    if (share == 0) {
      part.reserve(derived.rows());  // its columns become `rows`' columns
      return add_derived_dates(derived, options, part, 0, cut);
    }
    part.reserve(derived.rows() - derived.date_rows[cut]);
    add_derived_dates(derived, options, part, cut, dates);
  });
}

}  // namespace

namespace {

// A derived row's error (a negative or too large total) as the error of the
// subscription it came from; any other error as it is.
InputError of_subscription(const InputError& e,
                           const derived_snapshots& derived) {
  const size_t row = e.line() >= 2 ? e.line() - 2 : SIZE_MAX;
  const std::uint32_t i = row < derived.rows()
                              ? derived.subscription_of_row(row)
                              : derived_snapshots::kZeroRow;
  if (e.source() != kDerivedName || i == derived_snapshots::kZeroRow) return e;
  const auto& at = derived.subscriptions[i];
  return InputError(e.detail(), derived.sources[at.source], at.line,
                    derived.amount_columns[at.source]);
}

// `derived`'s rows into a store that keeps their positions or not (then
// nullopt when a sum fails, as snapshot_rows::finish).
std::optional<snapshot_store> sum_rows(const derived_snapshots& derived,
                                       const load_options& options, bool keep) {
  snapshot_rows rows(options, kDerivedName, derived.has_currency, keep);
  try {
    rows.reserve(derived.rows());
    add_derived_rows(derived, options, rows);
    std::optional<snapshot_store> store = rows.finish();
    if (store) {
      store->currencies_seen = derived.currencies_seen;
      store->empty_rows = derived.empty_rows;
      store->first_empty_row = derived.first_empty_row;
    }
    return store;
  } catch (const InputError& e) {
    throw of_subscription(e, derived);
  }
}

}  // namespace

snapshot_store load_derived(const derived_snapshots& derived,
                            load_options options) {
  options.skip_bad_rows = false;  // the derived rows are all good
  // Without the rows' positions first; again with them only for an error.
  std::optional<snapshot_store> store = sum_rows(derived, options, false);
  if (!store) store = sum_rows(derived, options, true);
  check_invariant(store.has_value(),
                  "derived rows that keep their positions did not finish");
  return std::move(*store);
}

snapshot_store load_derived(
    const std::function<derived_snapshots(bool again)>& derive,
    load_options options) {
  options.skip_bad_rows = false;
  std::optional<snapshot_store> store;
  {
    derived_snapshots derived = derive(false);
    snapshot_rows rows(options, kDerivedName, derived.has_currency, false);
    if (rows.keeps_positions()) return load_derived(derived, options);
    const auto seen = derived.currencies_seen;
    const auto empty_rows = derived.empty_rows;
    const auto first_empty_row = derived.first_empty_row;
    try {
      rows.reserve(derived.rows());
      add_derived_rows(derived, options, rows);
    } catch (const InputError& e) {
      throw of_subscription(e, derived);
    }
    // Given back before the sums; a sum that fails needs no subscription
    // here: without positions it asks for the rows again (nullopt).
    derived = derived_snapshots();
    store = rows.finish();
    if (store) {
      store->currencies_seen = seen;
      store->empty_rows = empty_rows;
      store->first_empty_row = first_empty_row;
    }
  }
  if (!store) {
    // A sum failed: again, keeping positions, for the subscription's error.
    store = sum_rows(derive(true), options, true);
    check_invariant(store.has_value(),
                    "derived rows that keep their positions did not finish");
  }
  return std::move(*store);
}

derived_snapshots derive_snapshot_texts(const std::vector<named_text>& texts,
                                        const subscription_options& options) {
  return derive(texts, options,
                [&](subscription_reader& r, const named_text& t) {
                  line_reader lines(
                      t.name, text_in_memory(t.text, t.name, options.encoding));
                  r.read(t.name, lines);
                });
}

}  // namespace ndr
