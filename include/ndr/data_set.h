// The data-set stage: everything between the input files and the engine.
// Snapshot files or subscription exports (a preset is only a column mapping),
// the customer map, the reporting currency and the exchange rates go in; one
// data set in the engine's terms comes out. `report`, `movements`, `cohorts`
// and `validate` all read their input here, so they cannot disagree on what
// a file means or on what stops it.
//
//   files ──► load.h (snapshot CSV) ─────────────┐
//   files ──► subscriptions.h (derive rows) ─────┼─► snapshot_store ─► currency
//   rule ─► data_set
//   --customer-map (hierarchy.h), --fx (fx.h) ───┘
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ndr/fx.h"
#include "ndr/load.h"
#include "ndr/subscriptions.h"

namespace ndr {

// What to read and how: the command line's input options, checked.
struct input_spec {
  std::vector<std::string> files;  // "-" is standard input
  // How snapshot files are read. Its callbacks (skipped rows, data errors,
  // statistics) and its segment columns apply to subscription input too.
  load_options snapshots;
  // Set: the files are subscription exports, turned into snapshot rows.
  std::optional<subscription_options> subscriptions;
  std::string customer_map;  // customer_id,parent_id file; empty: none
  // The reporting currency (upper case); empty: the data's single currency
  // code, else USD.
  std::string currency;
  std::string rates;  // date,currency,rate file; empty: no conversion
  fx_mode mode = fx_mode::constant;
};

// A data set ready for the engine.
struct data_set {
  // Without rates: every customer's amounts in the reporting currency.
  snapshot_store store;
  // With rates: the customers' parts by currency, converted by the engine's
  // fx entry points (fx.h) in `mode`.
  std::optional<currency_parts> parts;
  std::optional<fx_rates> rates;
  fx_mode mode = fx_mode::constant;
  std::string reporting_currency;
  std::uint64_t rows_skipped =
      0;  // bad rows skipped (load_options::skip_bad_rows)

  // The store whatever the currencies: `store`, or the parts' store.
  const snapshot_store& loaded() const { return parts ? parts->parts : store; }
};

// Reads the data set. Throws UsageError for contradictory options (two
// files that are one) and InputError for what the data cannot give: a bad
// file or row, a cycle in the customer map, amounts in a currency other than
// the reporting one without rates. With snapshots.on_data_error set, the
// last is reported there and the parts are left unmerged instead (validate).
data_set load_data_set(const input_spec& spec);

// The engine (engine.h) over a data set, converting currency parts as its
// rates and mode say (fx.h).
report build_report(const data_set& data, const report_options& options);
std::vector<cohort_cell> build_cohorts(const data_set& data,
                                       const period_scheme& scheme);

// The ledger behind one report row, with the store whose customer names and
// segments its lines index (with rates: a store of the names alone).
struct ledger {
  std::vector<ledger_line> lines;
  std::optional<snapshot_store> names;  // with rates: names and segments alone
  const snapshot_store* loaded = nullptr;  // without
  const snapshot_store& store() const { return names ? *names : *loaded; }
};
// nullopt when the data has no report row for `period`.
std::optional<ledger> build_ledger(const data_set& data,
                                   const report_options& options,
                                   std::int64_t period);

}  // namespace ndr
