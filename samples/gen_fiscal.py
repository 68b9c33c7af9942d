#!/usr/bin/env python3
"""Generate samples/fiscal.csv: a deterministic sample for fiscal periods.

About 60 customers over the month-ends 2022-01-31 .. 2024-12-31, header
customer_id,date,mrr. Meant to be reported with

    --period quarter --fiscal-year-start 4
    --period year    --fiscal-year-start 4
    --period month   --window 12

Irregularities on purpose:
  * 2023-05 and 2024-02 have NO snapshot at all, so those months (and the
    rows that would use them as start or end) are missing from monthly reports;
  * 2023-08-15 is an extra mid-month snapshot of every paying customer (a
    whole picture, so nobody dips there). It is not the period end of 2023-08
    (2023-08-31 is later), so no report row may start or end on it.

Usage: python3 samples/gen_fiscal.py   (writes fiscal.csv next to this script)
"""

import calendar
import csv
import os
import random

SEED = 20220401
N_CUSTOMERS = 60
SKIPPED_MONTHS = {(2023, 5), (2024, 2)}
EXTRA_DATE = "2023-08-15"


def month_ends():
    out = []
    for y in (2022, 2023, 2024):
        for m in range(1, 13):
            out.append((y, m, f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"))
    return out


def fmt_cents(c):
    return f"{c // 100}.{c % 100:02d}"


def main():
    rng = random.Random(SEED)
    months = month_ends()

    customers = []
    for i in range(N_CUSTOMERS):
        customers.append(dict(
            id=f"F{i + 1:03d}",
            start=0 if i < 25 else rng.randrange(1, len(months)),
            mrr=rng.randrange(100_00, 5_000_00),
            active=False))

    rows = []
    for k, (y, m, date) in enumerate(months):
        # evolve every customer every month, even in months with no snapshot
        for c in customers:
            if k < c["start"]:
                continue
            if k == c["start"]:
                c["active"] = True
            elif c["active"]:
                r = rng.random()
                if r < 0.03:
                    c["active"] = False                       # churn
                elif r < 0.12:
                    c["mrr"] = c["mrr"] * (105 + rng.randrange(46)) // 100   # expansion
                elif r < 0.19:
                    c["mrr"] = max(50_00, c["mrr"] * (95 - rng.randrange(31)) // 100)  # contraction
            elif rng.random() < 0.12:
                c["active"] = True                            # comes back
                c["mrr"] = rng.randrange(100_00, 5_000_00)

        if (y, m) in SKIPPED_MONTHS:
            continue
        if (y, m) == (2023, 8):
            # a full mid-month extra snapshot
            for c in customers:
                if c["active"]:
                    rows.append([c["id"], EXTRA_DATE, fmt_cents(c["mrr"])])
        for c in customers:
            if c["active"]:
                rows.append([c["id"], date, fmt_cents(c["mrr"])])

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fiscal.csv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "date", "mrr"])
        w.writerows(rows)
    print(f"wrote {out}: {len(rows)} data rows, {N_CUSTOMERS} customers, "
          f"{len({r[1] for r in rows})} dates")


if __name__ == "__main__":
    main()
