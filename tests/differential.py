#!/usr/bin/env python3
"""Differential test: the C++ binary against the independent Python reference.

1. Random data sets (seeded, so failures reproduce) with dips, partial
   snapshot dates, duplicate rows, zero rows, gaps, quoting and odd amounts,
   under every period kind, several fiscal starts, windows and both
   reactivation policies: the csv output must be byte-identical.
2. Every checked-in csv golden of realistic/fiscal equals the reference.
3. The json golden holds exactly the csv golden's values.

Usage: differential.py NDR_BINARY REFERENCE_SCRIPT
"""
import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile

NDR, REF = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = 0
checks = 0


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout


def compare(label, args):
    global failures, checks
    checks += 1
    rc1, out1 = run([NDR, "report", *args, "--format", "csv"])
    rc2, out2 = run([sys.executable, REF, *args])
    if rc1 != rc2 or out1 != out2:
        failures += 1
        print(f"FAIL {label}: ndr report {' '.join(args)} (exit {rc1} vs reference {rc2})")
        a, b = out1.splitlines(), out2.splitlines()
        for x, y in zip(a, b):
            if x != y:
                print(f"  ndr: {x}\n  ref: {y}")
                break
        if len(a) != len(b):
            print(f"  {len(a)} lines vs {len(b)}")


def money(r, cents):
    v = cents / 100
    style = r.random()
    if style < 0.1:
        return f'"{"-" if v < 0 else ""}${abs(v):,.2f}"'
    if style < 0.15:
        return f"{v:.4f}"
    if style < 0.2 and cents < 0:
        return f"({-v:.2f})"
    return f"{v:.2f}"


def month_end(y, m):
    import calendar
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def random_data_set(seed):
    r = random.Random(seed)
    n_customers = r.randrange(5, 60)
    months = r.randrange(6, 40)
    start_year = 2021
    rows = []
    mrr = {c: 0 for c in range(n_customers)}
    for i in range(months):
        y, m = start_year + (i // 12), i % 12 + 1
        if r.random() < 0.08:
            continue  # a month without any snapshot
        date = month_end(y, m) if r.random() < 0.9 else f"{y:04d}-{m:02d}"
        for c in range(n_customers):
            x = r.random()
            if mrr[c] == 0:
                if x < 0.15:
                    mrr[c] = r.randrange(1, 500000)
            elif x < 0.08:
                mrr[c] = 0  # churn (may return later)
            elif x < 0.2:
                mrr[c] = mrr[c] * r.randrange(101, 200) // 100
            elif x < 0.3:
                mrr[c] = max(1, mrr[c] * r.randrange(50, 99) // 100)
            if mrr[c] > 0:
                if r.random() < 0.1:  # split over two rows, one may be a credit
                    part = r.randrange(-mrr[c] // 3, mrr[c])
                    rows.append((f"cust-{c}", date, money(r, part)))
                    rows.append((f"cust-{c}", date, money(r, mrr[c] - part)))
                else:
                    rows.append((f"cust-{c}", date, money(r, mrr[c])))
            elif r.random() < 0.05:
                rows.append((f"cust-{c}", date, "0"))
        if r.random() < 0.15:  # a partial mid-month snapshot
            mid = f"{y:04d}-{m:02d}-15"
            for c in r.sample(range(n_customers), r.randrange(1, n_customers)):
                if mrr[c] > 0:
                    rows.append((f"cust-{c}", mid + ("T10:00:00Z" if r.random() < 0.3 else ""), money(r, mrr[c])))
    r.shuffle(rows)
    return "customer_id,date,mrr\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)


def golden_csvs():
    """(expected file, arguments) of every csv line of samples/expected/MANIFEST on
    snapshot input (subscription and currency goldens are differential_inputs.py's)."""
    for line in open(os.path.join(ROOT, "samples", "expected", "MANIFEST")):
        if line.startswith("#") or "|" not in line:
            continue
        expected, args = (p.strip() for p in line.split("|", 1))
        words = args.split()
        money_options = {"--input", "--preset", "--fx", "--customer-map"}
        if expected.endswith(".csv") and words[0] != "snapshots" and not money_options & set(words):
            yield expected, args


def main():
    global failures, checks
    option_sets = [
        [],
        ["--reactivation", "include"],
        ["--window", "3"],
        ["--window", "12", "--reactivation", "include"],
        ["--period", "quarter"],
        ["--period", "quarter", "--fiscal-year-start", "4", "--window", "4"],
        ["--period", "year", "--fiscal-year-start", "7"],
        ["--period", "quarter", "--fiscal-year-start", "11", "--reactivation", "include"],
        ["--period", "year"],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(40):
            path = os.path.join(tmp, f"random-{seed}.csv")
            with open(path, "w") as f:
                f.write(random_data_set(seed))
            for opts in option_sets:
                compare(f"seed {seed}", [path, *opts])

    for expected, args in golden_csvs():
        argv = [a for a in args.split() if a not in ("--format", "csv")]
        if argv[0] == "report":
            argv = argv[1:]
        argv = [os.path.join(ROOT, a) if a.startswith("samples/") else a for a in argv]
        checks += 1
        rc, out = run([sys.executable, REF, *argv])
        if out != open(os.path.join(ROOT, "samples", "expected", expected)).read():
            failures += 1
            print(f"FAIL golden {expected} differs from the reference")

    checks += 1
    golden = list(csv.DictReader(open(os.path.join(ROOT, "samples/expected/realistic.csv"))))
    data = json.load(open(os.path.join(ROOT, "samples/expected/realistic.json")), parse_float=str)
    as_text = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in data["rows"]]
    if as_text != golden:
        failures += 1
        print("FAIL realistic.json does not hold realistic.csv's values")

    # SPEC §3's invariant on every row of every golden csv: the MRR of every
    # customer at the end snapshot, summed straight from the sample file,
    # equals ending_mrr + reactivation_mrr + new_mrr (to the cent).
    sys.path.insert(0, os.path.dirname(REF))
    import ndr_ref
    from fractions import Fraction
    for expected, args in golden_csvs():
        if not args.startswith("report "):
            continue
        sample = os.path.join(ROOT, args.split()[1])
        totals = ndr_ref.read_files([sample])
        for row in csv.DictReader(open(os.path.join(ROOT, "samples", "expected", expected))):
            if row.get("segment", "(all)") != "(all)":
                continue
            checks += 1
            end = datetime.date.fromisoformat(row["end_date"])
            at_end = sum((per.get(end, Fraction(0)) for per in totals.values()), Fraction(0))
            rhs = sum(Fraction(row[k]) for k in ("ending_mrr", "reactivation_mrr", "new_mrr"))
            if abs(at_end - rhs) > Fraction(3, 200):  # three values rounded to the cent
                failures += 1
                print(f"FAIL invariant {expected} {row['period']}: {float(at_end)} != {float(rhs)}")

    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
