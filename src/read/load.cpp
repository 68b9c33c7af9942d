#include "ndr/load.h"

#include <fmt/format.h>
#include <libfccp/csv.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "byte_source.h"
#include "csv_record.h"
#include "customer_index.h"
#include "header.h"
#include "ndr/hierarchy.h"
#include "ndr/presets.h"
#include "row_columns.h"
#include "run_on.h"

namespace ndr {
namespace {

constexpr size_t kMaxDates = 65535;  // snapshot dates are numbered in 16 bits
// A three-letter currency text as 24 bits, for the builder's cache of codes.
std::optional<std::uint32_t> packed_code(std::string_view code) {
  if (code.size() != 3) return std::nullopt;
  return std::uint32_t(std::uint8_t(code[0])) |
         std::uint32_t(std::uint8_t(code[1])) << 8 |
         std::uint32_t(std::uint8_t(code[2])) << 16;
}

constexpr const char* kBlankSegment = "(blank)";
constexpr const char* kSegmentJoin = " / ";

struct string_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

// The positions of the three columns the report needs in one file's header.
struct column_map {
  size_t customer = 0, date = 0, mrr = 0;
  size_t currency = kNoColumn;
  std::vector<size_t> segments;
  std::vector<std::string> names;  // the header as written (trimmed)
};

// Thrown by finish() when a sum fails without rows kept: the error needs
// the lines of the rows, so the input is read again keeping them.
struct needs_rows {};

// Accumulates the rows of every file, then folds them into a snapshot_store.
class data_set_builder {
 public:
  // keep_rows: sum with each row's read position at hand, for validate's
  // statistics and error lines (and segments with a currency column). Without
  // it a sum that fails throws needs_rows, and the input is read again with it
  // (load_all).
  explicit data_set_builder(const load_options& options, bool keep_rows = true)
      : options_(options),
        keep_rows_(keep_rows || options.stats || bool(options.on_data_error)),
        reporting_(options.reporting_currency) {}

  // Reads one whole input: its header, then its rows.
  void read(const std::string& name, line_reader& lines);

  // Reading one large file in parts on two threads (read_in_parts):
  // a part builder keeps its skipped rows (kept_) instead of reporting them,
  // counts lines from its part's start, and the first part stops at a record
  // that runs past its end (ended_in_quotes_), which makes the caller read the
  // file again in one piece.
  void begin_part(const std::string& name, const data_set_builder& owner);
  column_map read_header(csv_record_reader& reader, const std::string& name);
  void refuse_subscriptions(const std::vector<std::string>& header,
                            const std::string& name) const;
  void read_rows(csv_record_reader& reader, const column_map& columns);
  // Appends `part`'s rows, read from the current source after this
  // builder's, its lines counted from line_offset + 1; replays its kept rows.
  void absorb(data_set_builder& part, unsigned line_offset);
  // Every row: these, then the tails'.
  size_t rows() const {
    size_t n = row_customer_.size();
    for (const tail& t : tails_) n += t.customer.size();
    return n;
  }
  void begin_source(const std::string& name, const std::string& mrr_name);
  bool ended_in_quotes() const { return ended_in_quotes_; }
  // A part named a currency location of its own in an error: its lines are
  // counted from the part's start, so the file is read again in one pass.
  bool part_currency_error() const { return part_currency_error_; }
  currency_symbol currency() const { return currency_; }
  // Room for the rows of `bytes` more input. Untouched capacity costs no
  // memory, and growing a 10M-row column by doubling costs copies and faults.
  void expect_bytes(std::uint64_t bytes);
  void expect_rows(size_t rows);
  // A row made in memory (snapshot_rows): the checks after parsing, then kept.
  void add_row(std::string_view id, std::string_view code, day_number date,
               money amount, const std::string_view* segment_values,
               unsigned line);
  void set_currency_column() { saw_currency_column_ = true; }
  bool keeps_rows() const { return keep_rows_; }
  snapshot_store finish();

 private:
  // absorb's steps.
  void absorb_notes(const data_set_builder& part, unsigned line_offset);
  void take_columns(data_set_builder& part);
  std::vector<std::uint32_t> customer_map_of(const data_set_builder& part,
                                             unsigned line_offset);
  std::vector<std::uint32_t> segment_map_of(const data_set_builder& part);
  void read_row(const csv_record& record, const column_map& columns);
  // The row's customer: its id rolled up (--customer-map) and the number of
  // its currency (0: the reporting one); nullopt after reporting a bad
  // currency cell.
  struct customer_part {
    std::string_view id;
    std::uint16_t currency = 0;
  };
  std::optional<customer_part> customer_key(const csv_record& record,
                                            const column_map& columns);
  // read_row's steps: each reports a bad row itself, and says whether to go
  // on.
  bool well_formed(const csv_record& record, const column_map& columns);
  std::optional<day_number> row_date(const csv_record& record,
                                     const column_map& columns);
  std::optional<money> row_amount(const csv_record& record,
                                  const column_map& columns);
  // Without a currency column, the first currency symbol read is the
  // files' currency; a row with another is a bad row (false).
  bool accept_symbol(currency_symbol symbol, const csv_record& record,
                     const column_map& columns);
  void push_row(const customer_part& part, day_number date, money amount,
                unsigned line);
  // The part of (id, code), code canonical or "" (the reporting currency).
  customer_part part_of(std::string_view id, std::string_view code,
                        unsigned line);
  // The part of (id, code) when code's text was read before: it was noted,
  // and its part numbered, then (most rows repeat one of a few codes).
  std::optional<customer_part> known_part(std::string_view id,
                                          std::string_view code) const {
    const auto key = packed_code(code);
    if (!key) return std::nullopt;
    for (const auto& [text, number] : code_parts_) {
      if (text == *key)
        return customer_part{options_.parents ? options_.parents->top(id) : id,
                             number};
    }
    return std::nullopt;
  }
  void remember_part(std::string_view code, const customer_part& part);
  std::uint16_t currency_number(std::string_view code, unsigned line);
  std::string display_name(std::uint32_t customer) const;
  void note_currency(std::string_view code, unsigned line);
  void bad_row(unsigned line, const column_map& columns, size_t field,
               std::string what);
  void report_skipped(const InputError& error);
  std::uint32_t segment_number(const csv_record& record,
                               const column_map& columns);
  std::uint32_t segment_number(const std::string_view* values);
  std::uint32_t new_segment_number(const std::string_view* values);
  std::uint32_t segment_id(const std::string_view* values);
  // Every row asks: the last date's number inline, a new date's out of line.
  std::uint16_t date_number(day_number d, unsigned line) {
    if (d == last_day_ && last_day_number_ != UINT16_MAX)
      return last_day_number_;
    return new_date_number(d, line);
  }
  std::uint16_t new_date_number(day_number d, unsigned line);
  std::pair<size_t, unsigned> place_of(
      std::uint32_t row) const;  // (source, line)
  InputError row_error(std::uint32_t row, std::string what) const;
  void negative_total(std::uint32_t customer, std::uint32_t first_row,
                      money total, day_number d);
  [[noreturn]] void no_rows() const;
  void check_segment_count() const;
  void check_outlier_dates(const std::vector<day_number>& sorted) const;
  std::uint32_t first_row_with_date(std::uint16_t number) const;
  void join_tails();
  template <typename F>
  void visit_rows(size_t from, size_t upto, F f) const;
  void release_rows(size_t from, size_t upto);
  struct fold_result {
    std::vector<money>
        segment_amounts;  // with currency parts: the segment rows' amounts
    std::vector<std::uint32_t> segment_rows;  // … and read positions
    std::optional<InputError> error;
    bool wide = false;  // a total is not a whole number of cents in 32 bits
    bool needs_rows = false;  // a sum failed without rows kept
  };
  struct grouped_rows;
  std::vector<std::uint16_t> sort_dates(snapshot_store& store);
  void check_groups(grouped_rows& g, snapshot_store& store);
  void write_entries(grouped_rows& g, snapshot_store& store);
  void group_by_customer(const std::vector<std::uint16_t>& rank,
                         grouped_rows& g);
  std::vector<std::vector<std::uint32_t>> count_by_customer(
      unsigned threads) const;
  void place_rows(const std::vector<std::uint16_t>& rank,
                  std::vector<std::vector<std::uint32_t>>& next,
                  grouped_rows& g);
  void sort_group(grouped_rows& g, size_t begin, size_t end);
  fold_result fold_range(std::uint32_t first, std::uint32_t last,
                         grouped_rows& rows, snapshot_store& store);
  size_t write_range(std::uint32_t first, std::uint32_t last,
                     grouped_rows& rows);
  void note_group(std::uint32_t customer, const std::uint32_t* rows,
                  const money_column& amount, size_t g, size_t n,
                  std::uint16_t date);

  const load_options& options_;
  const bool keep_rows_;
  std::vector<std::string> sources_;
  std::vector<std::string>
      mrr_names_;  // per source: the MRR column as its header spells it
  customer_index customers_;
  customer_predictor predictor_;
  std::vector<std::string> segments_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>>
      segment_ids_;
  std::string label_;  // scratch for building a segment label
  // segment_number's shortcut: (field values, segment) of the first 16 seen.
  std::vector<std::pair<std::vector<std::string>, std::uint32_t>>
      recent_segments_;
  std::vector<std::string_view>
      segment_values_;  // scratch: a row's segment fields
  std::vector<std::uint32_t>
      first_row_;  // stats: per date, its first row in read order
  std::vector<day_number> date_of_rank_;  // finish(): the sorted snapshot dates
  // The rows read, one array per field (10 bytes a row without segments,
  // amounts in cents; row_columns.h): row i is customer row_customer_[i],
  // date dates_seen_[row_date_[i]], …; finish() sorts them by customer in
  // place.
  std::vector<std::uint32_t> row_customer_;
  date_column row_date_;
  money_column row_amount_;
  row_lines row_line_;
  segment_column row_segment_;  // only with segment columns
  // Parts read on other threads whose rows follow these (absorb): left where
  // they are, their numbers mapped to this builder's, until the rows are
  // grouped; a copy here would cost 8 fresh bytes a row (docs/performance.md).
  // Rows added here join them first (join_tails), so that rows stay in order.
  struct tail {
    std::vector<std::uint32_t> customer;
    date_column date;
    money_column amount;
    segment_column segment;
    std::vector<std::uint32_t> customer_map, segment_map;
    std::vector<std::uint16_t> date_map;
  };
  std::vector<tail> tails_;
  std::vector<std::uint32_t>
      source_first_row_;                // source k's rows start at this index
  std::vector<day_number> dates_seen_;  // in order of first appearance
  std::unordered_map<day_number, std::uint16_t> date_numbers_;
  day_number last_day_ = 0;
  std::uint16_t last_day_number_ = UINT16_MAX;
  std::uint64_t skipped_ = 0;
  std::uint64_t empty_rows_ = 0;    // rows of delimiters alone (;;;)
  std::string first_empty_source_;  // where the first is
  unsigned first_empty_line_ = 0;
  currency_symbol currency_ =
      currency_symbol::none;  // the first symbol seen, and where
  std::string currency_source_;
  unsigned currency_line_ = 0;
  bool keep_skipped_ = false;  // a part: keep skipped rows in kept_
  std::vector<InputError> kept_;
  bool ended_in_quotes_ = false;
  bool ask_decimal_ = false;  // amounts like 1.500 are ambiguous in this file
  bool currency_inherited_ =
      false;  // a part: currency_ came from the files before
  bool part_currency_error_ = false;
  std::vector<std::string> part_currencies_{
      ""};  // customer_index's currency numbers: codes
  std::string
      reporting_;  // options_.reporting_currency, or the first code read
  bool saw_currency_column_ = false;  // some file has the currency column
  std::vector<snapshot_store::currency_seen> currencies_seen_;
  std::string
      last_date_text_;  // one-entry cache: exports repeat a date many times
  std::optional<day_number> last_date_;
  // The currency column's three-letter texts as read (their bytes packed),
  // each with the part it gave: a few codes fill a whole file.
  std::vector<std::pair<std::uint32_t, std::uint16_t>> code_parts_;
};

// A subscription export given as snapshots: the error says so, with the
// options that read it (the closest-column hint would propose its start date
// as the snapshot date, and exit 0 with wrong numbers). Only when there is no
// snapshot date column by any usual name: a snapshot file may carry its
// contracts' start and end dates beside its dates.
void data_set_builder::refuse_subscriptions(
    const std::vector<std::string>& header, const std::string& name) const {
  if (find_optional_column(header, options_.date_col, name) != kNoColumn ||
      has_snapshot_date_name(header))
    return;
  const std::string& missing =
      find_optional_column(header, options_.customer_col, name) == kNoColumn
          ? options_.customer_col
          : options_.date_col;
  const std::string hint = subscription_hint(header, options_.customer_col);
  if (hint.empty()) return;
  throw InputError(
      fmt::format("missing column '{}': this is a subscription export (a "
                  "start and an end date per row), not snapshots; read it "
                  "with {} (see 'ndr presets' and docs/inputs.md)",
                  missing, hint),
      name, 1);
}

column_map data_set_builder::read_header(csv_record_reader& reader,
                                         const std::string& name) {
  csv_record header;
  do {
    if (!reader.next(header)) return {};
  } while (header.blank);  // blank lines before the header carry nothing
  if (header.error) throw InputError(header.error, name, header.line);
  column_map map;
  for (auto f : header.fields) map.names.emplace_back(f);
  refuse_subscriptions(map.names, name);
  map.customer =
      find_column(map.names, options_.customer_col, name, "--customer-col");
  map.date = find_column(map.names, options_.date_col, name, "--date-col");
  map.mrr = find_column(map.names, options_.mrr_col, name, "--mrr-col");
  mrr_names_.back() = map.names[map.mrr];
  for (const auto& col : options_.segment_cols) {
    map.segments.push_back(find_column(map.names, col, name, "--segment-by"));
  }
  if (options_.currency_col_required) {
    map.currency =
        find_column(map.names, options_.currency_col, name, "--currency-col");
  } else if (!options_.currency_col.empty()) {
    map.currency = find_optional_column(map.names, options_.currency_col, name);
  }
  saw_currency_column_ = saw_currency_column_ || map.currency != kNoColumn;
  return map;
}

void data_set_builder::begin_source(const std::string& name,
                                    const std::string& mrr_name) {
  sources_.push_back(name);
  source_first_row_.push_back(std::uint32_t(rows()));
  mrr_names_.push_back(mrr_name);
}

void data_set_builder::read(const std::string& name, line_reader& lines) {
  begin_source(name, options_.mrr_col);
  csv_record_reader reader(lines, options_.delimiter, name);
  const column_map columns = read_header(reader, name);
  if (columns.names.empty()) return;  // an empty file: no header, no rows
  read_rows(reader, columns);
}

void data_set_builder::read_rows(csv_record_reader& reader,
                                 const column_map& columns) {
  join_tails();  // rows stay in order: the tails' come before these
  reader.name_columns(columns.names);
  ask_decimal_ = reader.delimiter() == ';' && !options_.decimal_comma &&
                 !options_.decimal_point;
  csv_record record;
  while (reader.next(record)) {
    if (record.blank) continue;  // an empty line carries no data
    if (record.all_empty()) {
      // A spreadsheet's unused rows (;;;): skipped, counted, told.
      if (empty_rows_++ == 0) {
        first_empty_source_ = sources_.back();
        first_empty_line_ = record.line;
      }
      continue;
    }
    read_row(record, columns);
  }
  ended_in_quotes_ =
      reader.cut_at_end_hit();  // a record crosses into the next part
}

void data_set_builder::begin_part(const std::string& name,
                                  const data_set_builder& owner) {
  keep_skipped_ = true;
  reporting_ = owner.reporting_;
  currency_ = owner.currency_;
  currency_source_ = owner.currency_source_;
  currency_line_ = owner.currency_line_;
  currency_inherited_ = currency_ != currency_symbol::none;
  begin_source(name, options_.mrr_col);
}

void data_set_builder::report_skipped(const InputError& error) {
  if (keep_skipped_) {
    kept_.push_back(error);
  } else if (options_.on_skipped_row) {
    options_.on_skipped_row(error);
  }
}

void data_set_builder::absorb(data_set_builder& part, unsigned line_offset) {
  absorb_notes(part, line_offset);
  const bool fresh = row_customer_.empty() && tails_.empty() &&
                     customers_.size() == 0 && dates_seen_.empty() &&
                     segments_.empty() && line_offset == 0;
  if (fresh) {  // the first part of the first file: its columns as they are
    take_columns(part);
    return;
  }
  tail t;
  t.customer_map = customer_map_of(part, line_offset);
  t.date_map.resize(part.dates_seen_.size());
  for (size_t d = 0; d < part.dates_seen_.size(); ++d) {
    t.date_map[d] = date_number(part.dates_seen_[d], line_offset + 1);
  }
  t.segment_map = segment_map_of(part);
  const size_t n = part.row_customer_.size();
  if (rows() + n > UINT32_MAX) throw InputError("more than 4,294,967,295 rows");
  row_line_.append(part.row_line_, std::uint32_t(rows()), line_offset);
  t.customer.swap(part.row_customer_);
  t.date.swap(part.row_date_);
  t.amount.swap(part.row_amount_);
  t.segment.swap(part.row_segment_);
  tails_.push_back(std::move(t));
}

// What a part noted beside its rows: skipped and empty rows, the currencies
// and the currency symbol it saw.
void data_set_builder::absorb_notes(const data_set_builder& part,
                                    unsigned line_offset) {
  for (const auto& e : part.kept_) report_skipped(e.moved_down(line_offset));
  skipped_ += part.skipped_;
  if (empty_rows_ == 0 && part.empty_rows_ > 0) {
    first_empty_source_ = part.first_empty_source_;
    first_empty_line_ = part.first_empty_line_ + line_offset;
  }
  empty_rows_ += part.empty_rows_;
  saw_currency_column_ = saw_currency_column_ || part.saw_currency_column_;
  if (reporting_.empty()) reporting_ = part.reporting_;
  for (const auto& seen : part.currencies_seen_) {
    bool known = false;
    for (const auto& mine : currencies_seen_)
      known = known || mine.code == seen.code;
    if (!known)
      currencies_seen_.push_back(
          {seen.code, seen.source, seen.line + line_offset});
  }
  if (currency_ == currency_symbol::none &&
      part.currency_ != currency_symbol::none) {
    currency_ = part.currency_;
    currency_source_ = part.currency_source_;
    currency_line_ = part.currency_line_ + line_offset;
  }
}

void data_set_builder::take_columns(data_set_builder& part) {
  std::swap(customers_, part.customers_);
  part_currencies_.swap(part.part_currencies_);
  row_customer_.swap(part.row_customer_);
  row_date_.swap(part.row_date_);
  row_amount_.swap(part.row_amount_);
  row_line_.swap(part.row_line_);
  row_segment_.swap(part.row_segment_);
  dates_seen_.swap(part.dates_seen_);
  date_numbers_.swap(part.date_numbers_);
  segments_.swap(part.segments_);
  segment_ids_.swap(part.segment_ids_);
}

// The part's customer numbers as this builder's, their currencies too.
std::vector<std::uint32_t> data_set_builder::customer_map_of(
    const data_set_builder& part, unsigned line_offset) {
  std::vector<std::uint16_t> currency_map(part.part_currencies_.size(), 0);
  for (size_t k = 1; k < currency_map.size(); ++k) {
    currency_map[k] =
        currency_number(part.part_currencies_[k], line_offset + 1);
  }
  std::vector<std::uint32_t> customer_map(part.customers_.size());
  for (std::uint32_t c = 0; c < part.customers_.size(); ++c) {
    customer_map[c] = customers_.intern(
        part.customers_.name(c), currency_map[part.customers_.currency(c)]);
  }
  return customer_map;
}

std::vector<std::uint32_t> data_set_builder::segment_map_of(
    const data_set_builder& part) {
  std::vector<std::uint32_t> segment_map(part.segments_.size());
  for (size_t k = 0; k < part.segments_.size(); ++k) {
    auto it = segment_ids_.find(std::string_view(part.segments_[k]));
    if (it == segment_ids_.end()) {
      it = segment_ids_
               .emplace(part.segments_[k], std::uint32_t(segments_.size()))
               .first;
      segments_.push_back(part.segments_[k]);
    }
    segment_map[k] = it->second;
  }
  return segment_map;
}

// The tails' rows copied after these, in order, each tail given back as it
// is copied.
void data_set_builder::join_tails() {
  constexpr size_t kChunk = size_t(1) << 20;
  const bool segmented = !options_.segment_cols.empty();
  for (tail& t : tails_) {
    const size_t n = t.customer.size();
    for (size_t chunk = 0; chunk < n; chunk += kChunk) {
      const size_t upto = std::min(n, chunk + kChunk);
      t.date.for_each(chunk, upto, [&](size_t i, std::uint16_t d) {
        row_customer_.push_back(t.customer_map[t.customer[i]]);
        row_date_.push_back(t.date_map[d]);
        row_amount_.push_back(t.amount[i]);
        if (segmented) row_segment_.push_back(t.segment_map[t.segment[i]]);
      });
      release_pages(t.customer, 0, upto);
      t.date.release_read(0, upto);
      t.amount.release_read(0, upto);
      if (segmented) t.segment.release_read(0, upto);
    }
  }
  tails_.clear();
}

// f(i, customer, date number, amount column, j, segment) for rows [from,
// upto) in order, row i being row j of its amount column; segment 0 without
// segment columns.
template <typename F>
void data_set_builder::visit_rows(size_t from, size_t upto, F f) const {
  const bool segmented = !options_.segment_cols.empty();
  size_t base = 0;
  const auto visit = [&](const std::vector<std::uint32_t>& customer,
                         const date_column& date, const money_column& amount,
                         const segment_column& segment, const auto& customer_of,
                         const auto& date_of, const auto& segment_of) {
    const size_t a = std::max(from, base);
    const size_t b = std::min(upto, base + customer.size());
    if (a < b) {
      date.for_each(a - base, b - base, [&](size_t j, std::uint16_t d) {
        f(base + j, customer_of(customer[j]), date_of(d), amount, j,
          segmented ? segment_of(segment[j]) : 0);
      });
    }
    base += customer.size();
  };
  const auto same = [](auto x) { return x; };
  visit(row_customer_, row_date_, row_amount_, row_segment_, same, same, same);
  for (const tail& t : tails_) {
    visit(
        t.customer, t.date, t.amount, t.segment,
        [&](std::uint32_t c) { return t.customer_map[c]; },
        [&](std::uint16_t d) { return t.date_map[d]; },
        [&](std::uint32_t k) { return t.segment_map[k]; });
  }
}

// Gives back the memory of rows [from, upto), read for the last time.
void data_set_builder::release_rows(size_t from, size_t upto) {
  size_t base = 0;
  const auto release = [&](std::vector<std::uint32_t>& customer,
                           date_column& date, money_column& amount,
                           segment_column& segment) {
    const size_t a = std::max(from, base);
    const size_t b = std::min(upto, base + customer.size());
    if (a < b) {
      release_pages(customer, a - base, b - base);
      date.release_read(a - base, b - base);
      amount.release_read(a - base, b - base);
      segment.release_read(a - base, b - base);
    }
    base += customer.size();
  };
  release(row_customer_, row_date_, row_amount_, row_segment_);
  for (tail& t : tails_) release(t.customer, t.date, t.amount, t.segment);
}

void data_set_builder::bad_row(unsigned line, const column_map& columns,
                               size_t field, std::string what) {
  std::string column =
      field < columns.names.size() ? columns.names[field] : std::string();
  InputError error(what, sources_.back(), line, column);
  if (!options_.skip_bad_rows) throw error;
  ++skipped_;
  report_skipped(error);
}

std::uint16_t data_set_builder::new_date_number(day_number d, unsigned line) {
  auto it = date_numbers_.find(d);
  if (it == date_numbers_.end()) {
    if (dates_seen_.size() == kMaxDates) {
      throw InputError("more than 65,535 different snapshot dates",
                       sources_.back(), line);
    }
    it = date_numbers_.emplace(d, std::uint16_t(dates_seen_.size())).first;
    dates_seen_.push_back(d);
  }
  last_day_ = d;
  last_day_number_ = it->second;
  return it->second;
}

void data_set_builder::expect_bytes(std::uint64_t bytes) {
  expect_rows(size_t(bytes / 16) + 1024);
}

void data_set_builder::expect_rows(size_t more) {
  const size_t rows = this->rows() + more;
  row_customer_.reserve(rows);
  row_date_.reserve(rows);
  row_amount_.reserve(rows);
  if (!options_.segment_cols.empty()) row_segment_.reserve(rows);
}

// The source index and line of row i.
std::pair<size_t, unsigned> data_set_builder::place_of(
    std::uint32_t row) const {
  const auto k = std::upper_bound(source_first_row_.begin(),
                                  source_first_row_.end(), row) -
                 source_first_row_.begin() - 1;
  return {size_t(k), row_line_.line(row)};
}

// An error about the MRR of row i, located there.
InputError data_set_builder::row_error(std::uint32_t row,
                                       std::string what) const {
  const auto [source, line] = place_of(row);
  return InputError(std::move(what), sources_[source], line,
                    mrr_names_[source]);
}

void data_set_builder::negative_total(std::uint32_t customer,
                                      std::uint32_t first_row, money total,
                                      day_number d) {
  InputError error = row_error(
      first_row,
      fmt::format("customer '{}' has a negative total MRR ({}) on {}",
                  display_name(customer), format_money(total), format_date(d)));
  if (!options_.on_data_error) throw error;
  options_.on_data_error(error);
}

std::uint32_t data_set_builder::segment_number(const csv_record& record,
                                               const column_map& columns) {
  if (columns.segments.empty()) return 0;
  if (columns.segments.size() == 1) {  // the common case, without copies
    const std::string_view value = record.fields[columns.segments[0]];
    for (const auto& [seen, id] : recent_segments_) {
      if (seen[0] == value) return id;
    }
    return new_segment_number(&value);
  }
  segment_values_.clear();
  for (size_t k : columns.segments) segment_values_.push_back(record.fields[k]);
  return segment_number(segment_values_.data());
}

// values: one per segment column.
std::uint32_t data_set_builder::segment_number(const std::string_view* values) {
  // Segment columns hold few values (plans, regions): the first few
  // combinations seen are compared field by field before any label is built.
  for (const auto& [seen, id] : recent_segments_) {
    bool same = true;
    for (size_t k = 0; same && k < seen.size(); ++k)
      same = values[k] == seen[k];
    if (same) return id;
  }
  return new_segment_number(values);
}

// values' number, not among the recent ones; the first 16 become recent.
std::uint32_t data_set_builder::new_segment_number(
    const std::string_view* values) {
  const std::uint32_t id = segment_id(values);
  if (recent_segments_.size() < 16) {
    recent_segments_.emplace_back(
        std::vector<std::string>(values, values + options_.segment_cols.size()),
        id);
  }
  return id;
}

std::uint32_t data_set_builder::segment_id(const std::string_view* values) {
  label_.clear();
  for (size_t k = 0; k < options_.segment_cols.size(); ++k) {
    if (k) label_ += kSegmentJoin;
    label_ += values[k].empty() ? std::string_view(kBlankSegment) : values[k];
  }
  auto it = segment_ids_.find(std::string_view(label_));
  if (it != segment_ids_.end()) return it->second;
  const auto n = std::uint32_t(segments_.size());
  segments_.push_back(label_);
  segment_ids_.emplace(label_, n);
  return n;
}

// A spreadsheet's total or footer line rather than a customer's row.
const char* footer_row(const csv_record& record, const column_map& columns) {
  return footer_row_message(record.fields[columns.customer],
                            record.fields[columns.date],
                            record.fields[columns.mrr]);
}

void data_set_builder::read_row(const csv_record& record,
                                const column_map& columns) {
  if (!well_formed(record, columns)) return;
  const std::optional<day_number> date = row_date(record, columns);
  if (!date) return;
  const std::optional<money> amount = row_amount(record, columns);
  if (!amount) return;
  const std::optional<customer_part> id = customer_key(record, columns);
  if (!id) return;
  push_row(*id, *date, *amount, record.line);
  if (!columns.segments.empty())
    row_segment_.push_back(segment_number(record, columns));
}

bool data_set_builder::well_formed(const csv_record& record,
                                   const column_map& columns) {
  const size_t width = columns.names.size();
  if (record.error) {
    bad_row(record.line, columns, record.error_field, record.error);
  } else if (record.fields.size() != width) {
    width_error e = row_width_error(record.fields.size(), width);
    bad_row(record.line, columns, e.field, std::move(e.message));
  } else if (const char* footer = footer_row(record, columns)) {
    bad_row(record.line, columns, columns.customer, footer);
  } else if (record.fields[columns.customer].empty()) {
    bad_row(record.line, columns, columns.customer, "empty customer id");
  } else {
    return true;
  }
  return false;
}

std::optional<day_number> data_set_builder::row_date(
    const csv_record& record, const column_map& columns) {
  const std::string_view date_text = record.fields[columns.date];
  if (date_text != last_date_text_ || !last_date_) {  // rows repeat dates
    last_date_text_.assign(date_text);
    last_date_ = parse_date(date_text, options_.date_format);
  }
  if (!last_date_) {
    const std::string what =
        date_text.empty()
            ? std::string("empty date")
            : invalid_date_message(date_text, options_.date_format);
    bad_row(record.line, columns, columns.date, what);
  }
  return last_date_;
}

std::optional<money> data_set_builder::row_amount(const csv_record& record,
                                                  const column_map& columns) {
  const char* why = nullptr;
  const std::string_view amount_text = record.fields[columns.mrr];
  currency_symbol symbol;
  const auto amount =
      parse_amount(amount_text, &why, options_.decimal_comma, &symbol);
  if (!amount) {
    bad_row(record.line, columns, columns.mrr,
            invalid_amount_message(amount_text, why, options_.decimal_comma));
    return std::nullopt;
  }
  if (ask_decimal_ && looks_like_thousands(amount_text)) {
    throw InputError(ambiguous_decimal_message(amount_text), sources_.back(),
                     record.line, columns.names[columns.mrr]);
  }
  // With a currency column, the column says the currency, not the symbols.
  if (columns.currency == kNoColumn && symbol != currency_symbol::none &&
      symbol != currency_ && !accept_symbol(symbol, record, columns)) {
    return std::nullopt;
  }
  return amount;
}

bool data_set_builder::accept_symbol(currency_symbol symbol,
                                     const csv_record& record,
                                     const column_map& columns) {
  if (currency_ == currency_symbol::none) {  // the first: it sets the currency
    currency_ = symbol;
    currency_source_ = sources_.back();
    currency_line_ = record.line;
    return true;
  }
  if (keep_skipped_ && !currency_inherited_) part_currency_error_ = true;
  bad_row(record.line, columns, columns.mrr,
          fmt::format("mixed currencies: '{}' here, '{}' at {}:{}; "
                      "convert to one first",
                      symbol_text(symbol), symbol_text(currency_),
                      currency_source_, currency_line_));
  return false;
}

void data_set_builder::push_row(const customer_part& part, day_number date,
                                money amount, unsigned line) {
  if (row_customer_.size() == UINT32_MAX) {
    throw InputError("more than 4,294,967,295 rows", sources_.back(), line);
  }
  row_customer_.push_back(
      predictor_.lookup(part.id, part.currency, date, customers_));
  row_date_.push_back(date_number(date, line));
  row_line_.add(std::uint32_t(row_amount_.size()), line);
  row_amount_.push_back(amount);
}

void data_set_builder::add_row(std::string_view id, std::string_view code,
                               day_number date, money amount,
                               const std::string_view* segment_values,
                               unsigned line) {
  if (!tails_.empty()) join_tails();  // rows stay in order
  customer_part part{options_.parents ? options_.parents->top(id) : id};
  if (saw_currency_column_) {
    if (const auto known = known_part(id, code)) {
      part = *known;
    } else {
      part = part_of(id, code, line);
      remember_part(code, part);
    }
  }
  push_row(part, date, amount, line);
  if (!options_.segment_cols.empty())
    row_segment_.push_back(segment_number(segment_values));
}

std::optional<data_set_builder::customer_part> data_set_builder::customer_key(
    const csv_record& record, const column_map& columns) {
  const std::string_view id = record.fields[columns.customer];
  if (columns.currency == kNoColumn) {
    return customer_part{options_.parents ? options_.parents->top(id) : id};
  }
  const std::string_view code = record.fields[columns.currency];
  if (code.empty()) return part_of(id, code, record.line);
  if (const auto known = known_part(id, code)) return *known;
  const auto parsed = parse_currency_code(code);
  if (!parsed) {
    bad_row(
        record.line, columns, columns.currency,
        fmt::format("invalid currency '{}': not a three-letter code like USD",
                    code));
    return std::nullopt;
  }
  const customer_part part = part_of(id, *parsed, record.line);
  remember_part(code, part);
  return part;
}

void data_set_builder::remember_part(std::string_view code,
                                     const customer_part& part) {
  const auto key = packed_code(code);
  if (key && code_parts_.size() < 8)
    code_parts_.emplace_back(*key, part.currency);
}

data_set_builder::customer_part data_set_builder::part_of(std::string_view id,
                                                          std::string_view code,
                                                          unsigned line) {
  if (options_.parents) id = options_.parents->top(id);
  note_currency(code, line);
  if (code.empty()) return customer_part{id};
  if (reporting_.empty() && options_.reporting_currency_from_data)
    reporting_.assign(code);
  if (code == reporting_)
    return customer_part{id};  // summed with the blank cells
  return customer_part{id, currency_number(code, line)};
}

std::uint16_t data_set_builder::currency_number(std::string_view code,
                                                unsigned line) {
  for (size_t k = 1; k < part_currencies_.size(); ++k) {
    if (part_currencies_[k] == code) return std::uint16_t(k);
  }
  if (part_currencies_.size() > UINT16_MAX) {
    throw InputError("more than 65,535 currencies", sources_.back(), line);
  }
  part_currencies_.emplace_back(code);
  return std::uint16_t(part_currencies_.size() - 1);
}

std::string data_set_builder::display_name(std::uint32_t customer) const {
  const std::string_view id = customers_.name(customer);
  const std::uint16_t k = customers_.currency(customer);
  return k == 0 ? std::string(id)
                : fmt::format("{} ({})", id, part_currencies_[k]);
}

void data_set_builder::note_currency(std::string_view code, unsigned line) {
  for (const auto& seen : currencies_seen_) {
    if (seen.code == code) return;
  }
  currencies_seen_.push_back({std::string(code), sources_.back(), line});
}

// Records one (customer, date) group's data-quality facts in options_.stats:
// `rows` are the group's row indexes in read order.
void data_set_builder::note_group(std::uint32_t customer,
                                  const std::uint32_t* rows,
                                  const money_column& amount, size_t g,
                                  size_t n, std::uint16_t date) {
  load_stats& s = *options_.stats;
  const auto place = [&](std::uint32_t r) {
    const auto [source, line] = place_of(r);
    return load_stats::place{sources_[source], line};
  };
  for (size_t k = 0; k < n; ++k) {
    const money a = amount[g + k];
    if (a.is_zero() && s.zero_rows++ < load_stats::kExamples) {
      s.zero_examples.push_back(place(rows[k]));
    }
    if (a < money()) ++s.negative_rows;  // fine while the total stays >= 0
  }
  if (n > 1 && s.summed_pairs++ < load_stats::kExamples) {
    load_stats::summed_pair pair{
        display_name(customer), date_of_rank_[date], {}};
    for (size_t k = 0; k < n && pair.rows.size() < 5; ++k)
      pair.rows.push_back(place(rows[k]));
    s.summed_examples.push_back(std::move(pair));
  }
  ++s.customers_with_rows[date];
  first_row_[date] = std::min(first_row_[date], rows[0]);
}

void data_set_builder::no_rows() const {
  std::string what =
      skipped_ ? "no valid data rows (every row was skipped)" : "no data rows";
  if (sources_.size() == 1) throw InputError(what, sources_[0]);
  std::string names;
  for (const auto& s : sources_) names += (names.empty() ? "" : ", ") + s;
  throw InputError(what + " in " + names);
}

void data_set_builder::check_segment_count() const {
  if (segments_.size() <= options_.max_segments) return;
  std::string columns;
  for (const auto& c : options_.segment_cols)
    columns += (columns.empty() ? "" : " ") + c;
  throw InputError(fmt::format(
      "--segment-by {}: {} distinct values, more than --max-segments {}; "
      "segment by a column with fewer values, or raise --max-segments",
      columns, segments_.size(), options_.max_segments));
}

std::uint32_t data_set_builder::first_row_with_date(
    std::uint16_t number) const {
  size_t base = row_date_.first_row_of(number);
  if (base < row_date_.size()) return std::uint32_t(base);
  for (const tail& t : tails_) {
    for (std::uint16_t d = 0; d < t.date_map.size(); ++d) {
      if (t.date_map[d] == number && t.date.first_row_of(d) < t.date.size())
        return std::uint32_t(base + t.date.first_row_of(d));
    }
    base += t.date.size();
  }
  return std::uint32_t(base);
}

// Every date outside the main run of dates (main_date_run, weighted by
// rows) is an error naming its first row.
void data_set_builder::check_outlier_dates(
    const std::vector<day_number>& sorted) const {
  bool far = false;
  for (size_t k = 1; k < sorted.size(); ++k)
    far = far || sorted[k] - sorted[k - 1] > kOutlierDays;
  if (!far) return;
  std::vector<std::pair<day_number, std::uint64_t>> weighted;
  for (const day_number d : sorted) weighted.emplace_back(d, 0);
  std::vector<std::uint64_t> rows_of(dates_seen_.size(), 0);
  visit_rows(
      0, rows(),
      [&](size_t, std::uint32_t, std::uint16_t number, const money_column&,
          size_t, std::uint32_t) { ++rows_of[number]; });
  for (size_t number = 0; number < rows_of.size(); ++number) {
    const auto at =
        std::lower_bound(sorted.begin(), sorted.end(), dates_seen_[number]);
    weighted[size_t(at - sorted.begin())].second += rows_of[number];
  }
  const date_run run = main_date_run(weighted);
  size_t reported = 0;
  for (size_t k = 0; k < sorted.size() && reported < load_stats::kExamples;
       ++k) {
    if (run.contains(sorted[k])) continue;
    const auto number = std::uint16_t(
        std::find(dates_seen_.begin(), dates_seen_.end(), sorted[k]) -
        dates_seen_.begin());
    const auto [source, line] = place_of(first_row_with_date(number));
    InputError error(outlier_date_message(sorted[k], run), sources_[source],
                     line, options_.date_col);
    if (!options_.on_data_error) throw error;
    options_.on_data_error(error);
    ++reported;
  }
}

// Folds the rows into the store: a counting sort moves each row's date,
// amount and index into its customer's group (in read order, so each group's
// first row stays first), groups not already in date order are sorted, then
// one sequential pass sums each (customer, date) in place.
// The rows grouped by customer (finish()): each customer's rows are
// [start[c], start[c+1]) of date, amount and (with keep_rows_) row; thread t
// takes customers [bounds[t], bounds[t+1]).
struct data_set_builder::grouped_rows {
  std::vector<std::uint16_t> date;  // ranks in store.dates
  money_column amount;
  std::vector<std::uint32_t> row;  // read positions, when kept
  segment_column segment;          // with segment columns
  std::vector<std::uint32_t> start;
  std::vector<std::uint32_t> bounds;
  unsigned threads = 1;
};

snapshot_store data_set_builder::finish() {
  const size_t n = rows();
  if (n == 0) no_rows();
  // What only reading needed: 14 MB on 480k customers.
  predictor_.reset();
  customers_.drop_lookup();
  snapshot_store store;
  store.rows_read = n;
  store.rows_skipped = skipped_;
  store.empty_rows = empty_rows_;
  if (empty_rows_ > 0)
    store.first_empty_row =
        fmt::format("{}:{}", first_empty_source_, first_empty_line_);
  const std::vector<std::uint16_t> rank = sort_dates(store);
  check_segment_count();
  if (!options_.allow_date_range) check_outlier_dates(store.dates);

  grouped_rows g;
  // Validate's statistics and callbacks see groups in order: one thread then.
  g.threads =
      n < options_.parallel_rows || options_.stats || options_.on_data_error
          ? 1
          : 2;
  group_by_customer(rank, g);
  g.bounds = {0};  // customer ranges of about equal rows
  for (unsigned t = 1; t < g.threads; ++t) {
    g.bounds.push_back(
        std::uint32_t(std::lower_bound(g.start.begin(), g.start.end(),
                                       std::uint32_t(n * t / g.threads)) -
                      g.start.begin()));
  }
  g.bounds.push_back(customers_.size());
  check_groups(g, store);
  write_entries(g, store);
  store.customers = customers_.names();
  store.customer_currency = customers_.currencies();
  store.currency_names = std::move(part_currencies_);
  store.segments = std::move(segments_);
  store.currencies_seen = std::move(currencies_seen_);
  return store;
}

// store.dates: the snapshot dates in order; returns each first-seen date
// number's rank among them.
std::vector<std::uint16_t> data_set_builder::sort_dates(snapshot_store& store) {
  store.dates = dates_seen_;
  std::sort(store.dates.begin(), store.dates.end());
  std::vector<std::uint16_t> rank(dates_seen_.size());
  for (size_t k = 0; k < dates_seen_.size(); ++k) {
    rank[k] =
        std::uint16_t(std::lower_bound(store.dates.begin(), store.dates.end(),
                                       dates_seen_[k]) -
                      store.dates.begin());
  }
  date_of_rank_ = store.dates;
  return rank;
}

// The first pass: puts each customer's rows in (date, read) order, checks
// the totals, picks the segments and counts the entries (store.offsets).
// Frees the read positions: the second pass does without them.
void data_set_builder::check_groups(grouped_rows& g, snapshot_store& store) {
  if (options_.stats) {
    options_.stats->files = sources_;
    options_.stats->customers_with_rows.assign(store.dates.size(), 0);
    first_row_.assign(store.dates.size(), UINT32_MAX);
  }
  store.offsets.assign(g.start.size(), 0);
  std::vector<fold_result> folded(g.threads);
  run_on(g.threads, [&](unsigned t) {
    folded[t] = fold_range(g.bounds[t], g.bounds[t + 1], g, store);
  });
  bool wide = false;
  for (const fold_result& f : folded) {
    if (f.needs_rows) throw needs_rows();
    if (f.error) throw *f.error;
    wide = wide || f.wide;
  }
  if (wide) g.amount.widen();  // a total needs it
  if (options_.stats) {
    for (const std::uint32_t first : first_row_) {
      const auto [source, line] = place_of(first);
      options_.stats->first_row_of_date.push_back({sources_[source], line});
    }
  }
  std::vector<std::uint32_t>().swap(g.row);
  for (size_t c = 0; c + 1 < store.offsets.size(); ++c)
    store.offsets[c + 1] += store.offsets[c];
  for (const fold_result& f : folded) {
    store.entry_segment_amount.insert(store.entry_segment_amount.end(),
                                      f.segment_amounts.begin(),
                                      f.segment_amounts.end());
    store.entry_segment_row.insert(store.entry_segment_row.end(),
                                   f.segment_rows.begin(),
                                   f.segment_rows.end());
  }
}

// The second pass: each (customer, date) group becomes one entry, written in
// place from its thread's range start; then the ranges move together and
// become the store's entries.
void data_set_builder::write_entries(grouped_rows& g, snapshot_store& store) {
  std::vector<size_t> ends(g.threads);
  run_on(g.threads, [&](unsigned t) {
    ends[t] = write_range(g.bounds[t], g.bounds[t + 1], g);
  });
  size_t out = 0;
  for (unsigned t = 0; t < g.threads; ++t) {
    const size_t from = g.start[g.bounds[t]], count = ends[t] - from;
    std::memmove(g.date.data() + out, g.date.data() + from,
                 count * sizeof g.date[0]);
    g.amount.move_rows(out, from, count);
    if (!g.segment.empty()) g.segment.move_rows(out, from, count);
    out += count;
  }
  g.date.resize(out);
  if (!g.segment.empty()) {
    g.segment.truncate(out);
    store.entry_segment.swap(g.segment);
  }
  store.entry_date = std::move(g.date);
  g.amount.truncate(out);
  store.entry_mrr.swap(g.amount);
}

// A counting sort of the rows by customer: each row's date (as its rank),
// amount, segment and (when kept) read position move to its customer's
// group, in read order. The read-order columns are given back as they are
// read and freed at the end; g.start is where each group starts.
namespace {

// Thread t of `threads` takes rows [first, last) of n.
std::pair<size_t, size_t> share_of(size_t n, unsigned t, unsigned threads) {
  return {n * t / threads, n * (t + 1) / threads};
}

}  // namespace

void data_set_builder::group_by_customer(const std::vector<std::uint16_t>& rank,
                                         grouped_rows& g) {
  // Thread t takes a share of the rows and places them after the earlier
  // threads' rows of the same customer, so read order is kept.
  std::vector<std::vector<std::uint32_t>> next = count_by_customer(g.threads);
  g.start.assign(size_t(customers_.size()) + 1, 0);
  std::uint32_t position = 0;
  for (std::uint32_t c = 0; c < customers_.size(); ++c) {
    g.start[c] = position;
    for (auto& counts : next) {  // from counts to first positions
      const std::uint32_t count = counts[c];
      counts[c] = position;
      position += count;
    }
  }
  g.start[customers_.size()] = position;
  place_rows(rank, next, g);
  std::vector<std::uint32_t>().swap(row_customer_);
  row_segment_.release();
  row_date_.release();
  row_amount_.release();
  tails_.clear();
}

// Per thread, the number of rows of each customer in its share.
std::vector<std::vector<std::uint32_t>> data_set_builder::count_by_customer(
    unsigned threads) const {
  const size_t n = rows();
  std::vector<std::vector<std::uint32_t>> counts(
      threads, std::vector<std::uint32_t>(customers_.size(), 0));
  run_on(threads, [&](unsigned t) {
    const auto [first, last] = share_of(n, t, threads);
    std::uint32_t* const count = counts[t].data();
    visit_rows(first, last,
               [&](size_t, std::uint32_t c, std::uint16_t, const money_column&,
                   size_t, std::uint32_t) { ++count[c]; });
  });
  return counts;
}

// Each thread's share of rows into g's columns, customer c's next row at
// next[t][c]; the rows are released as they are placed.
void data_set_builder::place_rows(const std::vector<std::uint16_t>& rank,
                                  std::vector<std::vector<std::uint32_t>>& next,
                                  grouped_rows& g) {
  const size_t n = rows();
  const unsigned threads = g.threads;
  g.date.resize(n);
  bool narrow = row_amount_.narrow();
  for (const tail& t : tails_) narrow = narrow && t.amount.narrow();
  g.amount.resize(n, narrow);
  const bool segmented = !options_.segment_cols.empty();
  // Segments with a currency column keep the segment row's position
  // (snapshot_store::entry_segment_row).
  const bool rows = keep_rows_ || (segmented && saw_currency_column_);
  if (rows) g.row.resize(n);
  // Every segment is numbered by now: 16 bits a row while they fit.
  if (segmented) g.segment.resize(n, segments_.size() <= 65536);
  constexpr size_t kChunk = size_t(1) << 20;  // rows between releases
  run_on(threads, [&](unsigned t) {
    const auto [first, last] = share_of(n, t, threads);
    std::uint32_t* const at = next[t].data();
    for (size_t chunk = first; chunk < last; chunk += kChunk) {
      const size_t upto = std::min(last, chunk + kChunk);
      visit_rows(
          chunk, upto,
          [&](size_t i, std::uint32_t c, std::uint16_t d,
              const money_column& amount, size_t j, std::uint32_t segment) {
            const std::uint32_t p = at[c]++;
            g.date[p] = rank[d];
            g.amount.copy_row(p, amount, j);
            if (rows) g.row[p] = std::uint32_t(i);
            if (segmented) g.segment.set(p, segment);
          });
      release_rows(first, upto);
    }
  });
}

// Puts one customer's rows [begin, end) in (date, read) order: by date and
// read position, or without positions by a stable sort (the rows are in read
// order). Rows usually arrive in date order already, which is checked first.
void data_set_builder::sort_group(grouped_rows& g, size_t begin, size_t end) {
  bool sorted = true;
  for (size_t k = begin + 1; k < end && sorted; ++k)
    sorted = g.date[k - 1] <= g.date[k];
  if (sorted) return;
  struct item {
    std::uint16_t date;
    std::uint32_t row;
    money amount;
    std::uint32_t segment;
  };
  std::vector<item> items;
  items.reserve(end - begin);
  for (size_t k = begin; k < end; ++k) {
    items.push_back({g.date[k], g.row.empty() ? std::uint32_t(k) : g.row[k],
                     g.amount[k], g.segment.empty() ? 0 : g.segment[k]});
  }
  std::sort(items.begin(), items.end(), [](const item& a, const item& b) {
    return a.date != b.date ? a.date < b.date : a.row < b.row;
  });
  for (size_t k = begin; k < end; ++k) {
    const item& it = items[k - begin];
    g.date[k] = it.date;
    if (!g.row.empty()) g.row[k] = it.row;
    g.amount.set(k, it.amount);
    if (!g.segment.empty()) g.segment.set(k, it.segment);
  }
}

// The first pass over customers [first, last): sorts each one's rows, sums
// each (customer, date) group to check it, notes the statistics, and counts
// the entries (groups with a total above 0) in store.offsets. The first error
// stops the range and is returned.
data_set_builder::fold_result data_set_builder::fold_range(
    std::uint32_t first, std::uint32_t last, grouped_rows& rows,
    snapshot_store& store) {
  fold_result result;
  const money_column& amount = rows.amount;
  const std::vector<std::uint16_t>& date = rows.date;
  const std::vector<std::uint32_t>& row = rows.row;
  const bool narrow = amount.narrow();
  const bool segmented = !rows.segment.empty();
  try {
    for (std::uint32_t c = first; c < last; ++c) {
      const size_t begin = rows.start[c], end = rows.start[c + 1];
      sort_group(rows, begin, end);
      for (size_t g = begin; g != end;) {
        const std::uint16_t d = date[g];
        size_t h = g;
        money total;
        size_t largest = g;  // its segment wins (SPEC §4); ties: the first read
        for (; h != end && date[h] == d; ++h) {
          const money a = amount[h];
          if (a > amount[largest]) largest = h;
          if (!total.add(a)) {
            if (row.empty()) throw needs_rows();  // the error needs the line
            throw row_error(
                row[h],
                fmt::format("the total MRR of customer '{}' on {} is too large",
                            display_name(c), format_date(store.dates[d])));
          }
        }
        if (options_.stats) note_group(c, row.data() + g, amount, g, h - g, d);
        if (total < money()) {
          if (row.empty()) throw needs_rows();  // the error needs the line
          negative_total(c, row[g], total, store.dates[d]);
        }
        if (total > money()) {
          if (narrow && !money_column::fits(total)) result.wide = true;
          if (segmented && saw_currency_column_) {
            result.segment_amounts.push_back(amount[largest]);
            result.segment_rows.push_back(row[largest]);
          }
          ++store.offsets[c + 1];
        }
        g = h;
      }
    }
  } catch (const InputError& e) {
    result.error = e;
  } catch (const needs_rows&) {
    result.needs_rows = true;
  }
  return result;
}

// The second pass over customers [first, last), their rows sorted and
// checked: each group's total and date replace its rows, in place from the
// range's own start. Returns one past the range's last entry.
size_t data_set_builder::write_range(std::uint32_t first, std::uint32_t last,
                                     grouped_rows& rows) {
  std::vector<std::uint16_t>& date = rows.date;
  money_column& amount = rows.amount;
  segment_column& segment = rows.segment;
  const bool segmented = !segment.empty();
  size_t out = rows.start[first];
  for (std::uint32_t c = first; c < last; ++c) {
    const size_t end = rows.start[c + 1];
    for (size_t g = rows.start[c]; g != end;) {
      const std::uint16_t d = date[g];
      money total;
      size_t largest = g;  // its segment wins (SPEC §4); ties: the first read
      for (; g != end && date[g] == d; ++g) {
        const money a = amount[g];
        if (segmented && a > amount[largest]) largest = g;
        check_invariant(total.add(a),
                        "a total the first pass checked does not fit");
      }
      if (total > money()) {
        if (segmented) segment.set(out, segment[largest]);  // out <= largest
        date[out] = d;
        amount.set(out++, total);
      }
    }
  }
  return out;
}

template <typename Source>
snapshot_store load_all(const std::vector<Source>& sources,
                        const load_options& options,
                        void (*read_one)(data_set_builder&, const Source&,
                                         const load_options&),
                        bool rereadable) {
  try {
    data_set_builder builder(options, !rereadable);
    for (const auto& s : sources) read_one(builder, s, options);
    return builder.finish();
  } catch (const needs_rows&) {
    // A sum failed: read again, keeping each row's position for the error.
    // The skipped rows were reported the first time.
    load_options again = options;
    again.on_skipped_row = nullptr;
    data_set_builder builder(again, true);
    for (const auto& s : sources) read_one(builder, s, again);
    return builder.finish();
  }
}

// Where to cut a file in two: just after a line end near the middle, or 0.
std::uint64_t middle_line_start(const std::string& path, std::uint64_t size) {
  std::string window(1 << 20, '\0');
  const auto n = read_range(path, size / 2, window.data(), window.size());
  const auto newline = window.find('\n');
  if (newline >= n) return 0;
  const std::uint64_t split = size / 2 + newline + 1;
  return split < size ? split : 0;
}

// Reads a large plain file as two parts, the second on another thread: about
// half the time of one pass (measured in docs/performance.md). The parts are
// joined exactly as one pass would have read them: rows, lines and skipped
// rows in file order. Returns false, having changed nothing, when that cannot
// be guaranteed (a quoted field across the cut, or the parts' first currency
// symbols differ), and the file must be read in one pass.
bool read_in_parts(data_set_builder& builder, const std::string& path,
                   const std::string& name, std::uint64_t size,
                   const load_options& options) {
  const std::uint64_t split = middle_line_start(path, size);
  if (split == 0) return false;
  data_set_builder first(options), second(options);
  first.begin_part(name, builder);
  first.expect_bytes(
      size);  // its columns become the builder's when it is the first file
  second.expect_bytes(size - split);
  column_map columns;
  unsigned first_lines = 0;
  std::optional<InputError> second_error;
  std::exception_ptr second_failure;
  {
    line_reader lines(name, open_text_range(path, name, 0, split));
    csv_record_reader reader(lines, options.delimiter, name,
                             /*cut_at_end=*/true);
    columns = first.read_header(reader, name);
    if (columns.names.empty()) return false;
    second.begin_part(name, builder);
    const char delimiter = reader.delimiter();
    std::thread worker([&] {
      try {
        line_reader rest(name, open_text_range(path, name, split, size));
        csv_record_reader rest_reader(rest, delimiter, name);
        second.read_rows(rest_reader, columns);
      } catch (const InputError& e) {
        second_error = e;  // the first bad row, when rows are not skipped
      } catch (...) {
        second_failure = std::current_exception();
      }
    });
    try {
      first.read_rows(reader, columns);
    } catch (...) {
      worker.join();
      throw;
    }
    worker.join();
    first_lines = lines.get_file_line();
  }
  const bool currencies_differ = builder.currency() == currency_symbol::none &&
                                 first.currency() != currency_symbol::none &&
                                 second.currency() != currency_symbol::none &&
                                 first.currency() != second.currency();
  if (first.ended_in_quotes() || currencies_differ ||
      second.part_currency_error())
    return false;
  if (second_failure) std::rethrow_exception(second_failure);
  if (second_error) {
    throw second_error->moved_down(first_lines);
  }
  builder.begin_source(name, columns.names[columns.mrr]);
  builder.absorb(first, 0);
  builder.absorb(second, first_lines);
  return true;
}

void read_path(data_set_builder& builder, const std::string& path,
               const load_options& options) {
  const std::string name = path == "-" ? "<stdin>" : path;
  std::uint64_t size = 0;
  auto source = open_text(path, name, options.encoding, &size);
  if (size >= options.split_bytes && std::thread::hardware_concurrency() > 1) {
    source.reset();
    if (read_in_parts(builder, path, name, size, options)) return;
    source = open_text(path, name, options.encoding, &size);
  }
  builder.expect_bytes(size);
  line_reader lines(name, std::move(source));
  builder.read(name, lines);
}

void read_text(data_set_builder& builder, const named_text& text,
               const load_options& options) {
  line_reader lines(text.name,
                    text_in_memory(text.text, text.name, options.encoding));
  builder.read(text.name, lines);
}

}  // namespace

struct snapshot_rows::impl {
  impl(const load_options& o, bool keep, std::string name, bool currency)
      : options(o),
        builder(options, keep),
        source(std::move(name)),
        currency_column(currency),
        keep_positions(keep) {}
  load_options options;
  data_set_builder builder;
  std::string source;
  bool currency_column;
  bool keep_positions;
};

snapshot_rows::snapshot_rows(const load_options& options,
                             const std::string& source, bool currency_column,
                             bool keep_positions)
    : impl_(std::make_unique<impl>(options, keep_positions, source,
                                   currency_column)) {
  impl_->builder.begin_source(source, "mrr");
  if (currency_column) impl_->builder.set_currency_column();
}

snapshot_rows::~snapshot_rows() = default;

void snapshot_rows::reserve(size_t rows) { impl_->builder.expect_rows(rows); }

void snapshot_rows::add(std::string_view customer, std::string_view currency,
                        day_number date, money amount,
                        const std::string_view* segments, unsigned line) {
  impl_->builder.add_row(customer, currency, date, amount, segments, line);
}

void snapshot_rows::add_in_two(
    const std::function<void(snapshot_rows& part, unsigned share)>& fill) {
  const impl& me = *impl_;
  snapshot_rows first(me.options, me.source, me.currency_column,
                      me.keep_positions),
      second(me.options, me.source, me.currency_column, me.keep_positions);
  std::exception_ptr second_failure;
  std::thread worker([&] {
    try {
      fill(second, 1);
    } catch (...) {
      second_failure = std::current_exception();
    }
  });
  try {
    fill(first, 0);
  } catch (...) {
    worker.join();
    throw;
  }
  worker.join();
  if (second_failure) std::rethrow_exception(second_failure);
  // Each share's lines are its own rows' lines already: no offset.
  impl_->builder.absorb(first.impl_->builder, 0);
  impl_->builder.absorb(second.impl_->builder, 0);
  // The second share's index and columns were its thread's heap: freed,
  // they stay resident (glibc keeps a thread's arena) unless trimmed, and the
  // sums would then peak ~10 MB higher than the same rows read from a file.
  second.impl_.reset();
  malloc_trim(0);
}

bool snapshot_rows::keeps_positions() const {
  return impl_->builder.keeps_rows();
}

std::optional<snapshot_store> snapshot_rows::finish() {
  try {
    return impl_->builder.finish();
  } catch (const needs_rows&) {
    return std::nullopt;
  }
}

std::string snapshot_store::display_name(std::uint32_t c) const {
  const std::string& code = currency_of(c);
  return code.empty() ? customers[c]
                      : fmt::format("{} ({})", customers[c], code);
}

std::vector<const snapshot_store::currency_seen*> currency_codes(
    const snapshot_store& store) {
  std::vector<const snapshot_store::currency_seen*> codes;
  for (const auto& seen : store.currencies_seen) {
    if (!seen.code.empty()) codes.push_back(&seen);
  }
  return codes;
}

money snapshot_store::mrr_at(std::uint32_t c, std::uint32_t d) const {
  const auto first = entry_date.begin() + offsets[c];
  const auto last = entry_date.begin() + offsets[c + 1];
  const auto it = std::lower_bound(first, last, d);
  return it != last && *it == d ? entry_mrr[size_t(it - entry_date.begin())]
                                : money();
}

bool can_read_twice(const std::vector<std::string>& paths) {
  return std::all_of(paths.begin(), paths.end(), [](const std::string& path) {
    struct stat st;
    return path != "-" && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  });
}

snapshot_store load_files(const std::vector<std::string>& paths,
                          const load_options& options) {
  require_distinct_files(paths);
  return load_all<std::string>(paths, options, read_path,
                               can_read_twice(paths));
}

snapshot_store load_texts(const std::vector<named_text>& texts,
                          const load_options& options) {
  return load_all<named_text>(texts, options, read_text, true);
}

snapshot_store load_text(named_text&& text, const load_options& options) {
  data_set_builder builder(options);
  builder.expect_bytes(text.text.size());
  read_text(builder, text, options);
  std::string().swap(text.text);
  return builder.finish();
}

}  // namespace ndr
