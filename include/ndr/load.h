// The CSV loader: snapshot files in, an immutable snapshot store out (SPEC §1).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ndr/calendar.h"
#include "ndr/error.h"
#include "ndr/money.h"
#include "ndr/money_column.h"
#include "ndr/segment_column.h"

namespace ndr {

struct load_options {
  std::string customer_col = "customer_id";  // matched case-insensitively
  std::string date_col = "date";             // matched case-insensitively
  std::string mrr_col = "mrr";               // matched case-insensitively
  char delimiter = ',';        // one of , ; | and tab; 0: detect per file
  bool decimal_comma = false;  // amounts like 1.234,56
  bool decimal_point = false;  // 1.500 is 1.5 even in a ;-separated file
  std::string encoding;        // iconv name; empty: UTF-8 (UTF-16 by its BOM)
  // A snapshot date more than kOutlierYears from every other date is an
  // error (a typo such as 0001-01-01 would make thousands of empty periods).
  bool allow_date_range = false;
  std::uint32_t max_segments =
      UINT32_MAX;           // more distinct segment labels is an error
  std::string date_format;  // strftime layout; empty = built-in layouts
  std::vector<std::string>
      segment_cols;  // --segment-by columns, in order (SPEC §4)
  // The currency column (docs/inputs.md): used when a file has it, required
  // when currency_col_required. Empty: no currency column at all.
  std::string currency_col = "currency";
  bool currency_col_required = false;
  // Rows in this currency are keyed like blank cells (plain ids), so that a
  // customer's blank and explicit reporting-currency rows are summed together.
  std::string reporting_currency;
  // With reporting_currency empty: the first code read becomes it (ndr
  // without --fx or --currency, where every code must be that one anyway).
  bool reporting_currency_from_data = false;
  // --customer-map: every row's customer id is replaced by its topmost parent.
  const class customer_map* parents = nullptr;
  bool skip_bad_rows = false;  // report and skip bad rows instead of failing
  // A plain file at least this large is read as two parts on two threads.
  std::uint64_t split_bytes = std::uint64_t(32) << 20;
  // From this many rows, grouping and summing them uses two threads.
  std::uint64_t parallel_rows = std::uint64_t(1) << 20;
  // Called for each skipped bad row when skip_bad_rows is set.
  std::function<void(const InputError&)> on_skipped_row;
  // When set, data errors that need not stop the reading (a negative
  // customer total, a date far from all others) are reported here instead of
  // thrown and the load goes on (validate lists them all).
  std::function<void(const InputError&)> on_data_error;
  struct load_stats* stats = nullptr;  // when set, filled for validate
};

// Data-quality facts gathered while loading (ndr validate).
struct load_stats {
  struct place {
    std::string source;
    unsigned line = 0;
  };
  struct summed_pair {
    std::string customer;
    day_number date = 0;
    std::vector<place> rows;  // the rows that were summed (the first few)
  };
  static constexpr size_t kExamples = 20;  // examples kept per list
  std::vector<std::string> files;
  std::uint64_t zero_rows = 0;
  std::vector<place> zero_examples;
  std::uint64_t negative_rows = 0;
  std::uint64_t summed_pairs = 0;
  std::vector<summed_pair> summed_examples;
  std::vector<std::uint32_t> customers_with_rows;  // per snapshot date
  std::vector<place> first_row_of_date;  // per snapshot date, in read order
};

// Every customer's MRR at every snapshot date, after summing rows.
// Customers are numbered in order of first appearance; for customer c its
// entries with MRR > 0 are [offsets[c], offsets[c+1]) of entry_date/entry_mrr,
// sorted by date. A (customer, date) absent there has MRR 0.
struct snapshot_store {
  std::vector<std::string> customers;
  std::vector<day_number> dates;       // the distinct snapshot dates, ascending
  std::vector<std::uint32_t> offsets;  // customers.size() + 1 entries
  std::vector<std::uint16_t>
      entry_date;          // index into dates (at most 65,535 dates)
  money_column entry_mrr;  // > 0
  // With segment columns: each entry's segment (index into segments), the
  // value of the row with the largest amount (first read on ties); labels
  // join several columns with " / ", a blank value being "(blank)".
  segment_column entry_segment;  // empty without segment columns
  std::vector<std::string> segments;
  // With segments and a currency column: the amount and read position of
  // each entry's segment row, so that merging currency parts still picks the
  // row with the largest (converted) amount (fx.h).
  std::vector<money> entry_segment_amount;
  std::vector<std::uint32_t> entry_segment_row;
  // With a currency column, a row whose currency is not the reporting one
  // belongs to that customer's part in its currency: an entry of `customers`
  // of its own, with the same id and customer_currency naming the currency
  // (an index into currency_names, whose entry 0, "", is the reporting
  // currency: blank cells and load_options::reporting_currency). fx.h
  // converts and adds up the parts. Empty: every customer is in currency 0.
  std::vector<std::uint16_t> customer_currency;
  std::vector<std::string> currency_names{""};
  struct currency_seen {
    std::string code;  // "" for amounts without a code
    std::string source;
    unsigned line = 0;
  };
  std::vector<currency_seen>
      currencies_seen;             // each code's first row, in read order
  std::uint64_t rows_read = 0;     // data rows accepted
  std::uint64_t rows_skipped = 0;  // bad rows skipped (skip_bad_rows only)
  // Rows of delimiters alone (;;; as a spreadsheet saves unused rows):
  // skipped, and named here so that the command line can say so.
  std::uint64_t empty_rows = 0;
  std::string first_empty_row;  // FILE:LINE of the first

  bool segmented() const { return !segments.empty(); }
  // Customer c's currency code, "" for the reporting currency.
  const std::string& currency_of(std::uint32_t c) const {
    return currency_names[customer_currency.empty() ? 0 : customer_currency[c]];
  }
  // "acme" for acme, "acme (EUR)" for acme's EUR part: for messages.
  std::string display_name(std::uint32_t c) const;
  // MRR of customer c at date index d.
  money mrr_at(std::uint32_t c, std::uint32_t d) const;
};

// The currency codes a store's amounts carry (currencies_seen without blank
// cells), in read order.
std::vector<const snapshot_store::currency_seen*> currency_codes(
    const snapshot_store& store);

// Throws UsageError when two of `paths` are one file (the same device and
// inode, or "-" twice): its rows would be summed twice. Paths that cannot
// be opened are left for the reader to report.
void require_distinct_files(const std::vector<std::string>& paths);

// Throws UsageError when iconv does not know `encoding`
// (load_options::encoding).
void check_encoding(const std::string& encoding);

// Reads a data set from files ("-" is standard input) as one.
// Throws InputError for an unreadable file, a missing column, a bad row
// (unless skip_bad_rows), a negative customer total, or a data set without
// a single data row.
snapshot_store load_files(const std::vector<std::string>& paths,
                          const load_options& options);

// Every path is a regular file, so it can be read a second time: not
// standard input ("-"), a pipe, a FIFO or a process substitution (<(…)).
bool can_read_twice(const std::vector<std::string>& paths);

// The same for in-memory CSV texts, each named for error messages (tests).
struct named_text {
  std::string name;
  std::string text;
};
snapshot_store load_texts(const std::vector<named_text>& texts,
                          const load_options& options);
// Rows made in memory rather than read from a file (subscriptions derive
// theirs): summed and checked exactly as a file's rows are, with
// options' segments, --customer-map and currency rule. Errors name `source`
// and the line given with each row.
class snapshot_rows {
 public:
  // keep_positions false holds less: then finish() returns nullopt when a
  // sum fails (a negative or too large total), and the rows are to be added
  // again to a snapshot_rows that keeps them, whose error names the row.
  snapshot_rows(const load_options& options, const std::string& source,
                bool currency_column, bool keep_positions = true);
  ~snapshot_rows();
  void reserve(size_t rows);
  // currency: an upper-case code, or "" for the reporting currency;
  // segments: one value per options.segment_cols (unread without them).
  void add(std::string_view customer, std::string_view currency,
           day_number date, money amount, const std::string_view* segments,
           unsigned line);
  // Adds rows from two threads: fill(part, 0) on this one and fill(part, 1)
  // on another, each adding to `part` its share of the rows, in order, every
  // row of share 0 before those of share 1 (their lines are their own). The
  // shares are joined as if added here in one pass; the first share's error
  // is thrown first.
  void add_in_two(
      const std::function<void(snapshot_rows& part, unsigned share)>& fill);
  std::optional<snapshot_store> finish();
  // The rows' positions are kept (asked for, or needed by the options:
  // segments, statistics, a data-error handler).
  bool keeps_positions() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One text, freed as soon as it is read, before the rows are summed (a large
// derived text need not outlive its parse).
snapshot_store load_text(named_text&& text, const load_options& options);

}  // namespace ndr
