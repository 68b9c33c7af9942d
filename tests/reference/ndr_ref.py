#!/usr/bin/env python3
"""Independent reference implementation of `ndr report --format csv`,
plus the per-customer `movements` ledger and the `cohorts` triangle.

Written from /work/shared/SPEC.md (sections 1 to 5) only, without looking at
the C++ code.  Python 3 standard library only.  Every amount is a
fractions.Fraction, so money is exact; the only rounding happens when a value
is printed (half away from zero).

Usage:
    python3 ndr_ref.py [report] FILE... [--period month|quarter|year]
                               [--fiscal-year-start M] [--window W]
                               [--reactivation separate|include]
                               [--segment-by COLUMN]...
    python3 ndr_ref.py movements FILE... --at PERIOD [--period P]
                               [--fiscal-year-start M] [--window W]
                               [--reactivation separate|include]
                               [--segment-by COLUMN]...
    python3 ndr_ref.py cohorts FILE... [--period month|quarter|year]
                               [--fiscal-year-start M]

report:    the SPEC §5 CSV (a `segment` column after end_date with
           --segment-by, one row per segment then an `(all)` row per period).
movements: customer_id,[segment,]start_mrr,end_mrr,movement,delta for one
           report row (the one whose period label is PERIOD; exit 1 if none).
cohorts:   cohort,age,customers,starting_mrr,mrr,revenue_retention,
           logo_retention (acquisition-cohort triangle).
Exit status: 0 ok, 1 input/data error, 2 usage error.
"""

import argparse
import calendar
import csv
import datetime
import io
import re
import sys
from fractions import Fraction

HEADER = (
    "period,start_date,end_date,cohort_customers,retained_customers,"
    "expanded_customers,contracted_customers,churned_customers,starting_mrr,"
    "expansion_mrr,contraction_mrr,churned_mrr,ending_mrr,ndr,grr,"
    "logo_retention,reactivation_mrr,reactivated_customers,new_mrr,new_customers"
)
SEGMENTED_HEADER = HEADER.replace(",end_date,", ",end_date,segment,", 1)
MOVEMENT_KINDS = ("expansion", "contraction", "churn", "flat", "reactivation", "new")
COHORTS_HEADER = ("cohort,age,customers,starting_mrr,mrr,revenue_retention,"
                  "logo_retention")
BLANK_SEGMENT = "(blank)"
ALL_SEGMENT = "(all)"
SEGMENT_JOIN = " / "


class DataError(Exception):
    """An input or data error: message to stderr, exit status 1."""


# ---------------------------------------------------------------------------
# Parsing of single fields
# ---------------------------------------------------------------------------

def trim(s):
    """SPEC §1: fields are trimmed of spaces and tabs (nothing else)."""
    return s.strip(" \t")


_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# A date-time: the date part, then 'T' or a space, then anything (the time is
# ignored; no time-zone conversion).
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ].+$")


def parse_date(text):
    """Return a datetime.date, or raise ValueError."""
    m = _DATE_RE.match(text) or _DATETIME_RE.match(text)
    if m:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MONTH_RE.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValueError("month out of range")
        return datetime.date(y, mo, calendar.monthrange(y, mo)[1])
    raise ValueError("not a date")


# digits: either plain (no separators) or well-formed thousands groups.
_AMOUNT_RE = re.compile(
    r"^(?P<sign>[+-]?)"
    r"(?P<cur>[$\u20ac\u00a3]?)"
    r"(?P<int>\d+|\d{1,3}(?:,\d{3})+)"
    r"(?:\.(?P<frac>\d+))?$"
)


def parse_amount(text):
    """Return a Fraction, or raise ValueError.

    Accepted: optional sign, optional leading $ / € / £, digits (plain or in
    well-formed thousands groups), optional '.' and fractional digits;
    accounting parentheses around the whole thing mean negative.
    """
    negative = False
    if text.startswith("(") and text.endswith(")"):
        text = trim(text[1:-1])
        negative = True
    m = _AMOUNT_RE.match(text)
    if not m:
        raise ValueError("not a decimal amount")
    if negative and m.group("sign"):
        raise ValueError("sign inside accounting parentheses")
    digits = m.group("int").replace(",", "")
    frac = m.group("frac") or ""
    value = Fraction(int(digits + frac), 10 ** len(frac))
    if m.group("sign") == "-":
        value = -value
    if negative:
        value = -value
    return value


# ---------------------------------------------------------------------------
# Reading the data set
# ---------------------------------------------------------------------------

def read_files(paths):
    """Return {customer_id: {date: Fraction}} with same-date rows summed."""
    return read_data(paths)[0]


def segment_label(values):
    """SPEC §4: the label of a row's segment-column values (already trimmed)."""
    return SEGMENT_JOIN.join(v if v != "" else BLANK_SEGMENT for v in values)


def read_data(paths, segment_cols=()):
    """Read the data set.

    Returns (totals, seg_at):
      totals  {customer_id: {date: Fraction}}, same-date rows summed;
      seg_at  {customer_id: {date: label}} (empty without segment_cols): the
              segment label of the customer's row with the largest amount at
              that date, the first such row read winning a tie (file order,
              files in command-line order).
    """
    totals = {}
    seg_at = {}
    best_amount = {}              # (cid, date) -> amount of the row chosen so far
    any_row = False
    seg_wanted = [c.strip(" \t").lower() for c in segment_cols]
    for path in paths:
        if path == "-":
            raw = sys.stdin.buffer.read()
            name = "<stdin>"
        else:
            try:
                with open(path, "rb") as f:
                    raw = f.read()
            except OSError as e:
                raise DataError(f"{path}: cannot read: {e.strerror}")
            name = path
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError(f"{name}: not valid UTF-8")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=",")
        header = None
        prev_line = 0
        for record in reader:
            start_line = prev_line + 1
            prev_line = reader.line_num
            if header is None:
                header = [trim(h).lower() for h in record]
                cols = {}
                for want in ("customer_id", "date", "mrr"):
                    if want not in header:
                        raise DataError(f"{name}: missing column '{want}'")
                    cols[want] = header.index(want)
                seg_idx = []
                for want, given in zip(seg_wanted, segment_cols):
                    if want not in header:
                        raise DataError(
                            f"{name}: missing column '{given}' (--segment-by)")
                    seg_idx.append((given, header.index(want)))
                continue
            if record == [] or record == [""]:
                continue  # blank line
            fields = {}
            for want, idx in cols.items():
                if idx >= len(record):
                    raise DataError(
                        f"{name}:{start_line}: column '{want}': missing field")
                fields[want] = trim(record[idx])
            seg_values = []
            for given, idx in seg_idx:
                if idx >= len(record):
                    raise DataError(
                        f"{name}:{start_line}: column '{given}': missing field")
                seg_values.append(trim(record[idx]))
            cid = fields["customer_id"]
            if cid == "":
                raise DataError(
                    f"{name}:{start_line}: column 'customer_id': empty customer id")
            try:
                date = parse_date(fields["date"])
            except ValueError as e:
                raise DataError(
                    f"{name}:{start_line}: column 'date': bad date "
                    f"{fields['date']!r} ({e})")
            if fields["mrr"] == "":
                raise DataError(f"{name}:{start_line}: column 'mrr': empty amount")
            try:
                amount = parse_amount(fields["mrr"])
            except ValueError as e:
                raise DataError(
                    f"{name}:{start_line}: column 'mrr': bad amount "
                    f"{fields['mrr']!r} ({e})")
            per_date = totals.setdefault(cid, {})
            per_date[date] = per_date.get(date, Fraction(0)) + amount
            if seg_idx:
                key = (cid, date)
                # strictly larger replaces: on a tie the first row read stays
                if key not in best_amount or amount > best_amount[key]:
                    best_amount[key] = amount
                    seg_at.setdefault(cid, {})[date] = segment_label(seg_values)
            any_row = True
        if header is None:
            raise DataError(f"{name}: empty file (no header)")
    if not any_row:
        raise DataError("empty data set: no data rows in any input file")
    for cid, per_date in totals.items():
        for date, total in per_date.items():
            if total < 0:
                raise DataError(
                    f"customer '{cid}' has a negative total MRR "
                    f"{fmt_money(total)} at {date.isoformat()}")
    return totals, seg_at


# ---------------------------------------------------------------------------
# Periods (SPEC §2)
# ---------------------------------------------------------------------------

def period_of(date, period, fy_start):
    """Return (index, label): index is an integer, consecutive periods differ by 1."""
    y, m = date.year, date.month
    if period == "month":
        return y * 12 + (m - 1), f"{y:04d}-{m:02d}"
    offset = (m - fy_start) % 12                   # months since fiscal year start
    first_year = y if m >= fy_start else y - 1     # calendar year the FY starts in
    fy = first_year if fy_start == 1 else first_year + 1  # named by the year it ends in
    prefix = "" if fy_start == 1 else "FY"
    if period == "quarter":
        q = offset // 3 + 1
        return fy * 4 + (q - 1), f"{prefix}{fy}-Q{q}"
    assert period == "year"
    return fy, f"{prefix}{fy}"


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------

def round_half_away(x, places):
    """Format Fraction x with exactly `places` decimals, half away from zero."""
    x = Fraction(x)
    neg = x < 0
    scaled = abs(x) * 10 ** places
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    s = str(q).rjust(places + 1, "0")
    out = s[:-places] + "." + s[-places:] if places else s
    if neg and q != 0:
        out = "-" + out
    return out


def fmt_money(x):
    return round_half_away(x, 2)


def fmt_ratio(num, den):
    return round_half_away(Fraction(num) / Fraction(den), 4)


# ---------------------------------------------------------------------------
# The engine (SPEC §3)
# ---------------------------------------------------------------------------

def compute_rows(totals, period="month", fy_start=1, window=1,
                 reactivation="separate"):
    """Return a list of dicts, one per report row, oldest first."""
    snapshot_dates = sorted({d for per in totals.values() for d in per})

    def mrr(cid, date):
        return totals[cid].get(date, Fraction(0))

    # Period-end snapshot of each period: latest snapshot date inside it.
    period_end = {}
    label_of = {}
    for d in snapshot_dates:
        idx, label = period_of(d, period, fy_start)
        if idx not in period_end or d > period_end[idx]:
            period_end[idx] = d
        label_of[idx] = label

    rows = []
    for idx in sorted(period_end):
        if idx - window not in period_end:
            continue
        start = period_end[idx - window]
        end = period_end[idx]
        between = [d for d in snapshot_dates if start < d < end]

        r = dict(period=label_of[idx], start_date=start, end_date=end,
                 cohort_customers=0, expanded_customers=0,
                 contracted_customers=0, churned_customers=0,
                 starting_mrr=Fraction(0), expansion_mrr=Fraction(0),
                 contraction_mrr=Fraction(0), churned_mrr=Fraction(0),
                 reactivation_mrr=Fraction(0), reactivated_customers=0,
                 new_mrr=Fraction(0), new_customers=0)

        for cid in sorted(totals):
            s = mrr(cid, start)
            e = mrr(cid, end)
            if s > 0:
                # cohort customer
                r["cohort_customers"] += 1
                r["starting_mrr"] += s
                dipped = any(mrr(cid, d) == 0 for d in between)
                if reactivation == "separate" and dipped:
                    r["churned_mrr"] += s
                    r["churned_customers"] += 1
                    if e > 0:
                        r["reactivation_mrr"] += e
                        r["reactivated_customers"] += 1
                elif e == 0:
                    r["churned_mrr"] += s
                    r["churned_customers"] += 1
                elif e > s:
                    r["expansion_mrr"] += e - s
                    r["expanded_customers"] += 1
                elif e < s:
                    r["contraction_mrr"] += s - e
                    r["contracted_customers"] += 1
                else:
                    pass  # flat
            elif e > 0:
                had_before = any(v > 0 for d, v in totals[cid].items() if d < start)
                if had_before:
                    r["reactivation_mrr"] += e
                    r["reactivated_customers"] += 1
                else:
                    r["new_mrr"] += e
                    r["new_customers"] += 1

        r["retained_customers"] = r["cohort_customers"] - r["churned_customers"]
        r["ending_mrr"] = (r["starting_mrr"] + r["expansion_mrr"]
                           - r["contraction_mrr"] - r["churned_mrr"])

        # SPEC §3 invariant, checked on exact values.
        total_at_end = sum((mrr(cid, end) for cid in totals), Fraction(0))
        assert total_at_end == r["ending_mrr"] + r["reactivation_mrr"] + r["new_mrr"], \
            f"invariant broken for {r['period']}"
        assert r["ending_mrr"] >= 0
        rows.append(r)
    return rows


def format_row(r):
    if r["cohort_customers"] > 0:
        ndr = fmt_ratio(r["ending_mrr"], r["starting_mrr"])
        grr = fmt_ratio(r["starting_mrr"] - r["contraction_mrr"] - r["churned_mrr"],
                        r["starting_mrr"])
        logo = fmt_ratio(r["retained_customers"], r["cohort_customers"])
    else:
        ndr = grr = logo = ""
    fields = [
        r["period"], r["start_date"].isoformat(), r["end_date"].isoformat(),
        str(r["cohort_customers"]), str(r["retained_customers"]),
        str(r["expanded_customers"]), str(r["contracted_customers"]),
        str(r["churned_customers"]),
        fmt_money(r["starting_mrr"]), fmt_money(r["expansion_mrr"]),
        fmt_money(r["contraction_mrr"]), fmt_money(r["churned_mrr"]),
        fmt_money(r["ending_mrr"]),
        ndr, grr, logo,
        fmt_money(r["reactivation_mrr"]), str(r["reactivated_customers"]),
        fmt_money(r["new_mrr"]), str(r["new_customers"]),
    ]
    return ",".join(fields)


def report(paths, period="month", fy_start=1, window=1, reactivation="separate"):
    """Return the full CSV report text (header + rows, '\\n' line ends)."""
    totals = read_files(paths)
    rows = compute_rows(totals, period, fy_start, window, reactivation)
    return "".join(line + "\n" for line in [HEADER] + [format_row(r) for r in rows]), rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="ndr reference implementation")
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--period", choices=["month", "quarter", "year"], default="month")
    ap.add_argument("--fiscal-year-start", type=int, default=1, metavar="M")
    ap.add_argument("--window", type=int, default=1, metavar="W")
    ap.add_argument("--reactivation", choices=["separate", "include"], default="separate")
    args = ap.parse_args(argv)
    if not 1 <= args.fiscal_year_start <= 12:
        ap.error("--fiscal-year-start must be 1..12")
    if args.window < 1:
        ap.error("--window must be >= 1")
    try:
        text, rows = report(args.files, args.period, args.fiscal_year_start,
                            args.window, args.reactivation)
    except DataError as e:
        print(f"ndr_ref: error: {e}", file=sys.stderr)
        return 1
    if not rows:
        print("ndr_ref: warning: no period has both a start and an end snapshot",
              file=sys.stderr)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
