#!/usr/bin/env python3
"""Differential test of the docs/inputs.md features: the C++ binary against the
independent reference tests/reference/ndr_ref_inputs.py.

Seeded random data sets of subscription files (every interval, interval_count
1-3, decimal and zero quantities, open-ended and cancelled subscriptions, ends
on month ends, statuses with --exclude-status, amounts built to hit
half-to-even ties), currencies USD/EUR/JPY with a random rates file, customer
maps with chains, both fx modes, periods, windows, --snapshot-day, --as-of.

For each case:
  report     `NDR report FILES --input subscriptions ... --format csv` against
             `REF report FILES --input subscriptions ...` (stdout byte for byte,
             and both exit 0 or both non-zero);
  snapshots  `NDR snapshots FILES --input subscriptions [derivation options]
             --format csv` against `REF snapshots ...`;
  roundtrip  `NDR report` on the snapshot file ndr wrote, with the same
             currency / --fx / --customer-map / period options, against the
             reference report (docs/inputs.md: it prints exactly the same);
  ref        the reference's own round trip (reference snapshots -> reference
             report) equals the reference report.
Cases with two currencies and no --fx (an error for `report`) skip the
snapshot checks: whether `ndr snapshots` checks currencies is not written down.

Usage: differential_inputs.py NDR_BINARY REF_SCRIPT [--cases 60] [--seed 0]
                              [--only SEED] [--keep DIR]
"""
import argparse
import calendar
import csv
import datetime
import os
import random
import shlex
import subprocess
import sys
import tempfile
from fractions import Fraction

FACTOR = {"day": Fraction(365, 12), "week": Fraction(52, 12), "month": Fraction(1),
          "quarter": Fraction(1, 3), "year": Fraction(1, 12)}
STATUSES = ["active", "Active", "ACTIVE", " active ", "trialing", "Trialing", "canceled",
            "past_due", " Past_Due "]
EXCLUDABLE = ["trialing", "TRIALING", " canceled", "Past_due", "incomplete"]


def dec(x):
    """Shortest exact decimal text of a Fraction with a terminating expansion."""
    x = Fraction(x)
    p = 0
    while (x * 10 ** p).denominator != 1:
        p += 1
    n = abs(x * 10 ** p).numerator
    if p == 0:
        s = str(n)
    else:
        s = str(n).rjust(p + 1, "0")
        s = s[:-p] + "." + s[-p:]
    return "-" + s if x < 0 else s


def month_end(d):
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return datetime.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def rand_case(r, word):
    k = r.random()
    if k < 0.6:
        return word
    if k < 0.8:
        return word.upper()
    return word.capitalize()


def grouped(x):
    """A quoted amount with thousands separators: "12,345.5"."""
    text = dec(x)
    whole, _, frac = text.partition(".")
    return '"' + f"{int(whole):,}" + ("." + frac if frac else "") + '"'


def random_amount(r, lo=1, hi=5000):
    places = r.choice([0, 0, 1, 2, 2, 2, 3, 4, 5, 6])
    whole = r.randrange(lo, hi)
    frac = r.randrange(0, 10 ** places) if places else 0
    return Fraction(whole) + Fraction(frac, 10 ** places)


def tie_amount(r, interval, count, quantity):
    """An amount whose exact MRR has a 7th decimal of exactly 5 (a tie)."""
    for _ in range(400):
        a = Fraction(r.randrange(1, 5 * 10 ** 9), 10 ** 6)
        v = a * quantity * FACTOR[interval] / count
        if (v * 10 ** 7).denominator == 1 and (v * 10 ** 6).denominator == 2:
            return a
    return None


class Case:
    pass


def gen_case(seed):
    r = random.Random(seed * 7919 + 17)
    c = Case()
    c.seed = seed
    base = datetime.date(2022 + r.randrange(2), r.randrange(1, 13), r.randrange(1, 29))
    span = r.randrange(60, 720)                        # days
    last = base + datetime.timedelta(days=span)

    def rand_date():
        d = base + datetime.timedelta(days=r.randrange(span))
        k = r.random()
        if k < 0.15:
            d = month_end(d)
        elif k < 0.25:
            d = d.replace(day=1)
        return d

    # What kind of case.
    k = r.random()
    if k < 0.5:
        c.scheme = "fx"
    elif k < 0.72:
        c.scheme = "none"
    elif k < 0.94:
        c.scheme = "single"
    else:
        c.scheme = "mixed-nofx"                        # an error without --fx
    c.fx = c.scheme == "fx"
    c.fx_mode = r.choice(["constant", "spot"]) if c.fx else None
    reporting = "USD"
    currency_opt = None
    if c.fx:
        k = r.random()
        if k < 0.25:
            reporting = currency_opt = "EUR"
        elif k < 0.4:
            currency_opt = "USD"
    single = r.choice(["USD", "EUR", "JPY"])
    if c.scheme == "single" and r.random() < 0.3:
        currency_opt = single

    cols = ["customer_id", "start_date", "end_date", "amount"]
    optional = {"interval": 0.85, "interval_count": 0.7, "quantity": 0.7, "status": 0.5,
                "plan": 0.35}
    for col, p in optional.items():
        if r.random() < p:
            cols.append(col)
    if c.scheme != "none":
        cols.append("currency")
    r.shuffle(cols)
    header = [(h if h == "plan" or r.random() < 0.85 else h.upper()) for h in cols]

    n_cust = r.randrange(3, 16)
    pool = [r.choice(["c", "cust-", "acme"]) + f"{i:02d}" for i in range(n_cust)]
    pool = list(dict.fromkeys(pool))
    c.sparse = r.random() < 0.25        # few short subscriptions: dates where nothing counts
    n_subs = r.randrange(3, 9) if c.sparse else r.randrange(4, 45)

    def currency_cell(sub_cur):
        text = sub_cur
        if r.random() < 0.25:
            text = text.lower()
        if r.random() < 0.05:
            text = f" {text} "
        return text

    subs = []
    for i in range(n_subs + 1):
        anchor = i == 0                                # guarantees the span
        sub = {}
        cid = r.choice(pool)
        sub["customer_id"] = f" {cid} " if r.random() < 0.04 else cid
        start = base if anchor else rand_date()
        k = r.random()
        if anchor and c.sparse:
            end = base + datetime.timedelta(days=r.randrange(1, 60))
        elif anchor:
            end = month_end(last) if r.random() < 0.5 else None
        elif c.sparse and k < 0.7:
            end = start + datetime.timedelta(days=r.randrange(1, 90))
        elif k < 0.3:
            end = None
        elif k < 0.55:
            end = month_end(add_months(start, r.randrange(0, 12)))
            if end < start:
                end = None
        elif k < 0.62:
            end = start                                # never counts
        else:
            end = start + datetime.timedelta(days=r.randrange(1, 400))
        sub["start_date"] = start.isoformat()
        sub["end_date"] = end.isoformat() if end else ""
        interval = r.choice(list(FACTOR)) if "interval" in cols else "month"
        if "interval" in cols:
            sub["interval"] = rand_case(r, interval) if r.random() < 0.9 else ""
            if sub["interval"] == "":
                interval = "month"
        count = 1
        if "interval_count" in cols:
            count = r.choice([1, 1, 2, 3])
            sub["interval_count"] = "" if (count == 1 and r.random() < 0.3) else str(count)
        quantity = Fraction(1)
        if "quantity" in cols:
            qt = r.choice(["1", "1", "2", "0", "1.5", "0.333333", "3", "", "10", "0.25",
                           "7.000001"])
            sub["quantity"] = qt
            quantity = Fraction(qt) if qt else Fraction(1)
        cur = ""
        if c.scheme == "fx":
            cur = r.choice(["USD", "EUR", "EUR", "JPY", ""])
        elif c.scheme in ("single", "mixed-nofx"):
            cur = single if r.random() < 0.8 else ""
        if "currency" in cols:
            sub["currency"] = currency_cell(cur) if cur else ""
        k = r.random()
        amount = None
        if k < 0.2:
            amount, iv = r.choice([(Fraction(100), "quarter"), (Fraction(10), "week"),
                                   (Fraction(1), "day"), (Fraction(1200), "year"),
                                   (Fraction(100), "week"), (Fraction("99.99"), "quarter")])
            if "interval" in cols:
                sub["interval"] = iv
                interval = iv
            else:
                amount = None
        elif k < 0.4:
            amount = tie_amount(r, interval, count, quantity)
        if amount is None:
            if cur == "JPY":
                amount = Fraction(r.randrange(100, 600000))
            else:
                amount = random_amount(r)
        sub["amount"] = dec(amount) if r.random() < 0.9 else grouped(amount)
        if "status" in cols:
            sub["status"] = "active" if anchor else r.choice(STATUSES)
        if "plan" in cols:
            sub["plan"] = r.choice(["basic", "pro", "enterprise", ""])
        subs.append(sub)
    r.shuffle(subs)

    if c.scheme == "mixed-nofx":                        # one intruder that counts
        other = r.choice([x for x in ("USD", "EUR", "JPY") if x != single])
        intruder = dict(subs[0])
        intruder.update(start_date=base.isoformat(), end_date="", customer_id=pool[0])
        intruder["currency"] = other
        if "status" in cols:
            intruder["status"] = "active"
        subs.insert(r.randrange(len(subs) + 1), intruder)

    c.bad_row = r.random() < 0.03
    if c.bad_row:                                      # end before start: exit 1
        bad = dict(subs[0])
        bad.update(start_date=last.isoformat(), end_date=base.isoformat())
        if "status" in cols:
            bad["status"] = "active"
        subs.insert(r.randrange(len(subs) + 1), bad)

    def csv_text(rows):
        lines = [",".join(header)]
        for s in rows:
            lines.append(",".join(s[col] for col in cols))
        return "\r\n".join(lines) + "\r\n" if r.random() < 0.1 else "\n".join(lines) + "\n"

    c.files = {}
    if r.random() < 0.35 and len(subs) > 3:
        cut = r.randrange(1, len(subs))
        c.files["subs-a.csv"] = csv_text(subs[:cut])
        c.files["subs-b.csv"] = csv_text(subs[cut:])
    else:
        c.files["subs.csv"] = csv_text(subs)
    c.data = list(c.files)

    # Derivation options.
    c.deriv = ["--input", "subscriptions"]
    if r.random() < 0.35:
        as_of = base + datetime.timedelta(days=r.randrange(35, span + 90))
        if r.random() < 0.3:
            as_of = month_end(as_of)
        c.deriv += ["--as-of", as_of.isoformat()]
    if r.random() < 0.25:
        c.deriv += ["--snapshot-day", str(r.choice([1, 15, 28, 29, 30, 31,
                                                    r.randrange(1, 32)]))]
    if "status" in cols and r.random() < 0.5:
        c.deriv += ["--exclude-status", ",".join(r.sample(EXCLUDABLE, r.randrange(1, 4)))]
    c.segment = []
    if "plan" in cols and r.random() < 0.6:
        c.segment = ["--segment-by", "plan"]

    # Currency options and the rates file.
    c.money = []
    if currency_opt:
        c.money += ["--currency", currency_opt]
    if c.fx:
        rows = []
        late_ok = c.fx_mode == "constant"
        missing = r.choice(["EUR", "JPY", "USD"]) if r.random() < 0.1 else None
        for cur in ("USD", "EUR", "JPY", "GBP"):
            if cur == reporting:
                if r.random() < 0.3:
                    rows.append((base - datetime.timedelta(days=5), cur, "1"))
                continue
            if cur == missing:
                continue
            first = base - datetime.timedelta(days=r.randrange(0, 40))
            if late_ok and r.random() < 0.15:
                first = base + datetime.timedelta(days=r.randrange(20, span))
            dates = {first}
            for _ in range(r.randrange(0, 9)):
                d = first + datetime.timedelta(days=r.randrange(1, span + 60))
                dates.add(month_end(d) if r.random() < 0.3 else d)
            for d in sorted(dates):
                if cur == "JPY":
                    rate = Fraction(r.randrange(600000, 760000), 10 ** 8)
                    if r.random() < 0.3:
                        rate = Fraction(r.choice([67, 66, 70]), 10000)
                elif cur == "EUR":
                    rate = Fraction(r.randrange(105000000, 125000000), 10 ** 8)
                    rate = Fraction(round(rate * 10 ** (p := r.randrange(2, 9))), 10 ** p)
                else:
                    rate = Fraction(r.randrange(80000000, 95000000), 10 ** 8)
                    rate = Fraction(round(rate * 10 ** (p := r.randrange(2, 9))), 10 ** p)
                rows.append((d, cur, dec(rate)))
        r.shuffle(rows)
        order = ["date", "currency", "rate"]
        r.shuffle(order)
        hdr = [h.upper() if r.random() < 0.2 else h for h in order]
        lines = [",".join(hdr)]
        for d, cur, rate in rows:
            vals = {"date": d.isoformat(), "currency": cur, "rate": rate}
            lines.append(",".join(vals[h] for h in order))
        c.files["rates.csv"] = "\n".join(lines) + "\n"
        c.money += ["--fx", "rates.csv", "--fx-mode", c.fx_mode]

    # Customer map: a forest (children point later in a random order, or to a
    # group id), so chains but no cycle unless we add one on purpose.
    c.map = []
    if r.random() < 0.35:
        order = list(pool)
        r.shuffle(order)
        groups = [f"group-{i}" for i in range(r.randrange(1, 3))]
        lines = [r.choice(["customer_id,parent_id", "Customer_ID,Parent_ID"])]
        entries = []
        for i, child in enumerate(order):
            k = r.random()
            if k < 0.35 and i + 1 < len(order):
                entries.append((child, r.choice(order[i + 1:])))
            elif k < 0.55:
                entries.append((child, r.choice(groups)))
            elif k < 0.6:
                entries.append((child, ""))
            elif k < 0.65:
                entries.append((child, child))
        if entries and r.random() < 0.1:
            entries.append(entries[0])                  # the same line twice
        if (r.random() < 0.06 and len(order) > 2
                and all(child != order[-1] for child, _ in entries)):
            entries.append((order[-1], order[0]))       # a cycle if order[0] leads there
        for child, parent in entries:
            lines.append(f"{child},{parent}")
        c.files["map.csv"] = "\n".join(lines) + "\n"
        c.map = ["--customer-map", "map.csv"]

    k = r.random()
    c.period = []
    if k < 0.25:
        c.period = ["--period", "quarter"]
        if r.random() < 0.3:
            c.period += ["--fiscal-year-start", str(r.randrange(1, 13))]
    elif k < 0.3:
        c.period = ["--period", "year"]
    w = r.choice([1, 1, 2, 3])
    if w != 1 or r.random() < 0.2:
        c.period += ["--window", str(w)]
    if r.random() < 0.3:
        c.period += ["--reactivation", "include"]
    return c


class Runner:
    def __init__(self, ndr, ref, cwd):
        self.ndr, self.ref, self.cwd = ndr, ref, cwd
        self.checks = 0
        self.failures = 0

    def run(self, cmd):
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.cwd)
        return p.returncode, p.stdout, p.stderr

    def compare(self, label, cmd_a, res_a, cmd_b, res_b):
        self.checks += 1
        (rc1, out1, err1), (rc2, out2, err2) = res_a, res_b
        same_status = (rc1 == 0) == (rc2 == 0)
        if same_status and (rc1 != 0 or out1 == out2):
            return True
        self.failures += 1
        print(f"FAIL {label}")
        print(f"  (cd {self.cwd} && {shlex.join(cmd_a)})   # exit {rc1}")
        print(f"  (cd {self.cwd} && {shlex.join(cmd_b)})   # exit {rc2}")
        if not same_status:
            for name, err in (("ndr", err1), ("ref", err2)):
                if err.strip():
                    print(f"  {name} stderr: {err.strip().splitlines()[0]}")
        a, b = out1.splitlines(), out2.splitlines()
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                print(f"  line {i + 1}\n    ndr: {x}\n    ref: {y}")
                break
        else:
            if len(a) != len(b):
                print(f"  {len(a)} lines vs {len(b)} lines")
        return False


def run_case(c, ndr, ref, tmp):
    for name, text in c.files.items():
        with open(os.path.join(tmp, name), "w", newline="") as f:
            f.write(text)
    R = Runner(ndr, ref, tmp)
    py = [sys.executable, ref]
    tag = f"seed {c.seed} ({c.scheme}{' ' + c.fx_mode if c.fx else ''})"

    # report
    opts = c.data + c.deriv + c.money + c.map + c.period + c.segment
    cmd_n = [ndr, "report", *opts, "--format", "csv"]
    cmd_r = py + ["report", *opts]
    ref_report = R.run(cmd_r)
    R.compare(f"{tag} report", cmd_n, R.run(cmd_n), cmd_r, ref_report)

    if c.scheme == "mixed-nofx":
        return R          # whether `ndr snapshots` checks currencies is not written down
    # snapshots
    sopts = c.data + c.deriv + c.segment
    cmd_n = [ndr, "snapshots", *sopts, "--format", "csv"]
    cmd_r = py + ["snapshots", *sopts]
    ndr_snaps = R.run(cmd_n)
    ref_snaps = R.run(cmd_r)
    R.compare(f"{tag} snapshots", cmd_n, ndr_snaps, cmd_r, ref_snaps)

    # round trip through ndr's own snapshot file
    ropts = c.money + c.map + c.period + c.segment
    if ndr_snaps[0] == 0:
        with open(os.path.join(tmp, "ndr-snaps.csv"), "w", newline="") as f:
            f.write(ndr_snaps[1])
        cmd_n = [ndr, "report", "ndr-snaps.csv", *ropts, "--format", "csv"]
        R.compare(f"{tag} roundtrip", cmd_n, R.run(cmd_n), py + ["report", *opts], ref_report)
    # the reference's own round trip
    if ref_snaps[0] == 0:
        with open(os.path.join(tmp, "ref-snaps.csv"), "w", newline="") as f:
            f.write(ref_snaps[1])
        cmd_r2 = py + ["report", "ref-snaps.csv", *ropts]
        R.compare(f"{tag} ref-roundtrip", cmd_r2, R.run(cmd_r2), py + ["report", *opts],
                  ref_report)
    return R


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Preset samples: (golden, sample, {preset column: default column}, minor units,
# extra reference options). The reference has no presets: the sample is
# rewritten with the default column names (and minor units turned into
# decimals) and the reference's report on it must equal the golden.
PRESET_GOLDENS = [
    ("mrr-playbook.csv", "samples/mrr-playbook.csv",
     {"customer_id": "customer_id", "start_date": "start_date", "end_date": "end_date",
      "monthly_amount": "amount"}, False, ["--as-of", "2019-12-31"]),
    ("chargebee.csv", "samples/chargebee-subscriptions.csv",
     {"customer_id": "customer_id", "started_at": "start_date", "cancelled_at": "end_date",
      "plan_unit_price": "amount", "billing_period_unit": "interval",
      "billing_period": "interval_count", "plan_quantity": "quantity",
      "currency_code": "currency", "status": "status"}, True,
     ["--as-of", "2024-06-30", "--exclude-status", "in_trial",
      "--fx", "samples/chargebee-fx-rates.csv",
      "--customer-map", "samples/chargebee-customer-map.csv"]),
    ("stripe.csv", "samples/stripe-subscriptions.csv",
     {"Customer ID": "customer_id", "Start Date (UTC)": "start_date",
      "Ended At (UTC)": "end_date", "Amount": "amount", "Interval": "interval",
      "Quantity": "quantity", "Currency": "currency", "Status": "status"}, False,
     ["--as-of", "2024-06-30", "--exclude-status", "trialing",
      "--fx", "samples/stripe-fx-rates.csv",
      "--customer-map", "samples/stripe-customer-map.csv"]),
]
ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK"}


def manifest_goldens():
    """MANIFEST lines of csv reports/snapshots on subscription input without a preset."""
    out = []
    for line in open(os.path.join(ROOT, "samples", "expected", "MANIFEST")):
        if line.startswith("#") or "|" not in line:
            continue
        expected, args = (x.strip() for x in line.split("|", 1))
        words = args.split()
        if words[0] in ("report", "snapshots") and expected.endswith(".csv") and \
                "--preset" not in words and ("--input" in words or words[0] == "snapshots"):
            out.append((expected, [w for w in words if w not in ("--format", "csv")]))
    return out


def check_goldens(ref, tmp):
    """The checked-in goldens against the reference: (checks, failures)."""
    checks = failures = 0
    def compare(expected, cmd):
        nonlocal checks, failures
        checks += 1
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        want = open(os.path.join(ROOT, "samples", "expected", expected)).read()
        if p.returncode != 0 or p.stdout != want:
            failures += 1
            print(f"FAIL golden {expected}: reference exit {p.returncode} {p.stderr.strip()}")
    for expected, words in manifest_goldens():
        compare(expected, [sys.executable, ref] + words)
    for expected, sample, columns, minor, options in PRESET_GOLDENS:
        with open(os.path.join(ROOT, sample), newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        keep = [i for i, h in enumerate(head) if h in columns]
        renamed = os.path.join(tmp, "preset-" + os.path.basename(sample))
        with open(renamed, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([columns[head[i]] for i in keep])
            cur = head.index("currency_code") if "currency_code" in head else None
            amt = [i for i in keep if columns[head[i]] == "amount"][0]
            for row in rows[1:]:
                if minor:
                    digits = 0 if row[cur] in ZERO_DECIMAL else 2
                    row[amt] = str(Fraction(row[amt]) / 10 ** digits)
                    if "/" in row[amt]:
                        row[amt] = f"{float(Fraction(row[amt])):.{digits}f}"
                w.writerow([row[i] for i in keep])
        compare(expected, [sys.executable, ref, "report", renamed, "--input", "subscriptions"] + options)
    return checks, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ndr")
    ap.add_argument("ref")
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0, help="first seed")
    ap.add_argument("--only", type=int, help="run this one seed")
    ap.add_argument("--keep", help="write the case files under this folder and keep them")
    args = ap.parse_args()
    ndr = os.path.abspath(args.ndr)
    ref = os.path.abspath(args.ref)
    seeds = [args.only] if args.only is not None else range(args.seed, args.seed + args.cases)
    checks = failures = 0
    with tempfile.TemporaryDirectory() as tmp_root:
        for seed in seeds:
            c = gen_case(seed)
            tmp = os.path.join(args.keep or tmp_root, f"case-{seed}")
            os.makedirs(tmp, exist_ok=True)
            R = run_case(c, ndr, ref, tmp)
            checks += R.checks
            failures += R.failures
        if args.only is None:
            c, f = check_goldens(ref, tmp_root)
            checks += c
            failures += f
    print(f"{checks} checks, {failures} failures")
    if failures and not args.keep:
        print("rerun one case with --only SEED --keep DIR to keep its files")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
