#!/usr/bin/env python3
"""Generate samples/realistic.csv: a deterministic, realistic MRR snapshot file.

About 300 customers over 30 month-ends (2023-01-31 .. 2025-06-30).
Header: customer_id,date,mrr,plan,region.

Over time the data contains every movement kind: expansion, contraction, flat,
churn, churn-and-return (reactivation) and new customers. About 3 % of the
(customer, month) pairs are split over two rows (base subscription + add-on)
that a reader must sum; some amounts are written with thousands separators
(quoted, e.g. "1,250.00"); a few rows carry an explicit 0.00 MRR (a paused or
just-cancelled subscription still present in the billing export).
Rows are grouped by date. Amounts always have 2 decimals.

Usage: python3 samples/gen_realistic.py   (writes realistic.csv next to this script)
"""

import calendar
import csv
import os
import random

SEED = 20240101
N_CUSTOMERS = 300
FIRST = (2023, 1)
N_MONTHS = 30  # 2023-01 .. 2025-06

PLANS = {  # plan -> (min, max) starting MRR in cents
    "starter": (49_00, 499_00),
    "growth": (500_00, 2_500_00),
    "enterprise": (3_000_00, 15_000_00),
}
REGIONS = ["NA", "EU", "APAC"]


def month_ends():
    y, m = FIRST
    out = []
    for _ in range(N_MONTHS):
        out.append(f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def fmt_cents(c, rng):
    """2-decimal amount; amounts >= 1000 sometimes with thousands separators."""
    whole, frac = divmod(c, 100)
    if whole >= 1000 and rng.random() < 0.30:
        return f"{whole:,}.{frac:02d}"  # csv.writer quotes it (contains ',')
    return f"{whole}.{frac:02d}"


def main():
    rng = random.Random(SEED)
    dates = month_ends()

    customers = []
    for i in range(N_CUSTOMERS):
        cid = f"CUST-{i + 1:04d}"
        plan = rng.choices(list(PLANS), weights=[55, 33, 12])[0]
        region = rng.choices(REGIONS, weights=[50, 30, 20])[0]
        # a third already live in the first month, the rest join later
        start = 0 if i < 100 else rng.randrange(1, N_MONTHS)
        lo, hi = PLANS[plan]
        customers.append(dict(id=cid, plan=plan, region=region, start=start,
                              mrr=rng.randrange(lo, hi + 1), active=False,
                              ever=False, zero_next=False))

    rows_by_month = [[] for _ in dates]
    for month, date in enumerate(dates):
        for c in customers:
            if month < c["start"]:
                continue
            if month == c["start"]:
                c["active"] = True           # new customer
                c["ever"] = True
            elif c["active"]:
                r = rng.random()
                if r < 0.025:                # churn
                    c["active"] = False
                    c["zero_next"] = rng.random() < 0.25
                elif r < 0.095:              # expansion +5 .. +60 %
                    c["mrr"] = c["mrr"] * (105 + rng.randrange(56)) // 100
                elif r < 0.145:              # contraction -5 .. -40 %
                    c["mrr"] = max(10_00, c["mrr"] * (95 - rng.randrange(36)) // 100)
                # else flat
            else:
                if rng.random() < 0.10:      # churned customer comes back
                    c["active"] = True
                    lo, hi = PLANS[c["plan"]]
                    c["mrr"] = rng.randrange(lo, hi + 1)

            if c["active"]:
                total = c["mrr"]
                if rng.random() < 0.03:      # base subscription + add-on rows
                    addon = max(1, total * rng.randrange(5, 30) // 100)
                    parts = [total - addon, addon]
                else:
                    parts = [total]
                for p in parts:
                    rows_by_month[month].append(
                        [c["id"], date, fmt_cents(p, rng), c["plan"], c["region"]])
            elif c["zero_next"]:
                # cancelled subscription still listed once with 0.00
                rows_by_month[month].append([c["id"], date, "0.00", c["plan"], c["region"]])
                c["zero_next"] = False

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "realistic.csv")
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "date", "mrr", "plan", "region"])
        for rows in rows_by_month:
            for row in rows:
                w.writerow(row)
                n += 1
    print(f"wrote {out}: {n} data rows, {len(customers)} customers, {len(dates)} dates")


if __name__ == "__main__":
    main()
