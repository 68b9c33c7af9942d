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


def run(csv_text, *opts, expect_rc=0, mode=None):
    """Run the reference on one CSV text (or a list of texts = several files)."""
    texts = [csv_text] if isinstance(csv_text, str) else list(csv_text)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts):
            path = os.path.join(tmp, f"in{i}.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            paths.append(path)
        cmd = [sys.executable, REF] + ([mode] if mode else []) + paths + list(opts)
        p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == expect_rc, (p.returncode, p.stderr)
    return p.stdout


def check(name, csv_text, opts, expected_rows, mode=None, header=HEADER):
    out = run(csv_text, *opts, mode=mode)
    lines = out.split("\n")
    assert lines[-1] == "", f"{name}: output must end with a newline"
    lines = lines[:-1]
    assert lines[0] == header, f"{name}: bad header {lines[0]!r}"
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

# ---------------------------------------------------------------------------
# 7. Segments (SPEC §4), hand-worked.
#    Snapshot dates 2023-12-31, 2024-01-31, 2024-02-29, 2024-03-31; --segment-by plan.
#      Y  Dec 70 starter | Jan  -          | Feb  -        | Mar  90 pro
#      A  Dec  -         | Jan 100 starter | Feb 150 pro   | Mar 200 pro      (switches plan)
#      B  Dec  -         | Jan 300 pro     | Feb   0 pro   | Mar 250 starter  (dips, returns)
#      C  Dec  -         | Jan  80 "  "    | Feb   -       | Mar  80 ""       (blank plan, dips)
#      E  Dec  -         | Jan  50 starter | Feb  50 starter | Mar  -         (churns)
#      D  Dec  -         | Jan  -          | Feb  -        | Mar  60 starter  (new)
#    Segment order by bytes: "(blank)" (0x28) < "pro" < "starter", then "(all)".
# ---------------------------------------------------------------------------
SEG_HEADER = ndr_ref.SEGMENTED_HEADER
assert SEG_HEADER.startswith("period,start_date,end_date,segment,cohort_customers,")
seg1 = (
    "customer_id,date,mrr,plan\n"
    "Y,2023-12-31,70,starter\n"
    "A,2024-01-31,100,starter\n"
    "B,2024-01-31,300,pro\n"
    "C,2024-01-31,80,\"  \"\n"
    "E,2024-01-31,50,starter\n"
    "A,2024-02-29,150,pro\n"
    "B,2024-02-29,0,pro\n"
    "E,2024-02-29,50,starter\n"
    "A,2024-03-31,200,pro\n"
    "B,2024-03-31,250,starter\n"
    "C,2024-03-31,80,\n"
    "D,2024-03-31,60,starter\n"
    "Y,2024-03-31,90,pro\n"
)
# Window 1.
#  2024-01 (Dec -> Jan): cohort Y (starter, frozen at Dec) churns 70.
#     New at Jan, segment at the end (Jan): A starter 100, E starter 50,
#     B pro 300, C (blank) 80.
#  2024-02 (Jan -> Feb): A is frozen at Jan = starter although its Feb row
#     says pro: expansion 50 in starter; E flat (starter); B churn 300 (pro);
#     C churn 80 (blank). Y is 0 at Feb: in no segment.
#     starter: start 150, ending 200, ndr 1.3333; (all): start 530, ending 200,
#     ndr 200/530 = 0.37735.. -> 0.3774, grr 150/530 = 0.28301.. -> 0.2830.
#  2024-03 (Feb -> Mar): now A's segment is pro (its Feb row): expansion 50.
#     E churn 50 (starter). B was 0 at Feb, had MRR before -> reactivation
#     250, segment at the end = starter. C reactivation 80 (blank).
#     Y reactivation 90 (pro). D new 60 (starter).
#     (all): start 200, exp 50, churn 50, ending 200, ndr 1.0000, grr 0.7500,
#     reactivation 420 (3), new 60. Invariant: 200+250+80+60+90 = 680 = 200+420+60.
seg1_w1 = [
    "2024-01,2023-12-31,2024-01-31,(blank),0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,,,0.00,0,80.00,1",
    "2024-01,2023-12-31,2024-01-31,pro,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,,,0.00,0,300.00,1",
    "2024-01,2023-12-31,2024-01-31,starter,1,0,0,0,1,70.00,0.00,0.00,70.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,150.00,2",
    "2024-01,2023-12-31,2024-01-31,(all),1,0,0,0,1,70.00,0.00,0.00,70.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,530.00,4",
    "2024-02,2024-01-31,2024-02-29,(blank),1,0,0,0,1,80.00,0.00,0.00,80.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,pro,1,0,0,0,1,300.00,0.00,0.00,300.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,starter,2,2,1,0,0,150.00,50.00,0.00,0.00,200.00,"
    "1.3333,1.0000,1.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,(all),4,2,1,0,2,530.00,50.00,0.00,380.00,200.00,"
    "0.3774,0.2830,0.5000,0.00,0,0.00,0",
    "2024-03,2024-02-29,2024-03-31,(blank),0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,,,80.00,1,0.00,0",
    "2024-03,2024-02-29,2024-03-31,pro,1,1,1,0,0,150.00,50.00,0.00,0.00,200.00,"
    "1.3333,1.0000,1.0000,90.00,1,0.00,0",
    "2024-03,2024-02-29,2024-03-31,starter,1,0,0,0,1,50.00,0.00,0.00,50.00,0.00,"
    "0.0000,0.0000,0.0000,250.00,1,60.00,1",
    "2024-03,2024-02-29,2024-03-31,(all),2,1,1,0,1,200.00,50.00,0.00,50.00,200.00,"
    "1.0000,0.7500,0.5000,420.00,3,60.00,1",
]
check("segments, window 1 (frozen at start, blank)", seg1,
      ["--segment-by", "plan"], seg1_w1, header=SEG_HEADER)
check("segments, column name case-insensitive", seg1,
      ["--segment-by", "PLAN"], seg1_w1, header=SEG_HEADER)
# Window 2.
#  2024-02 (Dec -> Feb, Jan between): cohort Y (starter) dipped at Jan and ends
#     at 0: churn 70. A was 0 at Dec and never before -> new 150, segment at the
#     END (Feb) = pro. E new 50 (starter). B, C are 0 at Feb: nowhere, so no
#     (blank) row in this period. Same under both policies.
#  2024-03 (Jan -> Mar, Feb between): cohort A 100 starter (frozen at Jan,
#     though pro at Feb and Mar), B 300 pro, C 80 (blank), E 50 starter = 530.
#   separate: A expansion 100 (starter); E churn 50 (starter); D new 60 (starter).
#     B dipped (Feb 0): churn 300 and reactivation 250, both in pro (frozen,
#     though B's Mar row says starter). C dipped (no Feb row): churn 80 and
#     reactivation 80 in (blank). Y outside the cohort, MRR before the start
#     -> reactivation 90, segment at the end = pro.
#     (blank): ndr 0; pro: reactivation 250+90 = 340 (2); starter: start 150,
#     ending 200, ndr 1.3333, grr 100/150 = 0.6667, logo 0.5000.
#     (all): start 530, exp 100, churn 430 (3), ending 200, ndr 0.3774,
#     grr 100/530 = 0.18867.. -> 0.1887, logo 0.2500, reactivation 420 (3), new 60.
#   include: B contraction 50 (pro); C flat (blank); others as above.
#     pro: ending 250, ndr 0.8333; (all): start 530, exp 100, contraction 50,
#     churn 50, ending 530, ndr 1.0000, grr 430/530 = 0.81132.. -> 0.8113,
#     logo 3/4, reactivation 90 (1), new 60 (1).
seg1_w2_feb = [
    "2024-02,2023-12-31,2024-02-29,pro,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,,,0.00,0,150.00,1",
    "2024-02,2023-12-31,2024-02-29,starter,1,0,0,0,1,70.00,0.00,0.00,70.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,50.00,1",
    "2024-02,2023-12-31,2024-02-29,(all),1,0,0,0,1,70.00,0.00,0.00,70.00,0.00,"
    "0.0000,0.0000,0.0000,0.00,0,200.00,2",
]
check("segments, window 2, separate (dip keeps the start segment)", seg1,
      ["--segment-by", "plan", "--window", "2"], seg1_w2_feb + [
    "2024-03,2024-01-31,2024-03-31,(blank),1,0,0,0,1,80.00,0.00,0.00,80.00,0.00,"
    "0.0000,0.0000,0.0000,80.00,1,0.00,0",
    "2024-03,2024-01-31,2024-03-31,pro,1,0,0,0,1,300.00,0.00,0.00,300.00,0.00,"
    "0.0000,0.0000,0.0000,340.00,2,0.00,0",
    "2024-03,2024-01-31,2024-03-31,starter,2,1,1,0,1,150.00,100.00,0.00,50.00,200.00,"
    "1.3333,0.6667,0.5000,0.00,0,60.00,1",
    "2024-03,2024-01-31,2024-03-31,(all),4,1,1,0,3,530.00,100.00,0.00,430.00,200.00,"
    "0.3774,0.1887,0.2500,420.00,3,60.00,1",
], header=SEG_HEADER)
check("segments, window 2, include", seg1,
      ["--segment-by", "plan", "--window", "2", "--reactivation", "include"],
      seg1_w2_feb + [
    "2024-03,2024-01-31,2024-03-31,(blank),1,1,0,0,0,80.00,0.00,0.00,0.00,80.00,"
    "1.0000,1.0000,1.0000,0.00,0,0.00,0",
    "2024-03,2024-01-31,2024-03-31,pro,1,1,0,1,0,300.00,0.00,50.00,0.00,250.00,"
    "0.8333,0.8333,1.0000,90.00,1,0.00,0",
    "2024-03,2024-01-31,2024-03-31,starter,2,1,1,0,1,150.00,100.00,0.00,50.00,200.00,"
    "1.3333,0.6667,0.5000,0.00,0,60.00,1",
    "2024-03,2024-01-31,2024-03-31,(all),4,3,1,1,1,530.00,100.00,50.00,50.00,530.00,"
    "1.0000,0.8113,0.7500,90.00,1,60.00,1",
], header=SEG_HEADER)


def all_rows_equal_unsegmented(name, texts, seg_opts, opts):
    """The (all) rows, segment column removed, equal the unsegmented report."""
    plain = run(texts, *opts).split("\n")
    segd = run(texts, *seg_opts, *opts).split("\n")
    assert segd[0] == SEG_HEADER, name
    totals = []
    for line in segd[1:-1]:
        f = line.split(",")
        if f[3] == "(all)":
            totals.append(",".join(f[:3] + f[4:]))
    assert totals == plain[1:-1], name
    print(f"ok   {name}")


all_rows_equal_unsegmented("segments: (all) rows = unsegmented report", seg1,
                           ["--segment-by", "plan"], ["--window", "2"])

# ---------------------------------------------------------------------------
# 8. Two segment columns, largest-amount row with ties, two files, quoting.
#    --segment-by plan --segment-by REGION; label "plan / region".
#    File 1 (Jan rows), file 2 (other column order; T's second Jan row, Feb).
#      P Jan: 100 starter/NA, 300 pro/EU, 50 pro/NA -> largest 300: "pro / EU";
#             s = 450; Feb 450 -> flat.
#      Q Jan: 200 starter/NA, 200 pro/APAC (tie: first read) -> "starter / NA";
#             s = 400; Feb 450 -> expansion 50.
#      T Jan: 40 growth/"" in file 1, 40 pro/EU in file 2 (tie across files:
#             file 1 is read first) -> "growth / (blank)"; s = 80; Feb 0 -> churn.
#      U Jan: 10 starter/NA, -5 pro/EU -> "starter / NA"; s = 5; Feb 5 -> flat.
#      V Feb: 30 "Pro, Plus"/NA, 30 x/y (tie) -> "Pro, Plus / NA"; new 60.
#      W Feb: 7.5 'say "hi"'/"  " -> 'say "hi" / (blank)'; new 7.50.
#    Byte order: "Pro, Plus / NA" (P 0x50) < "growth / (blank)" < "pro / EU"
#      < 'say "hi" / (blank)' < "starter / NA".
#    starter / NA: start 405, exp 50, ending 455, ndr 455/405 = 1.12345.. -> 1.1235.
#    (all): start 450+400+80+5 = 935, exp 50, churn 80, ending 905,
#      ndr 905/935 = 0.96791.. -> 0.9679, grr 855/935 = 0.91443.. -> 0.9144,
#      logo 3/4, new 67.50 (2). Invariant: 450+450+5+60+7.5 = 972.5 = 905+67.5.
# ---------------------------------------------------------------------------
seg2_files = [
    "customer_id,date,mrr,Plan,Region\n"
    "P,2024-01-31,100,starter,NA\n"
    "P,2024-01-31,300,pro,EU\n"
    "P,2024-01-31,50,pro,NA\n"
    "Q,2024-01-31,200,starter,NA\n"
    "Q,2024-01-31,200,pro,APAC\n"
    "T,2024-01-31,40,growth,\n"
    "U,2024-01-31,10,starter,NA\n"
    "U,2024-01-31,-5,pro,EU\n",
    "region,plan,MRR,Date,Customer_ID\n"
    "EU,pro,40,2024-01-31,T\n"
    "EU,pro,450,2024-02-29,P\n"
    "NA,starter,450,2024-02-29,Q\n"
    ",,0,2024-02-29,T\n"
    "NA,starter,5,2024-02-29,U\n"
    "NA,\"Pro, Plus\",30,2024-02-29,V\n"
    "y,x,30,2024-02-29,V\n"
    "  ,\"say \"\"hi\"\"\",7.5,2024-02-29,W\n",
]
seg2_opts = ["--segment-by", "plan", "--segment-by", "REGION"]
check("two segment columns, largest row, ties, quoting", seg2_files, seg2_opts, [
    "2024-02,2024-01-31,2024-02-29,\"Pro, Plus / NA\",0,0,0,0,0,"
    "0.00,0.00,0.00,0.00,0.00,,,,0.00,0,60.00,1",
    "2024-02,2024-01-31,2024-02-29,growth / (blank),1,0,0,0,1,"
    "80.00,0.00,0.00,80.00,0.00,0.0000,0.0000,0.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,pro / EU,1,1,0,0,0,"
    "450.00,0.00,0.00,0.00,450.00,1.0000,1.0000,1.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,\"say \"\"hi\"\" / (blank)\",0,0,0,0,0,"
    "0.00,0.00,0.00,0.00,0.00,,,,0.00,0,7.50,1",
    "2024-02,2024-01-31,2024-02-29,starter / NA,2,2,1,0,0,"
    "405.00,50.00,0.00,0.00,455.00,1.1235,1.0000,1.0000,0.00,0,0.00,0",
    "2024-02,2024-01-31,2024-02-29,(all),4,3,1,0,1,"
    "935.00,50.00,0.00,80.00,905.00,0.9679,0.9144,0.7500,0.00,0,67.50,2",
], header=SEG_HEADER)
# Files in the other order: T's tie is now won by file 2's row (pro / EU).
out = run(list(reversed(seg2_files)), *seg2_opts)
assert ("2024-02,2024-01-31,2024-02-29,pro / EU,2,1,0,0,1,530.00,0.00,0.00,80.00,"
        "450.00,0.8491,0.8491,0.5000,0.00,0,0.00,0\n") in out, out
assert "growth" not in out
print("ok   tie across files follows command-line order")
all_rows_equal_unsegmented("two columns: (all) rows = unsegmented report",
                           seg2_files, seg2_opts, [])
# The same row's ledger, with the segment column and quoting.
check("movements with two segment columns", seg2_files,
      ["--at", "2024-02"] + seg2_opts, [
    "Q,starter / NA,400.00,450.00,expansion,50.00",
    "T,growth / (blank),80.00,0.00,churn,-80.00",
    "P,pro / EU,450.00,450.00,flat,0.00",
    "U,starter / NA,5.00,5.00,flat,0.00",
    "V,\"Pro, Plus / NA\",0.00,60.00,new,60.00",
    "W,\"say \"\"hi\"\" / (blank)\",0.00,7.50,new,7.50",
], mode="movements", header="customer_id,segment,start_mrr,end_mrr,movement,delta")
run(seg1, "--segment-by", "tier", expect_rc=1)             # no such column
run(seg1, "--segment-by", "tier", "--at", "2024-02", mode="movements", expect_rc=1)
print("ok   segment errors")

# ---------------------------------------------------------------------------
# 9. Movements ledger: every kind, both policies, row 2024-03 with --window 2
#    (start 2024-01-31, end 2024-03-31, 2024-02-29 strictly between).
#      EX1 100 | 100 | 130   expansion +30
#      EX2  10 |  10 |  50   expansion +40
#      CO  200 | 200 | 150   contraction -50
#      CH   60 |  60 |   -   churn -60
#      FL   70 |  70 |  70   flat
#      FM   25 |  25 |  25   flat
#      DP   90 |   0 | 110   separate: churn -90 + reactivation +110; include: expansion +20
#      DD   40 |   - |  30   separate: churn -40 + reactivation +30;  include: contraction -10
#      DF   35 |   - |  35   separate: churn -35 + reactivation +35;  include: flat
#      RO  (Dec 2023: 15) | Mar 45   outside the cohort, MRR before -> reactivation +45
#      n1, N2            Mar 20 each  new +20 (equal |delta|: byte order, "N2" < "n1")
#  separate: cohort 9, start 630; expansion 70 (2), contraction 50 (1),
#    churn 60+90+40+35 = 225 (4), retained 5; ending 630+70-50-225 = 425,
#    ndr 425/630 = 0.67460.. -> 0.6746, grr 355/630 = 0.56349.. -> 0.5635,
#    logo 5/9 = 0.5556; reactivation 110+45+35+30 = 220 (4); new 40 (2).
#  include: expansion 90 (3), contraction 60 (2), churn 60 (1), retained 8,
#    ending 600, ndr 0.9524, grr 510/630 = 0.80952.. -> 0.8095, logo 0.8889,
#    reactivation 45 (1), new 40 (2).
#  End total 130+50+150+70+25+110+30+35+45+20+20 = 685 = 425+220+40 = 600+45+40.
# ---------------------------------------------------------------------------
ledger = "customer_id,date,mrr\nRO,2023-12-31,15\n"
for cid, jan, feb, mar in [("EX1", 100, 100, 130), ("EX2", 10, 10, 50),
                           ("CO", 200, 200, 150), ("CH", 60, 60, None),
                           ("FL", 70, 70, 70), ("FM", 25, 25, 25),
                           ("DP", 90, 0, 110), ("DD", 40, None, 30),
                           ("DF", 35, None, 35), ("RO", None, None, 45),
                           ("n1", None, None, 20), ("N2", None, None, 20)]:
    for date, v in [("2024-01-31", jan), ("2024-02-29", feb), ("2024-03-31", mar)]:
        if v is not None:
            ledger += f"{cid},{date},{v}\n"
MOV_HEADER = "customer_id,start_mrr,end_mrr,movement,delta"
ledger_separate = [
    "EX2,10.00,50.00,expansion,40.00",
    "EX1,100.00,130.00,expansion,30.00",
    "CO,200.00,150.00,contraction,-50.00",
    "DP,90.00,110.00,churn,-90.00",
    "CH,60.00,0.00,churn,-60.00",
    "DD,40.00,30.00,churn,-40.00",
    "DF,35.00,35.00,churn,-35.00",
    "FL,70.00,70.00,flat,0.00",
    "FM,25.00,25.00,flat,0.00",
    "DP,90.00,110.00,reactivation,110.00",
    "RO,0.00,45.00,reactivation,45.00",
    "DF,35.00,35.00,reactivation,35.00",
    "DD,40.00,30.00,reactivation,30.00",
    "N2,0.00,20.00,new,20.00",
    "n1,0.00,20.00,new,20.00",
]
ledger_include = [
    "EX2,10.00,50.00,expansion,40.00",
    "EX1,100.00,130.00,expansion,30.00",
    "DP,90.00,110.00,expansion,20.00",
    "CO,200.00,150.00,contraction,-50.00",
    "DD,40.00,30.00,contraction,-10.00",
    "CH,60.00,0.00,churn,-60.00",
    "DF,35.00,35.00,flat,0.00",
    "FL,70.00,70.00,flat,0.00",
    "FM,25.00,25.00,flat,0.00",
    "RO,0.00,45.00,reactivation,45.00",
    "N2,0.00,20.00,new,20.00",
    "n1,0.00,20.00,new,20.00",
]
ledger_row_separate = ("2024-03,2024-01-31,2024-03-31,9,5,2,1,4,630.00,70.00,50.00,"
                       "225.00,425.00,0.6746,0.5635,0.5556,220.00,4,40.00,2")
ledger_row_include = ("2024-03,2024-01-31,2024-03-31,9,8,3,2,1,630.00,90.00,60.00,"
                      "60.00,600.00,0.9524,0.8095,0.8889,45.00,1,40.00,2")


def ledger_sums_match(name, ledger_lines, report_line):
    """Sums and counts of the ledger equal the report row's movement columns."""
    r = dict(zip(HEADER.split(","), report_line.split(",")))
    sums = {k: F(0) for k in ndr_ref.MOVEMENT_KINDS}
    counts = {k: 0 for k in ndr_ref.MOVEMENT_KINDS}
    cohort = {}
    for line in ledger_lines:
        cid, s, e, kind, delta = line.split(",")
        sums[kind] += F(delta)
        counts[kind] += 1
        if F(s) > 0:
            cohort[cid] = F(s)
    assert sums["expansion"] == F(r["expansion_mrr"]), name
    assert -sums["contraction"] == F(r["contraction_mrr"]), name
    assert -sums["churn"] == F(r["churned_mrr"]), name
    assert sums["flat"] == 0, name
    assert sums["reactivation"] == F(r["reactivation_mrr"]), name
    assert sums["new"] == F(r["new_mrr"]), name
    for kind, col in [("expansion", "expanded_customers"),
                      ("contraction", "contracted_customers"),
                      ("churn", "churned_customers"),
                      ("reactivation", "reactivated_customers"),
                      ("new", "new_customers")]:
        assert counts[kind] == int(r[col]), (name, kind)
    assert len(cohort) == int(r["cohort_customers"]), name
    assert sum(cohort.values()) == F(r["starting_mrr"]), name
    print(f"ok   {name}")


for policy, lines, row in [("separate", ledger_separate, ledger_row_separate),
                           ("include", ledger_include, ledger_row_include)]:
    out = run(ledger, "--window", "2", "--reactivation", policy)
    assert row + "\n" in out, (policy, out)
    check(f"movements ledger, every kind, {policy}", ledger,
          ["--at", "2024-03", "--window", "2", "--reactivation", policy], lines,
          mode="movements", header=MOV_HEADER)
    ledger_sums_match(f"ledger sums = report row, {policy}", lines, row)
# Default policy is separate; the report invocation also takes "report" first.
assert run(ledger, "--at", "2024-03", "--window", "2", mode="movements") == \
    MOV_HEADER + "\n" + "\n".join(ledger_separate) + "\n"
assert run(ledger, "--window", "2", mode="report") == run(ledger, "--window", "2")
# Window 1, row 2024-02 (Jan -> Feb): DP (explicit 0) and DD, DF (no row at
# Feb) churn, by |delta| descending; the six flat lines all have delta 0, so
# they are in customer_id byte order. RO, n1, N2 are 0 at Feb: no line.
check("movements, window 1, 2024-02", ledger, ["--at", "2024-02"], [
    "DP,90.00,0.00,churn,-90.00",
    "DD,40.00,0.00,churn,-40.00",
    "DF,35.00,0.00,churn,-35.00",
    "CH,60.00,60.00,flat,0.00",
    "CO,200.00,200.00,flat,0.00",
    "EX1,100.00,100.00,flat,0.00",
    "EX2,10.00,10.00,flat,0.00",
    "FL,70.00,70.00,flat,0.00",
    "FM,25.00,25.00,flat,0.00",
], mode="movements", header=MOV_HEADER)
# Rounding of the printed ledger: -0.004 prints 0.00, 2.005 -> 2.01, -2.005 -> -2.01.
check("movements rounding", "customer_id,date,mrr\nT,2024-01-31,1.004\n"
      "T,2024-02-29,1\nU,2024-01-31,2.005\nU,2024-02-29,0\n", ["--at", "2024-02"], [
    "T,1.00,1.00,contraction,0.00",
    "U,2.01,0.00,churn,-2.01",
], mode="movements", header=MOV_HEADER)
run(ledger, "--at", "2023-12", mode="movements", expect_rc=1)   # first period: no start
run(ledger, "--at", "2024-01", "--window", "2", mode="movements", expect_rc=1)  # no 2023-11
run(ledger, "--at", "2024-04", mode="movements", expect_rc=1)   # beyond the data
run(ledger, "--at", "2024-Q1", mode="movements", expect_rc=1)   # label of another period kind
run(ledger, mode="movements", expect_rc=2)                      # --at is required
print("ok   movements errors")

# ---------------------------------------------------------------------------
# 10. Cohort triangle, hand-worked.
#      A  Jan 100 | Feb 120 | Mar 120
#      B  Jan  50 | Feb   0 | Mar  60   (churns in Feb, returns in Mar: stays in 2024-01)
#      C  Jan  30 | Feb   - | Mar   -   (churns)
#      D  Jan   - | Feb  80 | Mar  40
#      E  Jan   0 | Feb  20 | Mar   -   (first MRR > 0 in Feb: cohort 2024-02)
#      Z  Jan   0                        (never > 0: in no cohort)
#    2024-01: A, B, C (3), starting 180.
#      age 0: 180, 1.0000, 3/3; age 1: 120 -> 0.6667, 1/3 -> 0.3333;
#      age 2: 120 + 60 = 180 -> 1.0000, 2/3 -> 0.6667.
#    2024-02: D, E (2), starting 100. age 0: 100; age 1: 40 -> 0.4000, 1/2.
# ---------------------------------------------------------------------------
cohort_data = (
    "customer_id,date,mrr\n"
    "A,2024-01-31,100\nB,2024-01-31,50\nC,2024-01-31,30\nE,2024-01-31,0\nZ,2024-01-31,0\n"
    "A,2024-02-29,120\nB,2024-02-29,0\nD,2024-02-29,80\nE,2024-02-29,20\n"
    "A,2024-03-31,120\nB,2024-03-31,60\nD,2024-03-31,40\n"
)
COH_HEADER = "cohort,age,customers,starting_mrr,mrr,revenue_retention,logo_retention"
check("cohort triangle, months", cohort_data, [], [
    "2024-01,0,3,180.00,180.00,1.0000,1.0000",
    "2024-01,1,3,180.00,120.00,0.6667,0.3333",
    "2024-01,2,3,180.00,180.00,1.0000,0.6667",
    "2024-02,0,2,100.00,100.00,1.0000,1.0000",
    "2024-02,1,2,100.00,40.00,0.4000,0.5000",
], mode="cohorts", header=COH_HEADER)
# Quarters: everything is in 2024-Q1; period-end snapshot 2024-03-31. The
#   triangle samples period ends: A 120, B 60, D 40 pay there (3), 220; C and
#   E paid only between quarter ends and are in no cohort.
check("cohort triangle, one quarter", cohort_data, ["--period", "quarter"], [
    "2024-Q1,0,3,220.00,220.00,1.0000,1.0000",
], mode="cohorts", header=COH_HEADER)
# Gaps: snapshot dates 2024-01-15, 2024-01-31, 2024-04-30; period ends
#   2024-01-31 and 2024-04-30 (Feb and Mar have no snapshot).
#   G: 50 on 01-15 (not a period end), no row 01-31 (= 0), 70 on 04-30: its
#      first period end with MRR > 0 is 04-30 -> cohort 2024-04.
#   H: never > 0. K: 5 on 04-30 -> cohort 2024-04. So one cohort, G and K, 75.
gaps = ("customer_id,date,mrr\nG,2024-01-15,50\nH,2024-01-31,0\n"
        "G,2024-04-30,70\nK,2024-04-30,5\n")
check("cohorts with gaps and a payer between period ends", gaps, [], [
    "2024-04,0,2,75.00,75.00,1.0000,1.0000",
], mode="cohorts", header=COH_HEADER)
# Fiscal quarters (start April): 2024-01 is FY2024-Q4 (period end 01-31, where
# G pays 0), 2024-04 is FY2025-Q1 (04-30: G 70, K 5).
check("cohorts, fiscal quarters", gaps, ["--period", "quarter", "--fiscal-year-start", "4"], [
    "FY2025-Q1,0,2,75.00,75.00,1.0000,1.0000",
], mode="cohorts", header=COH_HEADER)
run(gaps, "--window", "2", mode="cohorts", expect_rc=2)

# ---------------------------------------------------------------------------
# 11. Consistency on the realistic sample (exact, through the module):
#     per period the segments' additive columns sum to the (all) row, which
#     equals the unsegmented row; the ledger sums equal every row.
# ---------------------------------------------------------------------------
SAMPLE = os.path.join(HERE, "..", "..", "samples", "realistic.csv")
if os.path.exists(SAMPLE):
    ADDITIVE = ["cohort_customers", "retained_customers", "expanded_customers",
                "contracted_customers", "churned_customers", "starting_mrr",
                "expansion_mrr", "contraction_mrr", "churned_mrr", "ending_mrr",
                "reactivation_mrr", "reactivated_customers", "new_mrr", "new_customers"]
    for cols, window, policy in [(["plan"], 1, "separate"),
                                 (["plan", "region"], 3, "include")]:
        totals, seg_at = ndr_ref.read_data([SAMPLE], cols)
        plain = ndr_ref.compute_rows(totals, "month", 1, window, policy)
        segd = ndr_ref.compute_rows(totals, "month", 1, window, policy, seg_at)
        alls = [r for r in segd if r["segment"] == "(all)"]
        assert [dict(r, segment=None) for r in alls] == \
            [dict(r, segment=None) for r in plain]
        acc = None
        for r in segd:
            if acc is None:
                acc = {k: 0 for k in ADDITIVE}
            if r["segment"] == "(all)":
                assert all(acc[k] == r[k] for k in ADDITIVE), r["period"]
                acc = None
            else:
                for k in ADDITIVE:
                    acc[k] += r[k]
        for r in plain:
            _, lines = ndr_ref.compute_movements(totals, r["period"], "month", 1,
                                                 window, policy)
            got = {k: sum((l["delta"] for l in lines if l["movement"] == k), F(0))
                   for k in ndr_ref.MOVEMENT_KINDS}
            assert got["expansion"] == r["expansion_mrr"]
            assert -got["contraction"] == r["contraction_mrr"]
            assert -got["churn"] == r["churned_mrr"]
            assert got["reactivation"] == r["reactivation_mrr"]
            assert got["new"] == r["new_mrr"]
    print("ok   realistic sample: segments add up, ledgers match the report")

print("all reference self-checks passed")
