#!/usr/bin/env python3
"""Self-check of the reference implementation against hand-worked numbers.

Run:  python3 tests/reference/test_ref_worked_example.py
Exits non-zero (AssertionError) on the first failure.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "ndr_ref.py")
sys.path.insert(0, HERE)
import ndr_ref  # noqa: E402

HEADER = ndr_ref.HEADER


def run(csv_text, *opts, expect_rc=0):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(csv_text)
        p = subprocess.run([sys.executable, REF, path, *opts],
                           capture_output=True, text=True)
    assert p.returncode == expect_rc, (p.returncode, p.stderr)
    return p.stdout


def check(name, csv_text, opts, expected_rows):
    out = run(csv_text, *opts)
    lines = out.split("\n")
    assert lines[-1] == "", f"{name}: output must end with a newline"
    lines = lines[:-1]
    assert lines[0] == HEADER, f"{name}: bad header {lines[0]!r}"
    got = lines[1:]
    if got != expected_rows:
        print(f"FAIL {name}", file=sys.stderr)
        for g, e in zip(got + [""] * 10, expected_rows + [""] * 10):
            if g or e:
                print(f"  got      {g}\n  expected {e}", file=sys.stderr)
    assert got == expected_rows, name
    print(f"ok   {name}")


# ---------------------------------------------------------------------------
# 1. Worked check from SPEC §3: starting 100,000, expansion 20,000,
#    contraction 5,000, churn 10,000 -> NDR 1.0500, GRR 0.8500.
#    A 50,000 -> 70,000 (expansion 20,000)
#    B 30,000 -> 25,000 (contraction 5,000)
#    C 10,000 -> 0      (churn 10,000; no row at the end date)
#    D 10,000 -> 10,000 (flat)
#    A's end amount is split over two rows (base + add-on) that must be summed;
#    B's start amount is written with a thousands separator and a currency sign.
# ---------------------------------------------------------------------------
worked1 = (
    "customer_id,date,mrr\n"
    "A,2024-01-31,50000\n"
    "B,2024-01-31,\"$30,000.00\"\n"
    "C,2024-01-31,10000\n"
    "D,2024-01-31,10000.00\n"
    "A,2024-02-29,60000\n"
    "A,2024-02-29,10000\n"
    "B,2024-02-29,25000\n"
    "D,2024-02-29,10000\n"
)
check("worked check 1 (NDR 1.0500, GRR 0.8500)", worked1, [], [
    "2024-02,2024-01-31,2024-02-29,4,3,1,1,1,"
    "100000.00,20000.00,5000.00,10000.00,105000.00,"
    "1.0500,0.8500,0.7500,0.00,0,0.00,0",
])

# ---------------------------------------------------------------------------
# 2. Worked check: starting 150,000, +25,000, -10,000, -3,500 -> NDR 1.0767.
#    ending = 150000 + 25000 - 10000 - 3500 = 161500; 161500/150000 = 1.07666..
#    GRR = 136500/150000 = 0.9100.
#    P 100,000 -> 125,000 (expansion 25,000)
#    Q  46,500 ->  36,500 (contraction 10,000)
#    R   3,500 ->       0 (churn 3,500, explicit zero row)
#    Quarterly report: Q1 end 2024-03-31, Q2 end 2024-06-30 (the 2024-05-31
#    snapshot is inside Q2 but not its period end; nobody dips there).
# ---------------------------------------------------------------------------
worked2 = (
    "Customer_ID,Date,MRR\n"
    "P,2024-03-31,100000\n"
    "Q,2024-03-31,46500\n"
    "R,2024-03-31,3500\n"
    "P,2024-05-31,110000\n"
    "Q,2024-05-31,40000\n"
    "R,2024-05-31,1000\n"
    "P,2024-06-30,125000\n"
    "Q,2024-06-30,36500\n"
    "R,2024-06-30,0\n"
)
check("worked check 2 (NDR 1.0767)", worked2, ["--period", "quarter"], [
    "2024-Q2,2024-03-31,2024-06-30,3,2,1,1,1,"
    "150000.00,25000.00,10000.00,3500.00,161500.00,"
    "1.0767,0.9100,0.6667,0.00,0,0.00,0",
])

# ---------------------------------------------------------------------------
# 3. Dipped / reactivation, hand-worked under both policies.
#    Snapshot dates: 2023-12-31, 2024-01-31, 2024-02-29, 2024-03-31.
#      X  Dec 100 | Jan 100 | Feb  -  | Mar 120   (dips in Feb, returns higher)
#      Y  Dec  50 | Jan  -  | Feb  -  | Mar  70   (old customer, gone at Jan, back in Mar)
#      Z  Dec  -  | Jan  -  | Feb  -  | Mar  30   (brand new in Mar)
#      F  Dec 200 | Jan 200 | Feb 200 | Mar 150   (steady, contracts in Mar)
#      G  Dec  -  | Jan  80 | Feb 0.00| Mar   -   (explicit zero in Feb, gone)
# ---------------------------------------------------------------------------
dipped = (
    "customer_id,date,mrr\n"
    "X,2023-12-31,100\n"
    "Y,2023-12-31,50\n"
    "F,2023-12-31,200\n"
    "X,2024-01-31,100\n"
    "F,2024-01-31,200\n"
    "G,2024-01-31,80\n"
    "F,2024-02-29,200\n"
    "G,2024-02-29,0.00\n"
    "X,2024-03-31,120\n"
    "Y,2024-03-31,70\n"
    "Z,2024-03-31,30\n"
    "F,2024-03-31,150\n"
)
# Window 2, row 2024-03: start 2024-01-31 (cohort X 100, F 200, G 80 = 380),
# end 2024-03-31, 2024-02-29 strictly between.
#  separate: X dipped -> churned 100, reactivation 120; F contraction 50;
#            G dipped (and e = 0) -> churned 80; Y had MRR before start ->
#            reactivation 70; Z new 30.
#            churned = 180 (2 customers), ending = 380 - 50 - 180 = 150
#            ndr = 150/380 = 0.394736.. -> 0.3947; grr same; logo 1/3 = 0.3333
#            reactivation = 190 (2), new = 30 (1).
#            invariant: end total 120+70+30+150 = 370 = 150 + 190 + 30.
#  include:  X expansion 20; F contraction 50; G churned 80; Y reactivation 70;
#            Z new 30. ending = 380 + 20 - 50 - 80 = 270; ndr = 0.7105 (0.710526..)
#            grr = 250/380 = 0.6578947.. -> 0.6579; logo 2/3 = 0.6667.
#  Row 2024-02 (start 2023-12-31, end 2024-02-29, 2024-01-31 between):
#    cohort X 100, Y 50, F 200 = 350. Y dips at Jan (no row) and e = 0.
#    separate: X churn (e=0) 100; Y dipped -> churn 50; F flat. churned 150 (2).
#              ending 200, ndr 0.5714 (0.571428..), logo 1/3.
#              G (not in cohort, e = 0 at Feb) -> nothing.
#    include: same numbers (X and Y both end at 0).
check("dipped, window 2, separate", dipped, ["--window", "2"], [
    "2024-02,2023-12-31,2024-02-29,3,1,0,0,2,"
    "350.00,0.00,0.00,150.00,200.00,0.5714,0.5714,0.3333,0.00,0,0.00,0",
    "2024-03,2024-01-31,2024-03-31,3,1,0,1,2,"
    "380.00,0.00,50.00,180.00,150.00,0.3947,0.3947,0.3333,190.00,2,30.00,1",
])
check("dipped, window 2, include", dipped,
      ["--window", "2", "--reactivation", "include"], [
    "2024-02,2023-12-31,2024-02-29,3,1,0,0,2,"
    "350.00,0.00,0.00,150.00,200.00,0.5714,0.5714,0.3333,0.00,0,0.00,0",
    "2024-03,2024-01-31,2024-03-31,3,2,1,1,1,"
    "380.00,20.00,50.00,80.00,270.00,0.7105,0.6579,0.6667,70.00,1,30.00,1",
])
# Window 1 (no dates strictly between, so both policies agree):
#  2024-01: start Dec (X 100, Y 50, F 200 = 350), end Jan: X flat, Y churn 50,
#           F flat; G new 80. ending 300, ndr 0.8571 (0.857142..), logo 2/3.
#  2024-02: start Jan (X 100, F 200, G 80 = 380), end Feb: X churn 100, F flat,
#           G churn 80 (explicit zero row). ending 200, ndr 0.5263 (0.526315..),
#           logo 1/3.
#  2024-03: start Feb (F 200), end Mar: F contraction 50; X and Y had MRR before
#           Feb -> reactivation 190 (2); Z new 30. ndr 0.7500.
window1 = [
    "2024-01,2023-12-31,2024-01-31,3,2,0,0,1,"
    "350.00,0.00,0.00,50.00,300.00,0.8571,0.8571,0.6667,0.00,0,80.00,1",
    "2024-02,2024-01-31,2024-02-29,3,1,0,0,2,"
    "380.00,0.00,0.00,180.00,200.00,0.5263,0.5263,0.3333,0.00,0,0.00,0",
    "2024-03,2024-02-29,2024-03-31,1,1,0,1,0,"
    "200.00,0.00,50.00,0.00,150.00,0.7500,0.7500,1.0000,190.00,2,30.00,1",
]
check("dipped data, window 1, separate", dipped, [], window1)
check("dipped data, window 1, include", dipped, ["--reactivation", "include"], window1)

# ---------------------------------------------------------------------------
# 4. Empty cohort -> empty ratio fields; fiscal labels; rounding half away.
#    Fiscal start 4: 2024-03-31 is FY2024-Q4, 2024-04-30 is FY2025-Q1.
#    Start has only a zero row, so the cohort is empty; N is new with 0.125
#    -> money 0.13 (half away from zero).
# ---------------------------------------------------------------------------
empty = (
    "customer_id,date,mrr\n"
    "M,2024-03-31,0\n"
    "N,2024-04-30,0.125\n"
)
check("empty cohort, fiscal quarter", empty,
      ["--period", "quarter", "--fiscal-year-start", "4"], [
    "FY2025-Q1,2024-03-31,2024-04-30,0,0,0,0,0,"
    "0.00,0.00,0.00,0.00,0.00,,,,0.00,0,0.13,1",
])
check("empty cohort, fiscal year", empty,
      ["--period", "year", "--fiscal-year-start", "4"], [
    "FY2025,2024-03-31,2024-04-30,0,0,0,0,0,"
    "0.00,0.00,0.00,0.00,0.00,,,,0.00,0,0.13,1",
])
# Same data, calendar months: row 2024-04 with start 2024-03-31.
check("empty cohort, month", empty, [], [
    "2024-04,2024-03-31,2024-04-30,0,0,0,0,0,"
    "0.00,0.00,0.00,0.00,0.00,,,,0.00,0,0.13,1",
])
# Calendar years: both dates are in 2024, so no period has a start -> header only.
check("no row: single calendar year", empty, ["--period", "year"], [])

# ---------------------------------------------------------------------------
# 5. Unit checks of the helpers.
# ---------------------------------------------------------------------------
from fractions import Fraction as F  # noqa: E402
import datetime  # noqa: E402

assert ndr_ref.round_half_away(F(5, 1000), 2) == "0.01"
assert ndr_ref.round_half_away(F(-5, 1000), 2) == "-0.01"
assert ndr_ref.round_half_away(F(-4, 1000), 2) == "0.00"
assert ndr_ref.round_half_away(F(123450, 100), 2) == "1234.50"
assert ndr_ref.round_half_away(F(2, 3), 4) == "0.6667"
assert ndr_ref.round_half_away(F(1, 20000), 4) == "0.0001"
assert ndr_ref.parse_amount("1,234.50") == F(123450, 100)
assert ndr_ref.parse_amount("(12.50)") == F(-1250, 100)
assert ndr_ref.parse_amount("-$3") == -3
assert ndr_ref.parse_amount("\u20ac1,000,000") == 1000000
assert ndr_ref.parse_amount("\u00a30.000001") == F(1, 1000000)
for bad in ["1,20", "1e3", "", "12.", "1,2345", ",123", "$", "abc", "(-1)"]:
    try:
        ndr_ref.parse_amount(bad)
    except ValueError:
        pass
    else:
        raise AssertionError(f"amount {bad!r} should be rejected")
assert ndr_ref.parse_date("2024-02") == datetime.date(2024, 2, 29)
assert ndr_ref.parse_date("2024-01-31T00:00:00Z") == datetime.date(2024, 1, 31)
assert ndr_ref.parse_date("2024-01-31 12:00:00") == datetime.date(2024, 1, 31)
for bad in ["2024-02-30", "2024-13", "31/01/2024", "2024-1-31"]:
    try:
        ndr_ref.parse_date(bad)
    except ValueError:
        pass
    else:
        raise AssertionError(f"date {bad!r} should be rejected")
po = ndr_ref.period_of
assert po(datetime.date(2024, 4, 1), "quarter", 4)[1] == "FY2025-Q1"
assert po(datetime.date(2024, 6, 30), "quarter", 4)[1] == "FY2025-Q1"
assert po(datetime.date(2025, 3, 31), "quarter", 4)[1] == "FY2025-Q4"
assert po(datetime.date(2025, 3, 31), "year", 4)[1] == "FY2025"
assert po(datetime.date(2025, 4, 1), "year", 4)[1] == "FY2026"
assert po(datetime.date(2024, 12, 31), "quarter", 1)[1] == "2024-Q4"
assert po(datetime.date(2024, 12, 31), "year", 1)[1] == "2024"
assert po(datetime.date(2024, 12, 31), "month", 4)[1] == "2024-12"
assert po(datetime.date(2024, 1, 1), "quarter", 2)[1] == "FY2024-Q4"
assert po(datetime.date(2024, 2, 1), "quarter", 2)[1] == "FY2025-Q1"
assert (po(datetime.date(2025, 1, 1), "quarter", 4)[0]
        - po(datetime.date(2024, 12, 31), "quarter", 4)[0]) == 1
print("ok   helpers")

# ---------------------------------------------------------------------------
# 6. Errors exit 1.
# ---------------------------------------------------------------------------
run("customer_id,date,mrr\nA,2024-01-31,5\nA,2024-01-31,-6\n", expect_rc=1)
run("customer_id,date,mrr\nA,2024-01-31,abc\n", expect_rc=1)
run("customer_id,date,mrr\nA,2024-02-30,1\n", expect_rc=1)
run("customer_id,date,mrr\n,2024-01-31,1\n", expect_rc=1)
run("customer_id,date\nA,2024-01-31\n", expect_rc=1)
run("customer_id,date,mrr\n", expect_rc=1)
# a negative row is fine when the customer's total at that date is not negative
run("customer_id,date,mrr\nA,2024-01-31,10\nA,2024-01-31,(4)\n")
print("ok   errors")
print("all reference self-checks passed")
