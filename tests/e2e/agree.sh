#!/usr/bin/env bash
# `ndr validate` and `ndr report` read input through one data-set stage, so
# they agree on what stops the data: for each input below, report exits 1
# exactly when validate finds an error (exit 1), and 2 exactly when it does;
# when report stops, its message is validate's first error.
# Usage: agree.sh NDR ROOT [NDR_GEN]
ndr=$1
root=$2
s=$root/samples
h=$root/tests/hostile
. "$root/tests/e2e_lib.sh"

# agree ARGS...: the same input options to both commands.
agree() {
  local said first r v
  said=$("$ndr" report "$@" -q 2>&1 >/dev/null)
  r=$?
  first=$("$ndr" validate "$@" 2>/dev/null | sed -n '/^errors (/{n;s/^  //;p;q}')
  "$ndr" validate "$@" >/dev/null 2>&1
  v=$?
  if [ "$r" -ne "$v" ]; then
    failed=$((failed + 1))
    printf 'FAIL: ndr report/validate %s: report exits %s, validate %s\n' "$*" "$r" "$v"
  elif [ "$r" -eq 1 ] && [ "ndr: $first" != "$said" ]; then
    failed=$((failed + 1))
    printf 'FAIL: ndr report/validate %s\n  report:   %s\n  validate: %s\n' "$*" "$said" "$first"
  else
    passed=$((passed + 1))
  fi
}

# Snapshot files, good and bad, with and without --skip-bad-rows.
for f in "$s"/tiny.csv "$s"/realistic.csv "$s"/fiscal.csv "$s"/messy.csv "$h"/*.csv; do
  case $f in *subscriptions-unterminated.csv | *rates-unterminated.csv | *map-nul.csv) continue ;; esac
  agree "$f"
  agree "$f" --skip-bad-rows
done
agree "$h"/latin1.csv --encoding latin1
agree "$h"/outlier-0001.csv --allow-date-range
agree "$h"/semicolon-thousands.csv --decimal-point
# Subscription exports, currencies and hierarchies.
agree "$s"/subscriptions.csv --input subscriptions
agree "$s"/subscriptions.csv --input subscriptions --fx "$s"/fx-rates.csv
agree "$s"/subscriptions.csv --input subscriptions --fx "$s"/fx-rates.csv --fx-mode spot
agree "$s"/subscriptions.csv --input subscriptions --fx "$s"/fx-rates.csv --customer-map "$s"/customer-map.csv
agree "$s"/subscriptions.csv --input subscriptions --currency EUR
agree "$s"/subscriptions.csv --input subscriptions --fx "$h"/rates-unterminated.csv
agree "$h"/subscriptions-unterminated.csv --input subscriptions
agree "$h"/subscriptions-unterminated.csv --input subscriptions --skip-bad-rows
agree "$s"/stripe-subscriptions.csv --preset stripe --fx "$s"/stripe-fx-rates.csv
agree "$s"/chargebee-subscriptions.csv --preset chargebee --fx "$s"/chargebee-fx-rates.csv
agree "$s"/mrr-playbook.csv --preset mrr-playbook
agree "$s"/tiny.csv --customer-map "$h"/map-nul.csv
agree "$s"/subscriptions.csv  # a subscription file read as snapshots: no date column
# Rates that miss a date the data needs.
printf 'date,currency,rate\n2024-06-01,EUR,1.1\n2024-06-01,GBP,1.3\n2024-06-01,JPY,0.0067\n' >late-rates.csv
agree "$s"/subscriptions.csv --input subscriptions --fx late-rates.csv
# Two currencies in a snapshot file, with and without a reporting currency.
printf 'customer_id,date,mrr,currency\na,2024-01-31,10,EUR\nb,2024-01-31,5,USD\na,2024-02-29,10,EUR\n' >two.csv
agree two.csv
agree two.csv --currency EUR
printf 'date,currency,rate\n2024-01-01,EUR,1.1\n' >eur.csv
agree two.csv --fx eur.csv
# Usage errors are usage errors to both.
agree "$s"/tiny.csv --encoding no-such-encoding
agree "$s"/tiny.csv "$s"/tiny.csv
summary
