// Subscription exports (docs/inputs.md): rows of who pays what, on which
// interval, from when to when, turned into the snapshot rows SPEC §1 defines.
// The snapshot model stays the single source of truth: the derived rows go
// through the loader's row checks and sums like any file's rows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ndr/calendar.h"
#include "ndr/error.h"
#include "ndr/load.h"
#include "ndr/money.h"

namespace ndr {

enum class billing_interval { day, week, month, quarter, year };

// One column of a subscription file: the header names it may have (the first
// present wins; a preset may know a vendor's spellings) and whether a file
// without it is an error.
struct subscription_column {
  std::vector<std::string> names;
  bool required = false;
};

struct subscription_options {
  subscription_column customer{{"customer_id"}, true};
  subscription_column start{{"start_date"}, true};
  subscription_column end{{"end_date"}, true};
  subscription_column amount{{"amount"}, true};
  subscription_column interval{{"interval"}};  // day|week|month|quarter|year
  subscription_column interval_count{{"interval_count"}};  // whole number >= 1
  subscription_column quantity{{"quantity"}};              // number >= 0
  subscription_column currency{{"currency"}};              // three-letter code
  subscription_column status{{"status"}};
  // A preset's interval words, lower case (e.g. {"monthly", "month"}),
  // looked up before the five names.
  std::vector<std::pair<std::string, std::string>> interval_words;
  bool minor_units = false;  // amounts in cents (yen for JPY, …)
  // The currency of an empty currency cell (for minor units); empty: the
  // data's single currency code, else USD (as ndr settles it without --fx).
  std::string reporting_currency;
  std::vector<std::string> exclude_status;  // statuses to drop (any case)
  std::optional<day_number>
      as_of;             // last snapshot date bound; default: latest date
  int snapshot_day = 0;  // 1..31: day of the month; 0: month end
  // End dates are the last day a subscription counts (the last paid day),
  // not the first day it no longer does.
  bool end_inclusive = false;
  char delimiter = ',';        // one of , ; | and tab; 0: detect per file
  bool decimal_comma = false;  // amounts like 1.234,56
  std::string encoding;        // iconv name; empty: UTF-8 (UTF-16 by its BOM)
  bool decimal_point = false;  // 1.500 is 1.5 even in a ;-separated file
  bool allow_date_range = false;  // dates far from all others are fine
  std::string date_format;        // strftime layout; empty = built-in layouts
  std::vector<std::string> segment_cols;  // copied into the derived rows
  bool skip_bad_rows = false;  // report and skip bad rows instead of failing
  std::function<void(const InputError&)> on_skipped_row;
  // Told what changes the numbers without being an error: the last month of
  // data left out by the default as-of.
  std::function<void(const std::string&)> on_warning;
  std::uint64_t max_rows =
      UINT64_MAX;  // more derived rows is an error (the fuzzer's bound)
};

// Snapshot rows derived from subscriptions: at each snapshot date, one row
// per subscription counting then (start <= date < end), in input order, or
// one zero row when none counts (so the date stays a snapshot date). Kept as
// the subscriptions and, per date, which of them count: derived_csv() prints
// the rows, load_derived() puts them straight into a store.
struct derived_snapshots {
  struct subscription {
    std::string customer;
    money mrr;
    std::string currency;  // upper case; "" = the reporting currency
    std::vector<std::string> segments;  // the values of segment_names
    std::uint32_t source = 0;           // where it is: sources[source], line
    unsigned line = 0;
    std::uint32_t first = 0,
                  past = 0;  // it counts at date indexes [first, past)
  };
  static constexpr std::uint32_t kZeroRow =
      UINT32_MAX;  // for_each_row: a zero row
  std::vector<subscription> subscriptions;
  std::vector<std::string>
      segment_names;  // the segment columns read, as the first file spells them
  // Per subscription_options::segment_cols: true when it is the currency
  // column itself (its value is the subscription's currency).
  std::vector<bool> segment_is_currency;
  bool has_currency = false;  // some file has a currency column
  std::vector<snapshot_store::currency_seen>
      currencies_seen;            // first row of each code
  std::vector<day_number> dates;  // the snapshot dates
  // The rows of date d are rows [date_rows[d], date_rows[d+1]); row k is
  // line k + 2 of derived_csv().
  std::vector<std::uint64_t> date_rows;
  std::vector<std::string> sources;  // the files, as errors name them
  // Rows of delimiters alone (;;;), skipped: how many, and the first's
  // FILE:LINE (snapshot_store::empty_rows).
  std::uint64_t empty_rows = 0;
  std::string first_empty_row;
  std::vector<std::string>
      amount_columns;  // per file: its amount column as spelled

  std::uint64_t rows() const {
    return date_rows.empty() ? 0 : date_rows.back();
  }
  // f(k, d, i) for every row k in order: at date index d, subscription i, or
  // kZeroRow for a date on which none counts. Rows are made, not stored:
  // 6.9M rows of 200k subscriptions would take 27 MB. Given
  // [first_date, past_date), the rows of those dates only.
  template <typename F>
  void for_each_row(F f, std::uint32_t first_date = 0,
                    std::uint32_t past_date = UINT32_MAX) const {
    past_date = std::min<std::uint32_t>(past_date, std::uint32_t(dates.size()));
    std::uint64_t k = first_date < date_rows.size() ? date_rows[first_date] : 0;
    for (std::uint32_t d = first_date; d < past_date; ++d) {
      const std::uint64_t first_k = k;
      for (std::uint32_t i = 0; i < subscriptions.size(); ++i) {
        if (subscriptions[i].first <= d && d < subscriptions[i].past)
          f(k++, d, i);
      }
      if (k == first_k) f(k++, d, kZeroRow);
    }
  }
  // The subscription behind row k, or kZeroRow.
  std::uint32_t subscription_of_row(std::uint64_t k) const;
};

// The derived rows as snapshot CSV (ndr snapshots): the header
// customer_id,date,mrr[,currency][,SEGMENT COLUMNS…],source, where source
// is FILE:LINE of the subscription. Loading it gives load_derived's store.
std::string derived_csv(const derived_snapshots& derived);

// The MRR of one subscription: amount × quantity × F ÷ interval_count (F =
// 365/12, 52/12, 1, 1/3, 1/12), with amount ÷ 10^minor_digits first, all
// exact and rounded once, half to even, to 6 decimals. nullopt on overflow.
std::optional<money> subscription_mrr(money amount, money quantity,
                                      billing_interval interval,
                                      std::int64_t interval_count,
                                      int minor_digits = 0);

// The number of decimals of a currency's minor unit (ISO 4217, and Stripe's
// zero-decimal list): 0 for JPY, 3 for KWD, 2 for most.
int minor_unit_digits(std::string_view code);

// Reads subscription files ("-" is standard input) and derives their
// snapshot rows. Throws InputError for an unreadable file, a missing
// column, a bad row (unless skip_bad_rows), or no subscription at all.
derived_snapshots derive_snapshots(const std::vector<std::string>& paths,
                                   const subscription_options& options);
derived_snapshots derive_snapshot_texts(const std::vector<named_text>& texts,
                                        const subscription_options& options);

// The snapshot store the derived rows describe, built straight from them
// (no text), with the caller's options for segments, currencies and
// --customer-map; currencies_seen and errors name the subscription rows.
snapshot_store load_derived(const derived_snapshots& derived,
                            load_options options);
// The same, holding less: derive(false) gives the derived rows, and their
// subscriptions are given back once their rows are in, before the sums (for
// 200k subscriptions, 22 MB less at the peak). A sum that fails calls
// derive(true) for them again, to name the subscription at fault; it is to
// read the same files without reporting skipped rows a second time. For
// files that can be read only once (standard input), call the first form.
snapshot_store load_derived(
    const std::function<derived_snapshots(bool again)>& derive,
    load_options options);

}  // namespace ndr
