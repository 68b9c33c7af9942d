#!/usr/bin/env python3
"""Writes a deterministic subscription export for benchmarks (docs/inputs.md):
customers on monthly, quarterly, yearly and weekly plans in USD, EUR and JPY,
with upgrades, cancellations and trials, from 2020 to 2025; and a matching
rates file.

Usage: gen_subscriptions.py SUBSCRIPTIONS OUT.csv RATES.csv
"""
import random
import sys


def main():
    count, out, rates = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    r = random.Random(1)
    customers = max(1, count * 2 // 5)
    with open(out, "w") as f:
        f.write("customer_id,start_date,end_date,amount,interval,interval_count,quantity,"
                "currency,status,plan\n")
        for _ in range(count):
            c = r.randrange(customers)
            currency = ("USD", "USD", "USD", "EUR", "JPY")[c % 5]
            y, m, d = 2020 + r.randrange(5), 1 + r.randrange(12), 1 + r.randrange(28)
            end = ""
            if r.random() < 0.4:
                end = f"{y + 1 + r.randrange(3)}-{m:02d}-{d:02d}"
            interval = r.choice(("month", "month", "month", "year", "quarter", "week"))
            amount = r.randrange(1000, 500000) if currency == "JPY" else f"{r.uniform(5, 2000):.2f}"
            f.write(f"C{c:07d},{y}-{m:02d}-{d:02d},{end},{amount},{interval},"
                    f"{r.choice(('', '1', '2'))},{r.randrange(1, 20)},{currency},"
                    f"{r.choice(('active', 'active', 'canceled', 'trialing'))},"
                    f"{r.choice(('basic', 'pro', 'team'))}\n")
    with open(rates, "w") as f:
        f.write("date,currency,rate\n")
        for y in range(2020, 2027):
            for m in range(1, 13):
                f.write(f"{y}-{m:02d}-01,EUR,{1.05 + 0.1 * r.random():.4f}\n"
                        f"{y}-{m:02d}-01,JPY,{0.006 + 0.002 * r.random():.6f}\n")


if __name__ == "__main__":
    main()
