#include "ndr/load.h"

#include <fmt/format.h>
#include <libfccp/csv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "byte_source.h"
#include "csv_record.h"

namespace ndr {
namespace {

struct raw_row {
  std::uint32_t customer;
  day_number date;
  money amount;
  std::uint32_t source;   // index into the data set's source names
  std::uint32_t line;
  std::uint32_t segment;  // index into the segment labels (0 without segments)
};

constexpr const char* kBlankSegment = "(blank)";
constexpr const char* kSegmentJoin = " / ";

struct string_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string join_columns(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) out += (out.empty() ? "" : ", ") + h;
  return out;
}

// The positions of the three columns the report needs in one file's header.
struct column_map {
  size_t customer = 0, date = 0, mrr = 0;
  std::vector<size_t> segments;
  std::vector<std::string> names;  // the header as written (trimmed)
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  return out;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The header column most likely meant for `wanted`, to suggest (never to use:
// an "amount" column may hold annual prices). Empty when nothing is close.
std::string closest_column(const std::vector<std::string>& header, const std::string& wanted,
                           const char* option) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kSynonyms{
      {"--customer-col", {"customer", "customer id", "account", "account_id", "client", "client_id",
                          "subscriber", "user_id", "company"}},
      {"--date-col", {"month", "snapshot_date", "snapshot", "period", "as_of", "as_of_date", "day",
                      "date_month", "month_end"}},
      {"--mrr-col", {"amount", "mrr_amount", "monthly_amount", "revenue", "value", "recurring_revenue",
                     "monthly_recurring_revenue"}},
  };
  const std::string w = lower(wanted);
  std::string best;
  size_t best_distance = std::max<size_t>(2, w.size() / 3) + 1;
  for (const auto& h : header) {
    const std::string l = lower(h);
    size_t d = edit_distance(l, w);
    if (l.size() >= 3 && (l.find(w) != std::string::npos || w.find(l) != std::string::npos)) {
      d = std::min<size_t>(d, 1);
    }
    if (d < best_distance) {
      best = h;
      best_distance = d;
    }
  }
  if (!best.empty()) return best;
  for (const auto& [opt, names] : kSynonyms) {
    if (opt != option) continue;
    for (const auto& name : names) {
      for (const auto& h : header) {
        if (lower(h) == name) return h;
      }
    }
  }
  return {};
}

size_t find_column(const std::vector<std::string>& header, const std::string& wanted,
                   const std::string& source, const char* option) {
  size_t found = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    if (!iequals(header[i], wanted)) continue;
    if (found != header.size()) {
      throw InputError(fmt::format("columns '{}' and '{}' both match '{}'; rename one",
                                   header[found], header[i], wanted),
                       source, 1);
    }
    found = i;
  }
  if (found == header.size()) {
    const std::string like = closest_column(header, wanted, option);
    const std::string advice =
        like.empty() ? fmt::format("name the column to use with {}", option)
                     : fmt::format("if '{}' is the column, add {} {}", like, option,
                                   like.find_first_of(" \t\"'") == std::string::npos
                                       ? like
                                       : "'" + like + "'");
    throw InputError(
        fmt::format("missing column '{}' (the header has: {}); {}", wanted, join_columns(header), advice),
        source, 1);
  }
  return found;
}

// Accumulates the rows of every file, then folds them into a snapshot_store.
class data_set_builder {
 public:
  explicit data_set_builder(const load_options& options) : options_(options) {}

  void read(const std::string& name, io::LineReader& lines);
  snapshot_store finish();

 private:
  column_map read_header(csv_record_reader& reader, const std::string& name);
  void read_row(const csv_record& record, const column_map& columns);
  void bad_row(unsigned line, const column_map& columns, size_t field, std::string what);
  std::uint32_t customer_number(std::string_view id);
  std::uint32_t segment_number(const csv_record& record, const column_map& columns);
  void note_group(const raw_row* begin, const raw_row* end, const std::vector<day_number>& dates);

  const load_options& options_;
  std::vector<std::string> sources_;
  std::vector<std::string> mrr_names_;  // per source: the MRR column as its header spells it
  std::vector<std::string> customers_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> ids_;
  std::vector<std::string> segments_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> segment_ids_;
  std::string label_;  // scratch for building a segment label
  std::vector<std::pair<std::uint32_t, std::uint32_t>> first_row_;  // stats: (source, line) per date
  std::vector<raw_row> rows_;
  std::uint64_t skipped_ = 0;
  currency_symbol currency_ = currency_symbol::none;  // the first symbol seen, and where
  std::string currency_where_;
  std::string last_date_text_;  // one-entry cache: exports repeat a date many times
  std::optional<day_number> last_date_;
};

column_map data_set_builder::read_header(csv_record_reader& reader, const std::string& name) {
  csv_record header;
  if (!reader.next(header)) return {};
  if (header.error) throw InputError(header.error, name, header.line);
  column_map map;
  for (auto f : header.fields) map.names.emplace_back(f);
  map.customer = find_column(map.names, options_.customer_col, name, "--customer-col");
  map.date = find_column(map.names, options_.date_col, name, "--date-col");
  map.mrr = find_column(map.names, options_.mrr_col, name, "--mrr-col");
  mrr_names_.back() = map.names[map.mrr];
  for (const auto& col : options_.segment_cols) {
    map.segments.push_back(find_column(map.names, col, name, "--segment-by"));
  }
  return map;
}

void data_set_builder::read(const std::string& name, io::LineReader& lines) {
  sources_.push_back(name);
  mrr_names_.push_back(options_.mrr_col);
  csv_record_reader reader(lines, options_.delimiter, name);
  try {
    const column_map columns = read_header(reader, name);
    if (columns.names.empty()) return;  // an empty file: no header, no rows
    csv_record record;
    while (reader.next(record)) {
      if (record.blank) continue;  // an empty line carries no data
      read_row(record, columns);
    }
  } catch (const io::error::line_length_limit_exceeded&) {
    throw InputError("line too long (over 16 MiB); is this a CSV file?", name,
                     lines.get_file_line());
  }
}

void data_set_builder::bad_row(unsigned line, const column_map& columns, size_t field,
                               std::string what) {
  std::string column = field < columns.names.size() ? columns.names[field] : std::string();
  InputError error(what, sources_.back(), line, column);
  if (!options_.skip_bad_rows) throw error;
  ++skipped_;
  if (options_.on_skipped_row) options_.on_skipped_row(error);
}

std::uint32_t data_set_builder::customer_number(std::string_view id) {
  auto it = ids_.find(id);
  if (it != ids_.end()) return it->second;
  const auto n = std::uint32_t(customers_.size());
  customers_.emplace_back(id);
  ids_.emplace(customers_.back(), n);
  return n;
}

std::uint32_t data_set_builder::segment_number(const csv_record& record,
                                               const column_map& columns) {
  if (columns.segments.empty()) return 0;
  label_.clear();
  for (size_t k = 0; k < columns.segments.size(); ++k) {
    const std::string_view value = record.fields[columns.segments[k]];
    if (k) label_ += kSegmentJoin;
    label_ += value.empty() ? std::string_view(kBlankSegment) : value;
  }
  auto it = segment_ids_.find(std::string_view(label_));
  if (it != segment_ids_.end()) return it->second;
  const auto n = std::uint32_t(segments_.size());
  segments_.push_back(label_);
  segment_ids_.emplace(label_, n);
  return n;
}

void data_set_builder::read_row(const csv_record& record, const column_map& columns) {
  const size_t width = columns.names.size();
  if (record.error) {
    return bad_row(record.line, columns, record.error_field, record.error);
  }
  if (record.fields.size() < width) {
    return bad_row(record.line, columns, record.fields.size(),
                   fmt::format("missing field (the row has {} fields, the header {})",
                               record.fields.size(), width));
  }
  if (record.fields.size() > width) {
    return bad_row(record.line, columns, width,
                   fmt::format("the row has {} fields, the header only {}", record.fields.size(),
                               width));
  }
  const std::string_view id = record.fields[columns.customer];
  if (id.empty()) return bad_row(record.line, columns, columns.customer, "empty customer id");

  const std::string_view date_text = record.fields[columns.date];
  if (date_text != last_date_text_ || !last_date_) {
    last_date_text_.assign(date_text);
    last_date_ = parse_date(date_text, options_.date_format);
  }
  if (!last_date_) {
    const std::string what = date_text.empty()
                                 ? std::string("empty date")
                                 : fmt::format("invalid date '{}'", date_text);
    return bad_row(record.line, columns, columns.date, what);
  }
  const char* why = nullptr;
  const std::string_view amount_text = record.fields[columns.mrr];
  currency_symbol symbol;
  const auto amount = parse_money(amount_text, &why, options_.decimal_comma, &symbol);
  if (!amount) {
    const std::string what = amount_text.empty()
                                 ? std::string("empty amount")
                                 : fmt::format("invalid amount '{}': {}", amount_text, why);
    return bad_row(record.line, columns, columns.mrr, what);
  }
  if (symbol != currency_symbol::none && symbol != currency_) {
    if (currency_ != currency_symbol::none) {
      return bad_row(record.line, columns, columns.mrr,
                     fmt::format("mixed currencies: '{}' here, '{}' at {}; convert to one first",
                                 symbol_text(symbol), symbol_text(currency_), currency_where_));
    }
    currency_ = symbol;
    currency_where_ = fmt::format("{}:{}", sources_.back(), record.line);
  }
  rows_.push_back({customer_number(id), *last_date_, *amount,
                   std::uint32_t(sources_.size() - 1), record.line,
                   segment_number(record, columns)});
}

// Records one (customer, date) group's data-quality facts in options_.stats.
void data_set_builder::note_group(const raw_row* begin, const raw_row* end,
                                  const std::vector<day_number>& dates) {
  load_stats& s = *options_.stats;
  const auto place_of = [&](const raw_row& r) {
    return load_stats::place{sources_[r.source], r.line};
  };
  for (const raw_row* r = begin; r != end; ++r) {
    if (r->amount.is_zero() && s.zero_rows++ < load_stats::kExamples) {
      s.zero_examples.push_back(place_of(*r));
    }
    if (r->amount < money() && s.negative_rows++ < load_stats::kExamples) {
      s.negative_examples.push_back(place_of(*r));
    }
  }
  if (end - begin > 1 && s.summed_pairs++ < load_stats::kExamples) {
    load_stats::summed_pair pair{customers_[begin->customer], begin->date, {}};
    for (const raw_row* r = begin; r != end && pair.rows.size() < 5; ++r) {
      pair.rows.push_back(place_of(*r));
    }
    s.summed_examples.push_back(std::move(pair));
  }
  const auto d = size_t(std::lower_bound(dates.begin(), dates.end(), begin->date) - dates.begin());
  ++s.customers_with_rows[d];
  auto& first = first_row_[d];
  if (first.first == UINT32_MAX || std::make_pair(begin->source, begin->line) < first) {
    first = {begin->source, begin->line};
  }
}

snapshot_store data_set_builder::finish() {
  if (rows_.empty()) {
    std::string what = skipped_ ? "no valid data rows (every row was skipped)" : "no data rows";
    if (sources_.size() == 1) throw InputError(what, sources_[0]);
    std::string names;
    for (const auto& s : sources_) names += (names.empty() ? "" : ", ") + s;
    throw InputError(what + " in " + names);
  }
  snapshot_store store;
  store.rows_read = rows_.size();
  store.rows_skipped = skipped_;
  for (const auto& r : rows_) store.dates.push_back(r.date);
  std::sort(store.dates.begin(), store.dates.end());
  store.dates.erase(std::unique(store.dates.begin(), store.dates.end()), store.dates.end());

  // Rows arrive in read order, so a stable sort keeps each group's first row first.
  std::stable_sort(rows_.begin(), rows_.end(), [](const raw_row& a, const raw_row& b) {
    return a.customer != b.customer ? a.customer < b.customer : a.date < b.date;
  });
  store.offsets.assign(customers_.size() + 1, 0);
  if (options_.stats) {
    options_.stats->files = sources_;
    options_.stats->customers_with_rows.assign(store.dates.size(), 0);
    first_row_.assign(store.dates.size(), {UINT32_MAX, 0});
  }
  for (size_t i = 0; i < rows_.size();) {
    const raw_row& first = rows_[i];
    money total;
    const raw_row* largest = &first;  // its segment wins (SPEC §4); ties: the first read
    size_t j = i;
    for (; j < rows_.size() && rows_[j].customer == first.customer && rows_[j].date == first.date;
         ++j) {
      if (rows_[j].amount > largest->amount) largest = &rows_[j];
      if (!total.add(rows_[j].amount)) {
        throw InputError(fmt::format("the total MRR of customer '{}' on {} is too large",
                                     customers_[first.customer], format_date(first.date)),
                         sources_[rows_[j].source], rows_[j].line, mrr_names_[rows_[j].source]);
      }
    }
    if (options_.stats) note_group(rows_.data() + i, rows_.data() + j, store.dates);
    if (total < money()) {
      InputError error(fmt::format("customer '{}' has a negative total MRR ({}) on {}",
                                   customers_[first.customer], format_money(total),
                                   format_date(first.date)),
                       sources_[first.source], first.line, mrr_names_[first.source]);
      if (!options_.on_negative_total) throw error;
      options_.on_negative_total(error);
    }
    if (total > money()) {
      const auto d = std::lower_bound(store.dates.begin(), store.dates.end(), first.date);
      store.entry_date.push_back(std::uint32_t(d - store.dates.begin()));
      store.entry_mrr.push_back(total);
      if (!segments_.empty()) store.entry_segment.push_back(largest->segment);
      ++store.offsets[first.customer + 1];
    }
    i = j;
  }
  for (size_t c = 0; c < customers_.size(); ++c) store.offsets[c + 1] += store.offsets[c];
  if (options_.stats) {
    for (const auto& [source, line] : first_row_) {
      options_.stats->first_row_of_date.push_back({sources_[source], line});
    }
  }
  store.customers = std::move(customers_);
  store.segments = std::move(segments_);
  rows_.clear();
  rows_.shrink_to_fit();
  return store;
}

template <typename Source>
snapshot_store load_all(const std::vector<Source>& sources, const load_options& options,
                        void (*read_one)(data_set_builder&, const Source&)) {
  data_set_builder builder(options);
  for (const auto& s : sources) read_one(builder, s);
  return builder.finish();
}

void read_path(data_set_builder& builder, const std::string& path) {
  const std::string name = path == "-" ? "<stdin>" : path;
  io::LineReader lines(name, open_byte_source(path, name));
  builder.read(name, lines);
}

void read_text(data_set_builder& builder, const named_text& text) {
  io::LineReader lines(text.name, text.text.data(), text.text.data() + text.text.size());
  builder.read(text.name, lines);
}

}  // namespace

money snapshot_store::mrr_at(std::uint32_t c, std::uint32_t d) const {
  const auto first = entry_date.begin() + offsets[c];
  const auto last = entry_date.begin() + offsets[c + 1];
  const auto it = std::lower_bound(first, last, d);
  return it != last && *it == d ? entry_mrr[size_t(it - entry_date.begin())] : money();
}

snapshot_store load_files(const std::vector<std::string>& paths, const load_options& options) {
  return load_all<std::string>(paths, options, read_path);
}

snapshot_store load_texts(const std::vector<named_text>& texts, const load_options& options) {
  return load_all<named_text>(texts, options, read_text);
}

}  // namespace ndr
