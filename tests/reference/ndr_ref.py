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


def csv_field(text):
    """RFC 4180 quoting, only where needed (comma, double quote, CR or LF)."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def byte_key(text):
    """Sort key: the UTF-8 bytes of a string."""
    return text.encode("utf-8")


# ---------------------------------------------------------------------------
# The engine (SPEC §3, §4)
# ---------------------------------------------------------------------------

def period_ends(totals, period, fy_start):
    """Return (snapshot_dates, period_end {idx: date}, label_of {idx: label})."""
    snapshot_dates = sorted({d for per in totals.values() for d in per})
    period_end = {}
    label_of = {}
    for d in snapshot_dates:
        idx, label = period_of(d, period, fy_start)
        if idx not in period_end or d > period_end[idx]:
            period_end[idx] = d           # latest snapshot date inside the period
        label_of[idx] = label
    return snapshot_dates, period_end, label_of


def report_windows(totals, period, fy_start, window):
    """Yield (label, start, end, dates strictly between) per report row, oldest first."""
    snapshot_dates, period_end, label_of = period_ends(totals, period, fy_start)
    for idx in sorted(period_end):
        if idx - window not in period_end:
            continue
        start = period_end[idx - window]
        end = period_end[idx]
        between = [d for d in snapshot_dates if start < d < end]
        yield label_of[idx], start, end, between


def classify(per_date, start, end, between, reactivation):
    """Classify one customer for one report row.

    Returns (in_cohort, s, e, kinds): kinds is the list of the customer's
    movements (possibly empty: not in the cohort and e = 0), each one of
    MOVEMENT_KINDS.  A cohort customer who dipped under `separate` has
    ["churn"] or ["churn", "reactivation"].
    """
    zero = Fraction(0)
    s = per_date.get(start, zero)
    e = per_date.get(end, zero)
    if s > 0:
        dipped = any(per_date.get(d, zero) == 0 for d in between)
        if reactivation == "separate" and dipped:
            return True, s, e, ["churn", "reactivation"] if e > 0 else ["churn"]
        if e == 0:
            return True, s, e, ["churn"]
        if e > s:
            return True, s, e, ["expansion"]
        if e < s:
            return True, s, e, ["contraction"]
        return True, s, e, ["flat"]
    if e > 0:
        had_before = any(v > 0 for d, v in per_date.items() if d < start)
        return False, s, e, ["reactivation" if had_before else "new"]
    return False, s, e, []


def movement_delta(kind, s, e):
    """The signed change a movement line shows (movements mode)."""
    if kind == "churn":
        return -s
    if kind in ("reactivation", "new"):
        return e
    if kind == "flat":
        return Fraction(0)
    return e - s                          # expansion (> 0) or contraction (< 0)


def customer_segment(cid, in_cohort, start, end, seg_at):
    """SPEC §4: frozen at the start for the cohort, else the end's value."""
    return seg_at[cid][start if in_cohort else end]


def new_row(label, start, end, segment=None):
    r = dict(period=label, start_date=start, end_date=end,
             cohort_customers=0, expanded_customers=0,
             contracted_customers=0, churned_customers=0,
             starting_mrr=Fraction(0), expansion_mrr=Fraction(0),
             contraction_mrr=Fraction(0), churned_mrr=Fraction(0),
             reactivation_mrr=Fraction(0), reactivated_customers=0,
             new_mrr=Fraction(0), new_customers=0,
             _end_total=Fraction(0))
    if segment is not None:
        r["segment"] = segment
    return r


def add_customer(r, in_cohort, s, e, kinds):
    if in_cohort:
        r["cohort_customers"] += 1
        r["starting_mrr"] += s
    r["_end_total"] += e
    for kind in kinds:
        if kind == "churn":
            r["churned_mrr"] += s
            r["churned_customers"] += 1
        elif kind == "expansion":
            r["expansion_mrr"] += e - s
            r["expanded_customers"] += 1
        elif kind == "contraction":
            r["contraction_mrr"] += s - e
            r["contracted_customers"] += 1
        elif kind == "reactivation":
            r["reactivation_mrr"] += e
            r["reactivated_customers"] += 1
        elif kind == "new":
            r["new_mrr"] += e
            r["new_customers"] += 1
        else:
            assert kind == "flat"


def finish_row(r):
    r["retained_customers"] = r["cohort_customers"] - r["churned_customers"]
    r["ending_mrr"] = (r["starting_mrr"] + r["expansion_mrr"]
                       - r["contraction_mrr"] - r["churned_mrr"])
    # SPEC §3 invariant, checked on exact values (per segment too: every
    # customer with MRR > 0 at the end belongs to exactly one segment).
    end_total = r.pop("_end_total")
    assert end_total == r["ending_mrr"] + r["reactivation_mrr"] + r["new_mrr"], \
        f"invariant broken for {r['period']} {r.get('segment', '')}"
    assert r["ending_mrr"] >= 0
    return r


def compute_rows(totals, period="month", fy_start=1, window=1,
                 reactivation="separate", seg_at=None):
    """Return a list of dicts, one per report row, oldest first.

    With seg_at (from read_data with segment columns) every period has one
    row per segment (byte order of the label) and then the `(all)` row.
    """
    rows = []
    for label, start, end, between in report_windows(totals, period, fy_start, window):
        total = new_row(label, start, end, ALL_SEGMENT if seg_at is not None else None)
        by_segment = {}
        for cid in sorted(totals, key=byte_key):
            in_cohort, s, e, kinds = classify(totals[cid], start, end, between,
                                              reactivation)
            if not kinds:
                continue              # neither in the cohort nor MRR > 0 at the end
            add_customer(total, in_cohort, s, e, kinds)
            if seg_at is not None:
                seg = customer_segment(cid, in_cohort, start, end, seg_at)
                if seg not in by_segment:
                    by_segment[seg] = new_row(label, start, end, seg)
                add_customer(by_segment[seg], in_cohort, s, e, kinds)
        # the total row must equal the whole data set at the end
        total["_end_total"] = sum((per.get(end, Fraction(0)) for per in totals.values()),
                                  Fraction(0))
        for seg in sorted(by_segment, key=byte_key):
            rows.append(finish_row(by_segment[seg]))
        rows.append(finish_row(total))
    return rows


def compute_movements(totals, at, period="month", fy_start=1, window=1,
                      reactivation="separate", seg_at=None):
    """Return the ledger of the report row labelled `at`, or None if no such row.

    Each line is a dict: customer_id, segment (None without seg_at),
    start_mrr, end_mrr, movement, delta.
    """
    for label, start, end, between in report_windows(totals, period, fy_start, window):
        if label != at:
            continue
        lines = []
        for cid in totals:
            in_cohort, s, e, kinds = classify(totals[cid], start, end, between,
                                              reactivation)
            seg = (customer_segment(cid, in_cohort, start, end, seg_at)
                   if kinds and seg_at is not None else None)
            for kind in kinds:
                lines.append(dict(customer_id=cid, segment=seg, start_mrr=s,
                                  end_mrr=e, movement=kind,
                                  delta=movement_delta(kind, s, e)))
        lines.sort(key=lambda l: (MOVEMENT_KINDS.index(l["movement"]),
                                  -abs(l["delta"]), byte_key(l["customer_id"])))
        return dict(period=label, start_date=start, end_date=end), lines
    return None


def compute_cohorts(totals, period="month", fy_start=1):
    """Return the acquisition-cohort triangle as a list of dicts."""
    _, period_end, label_of = period_ends(totals, period, fy_start)
    members = {}
    for cid, per in totals.items():
        # Cohorts are sampled at period ends: a customer's cohort is the
        # first period at whose period-end snapshot it pays (one that paid
        # only between period ends is in no cohort).
        positive = [d for d, v in per.items()
                    if v > 0 and period_end[period_of(d, period, fy_start)[0]] == d]
        if positive:
            members.setdefault(period_of(min(positive), period, fy_start)[0],
                               []).append(cid)
    rows = []
    for c in sorted(members):
        cids = members[c]
        def mrr_at(date):
            return sum((totals[cid].get(date, Fraction(0)) for cid in cids),
                       Fraction(0))
        starting = mrr_at(period_end[c])   # c has a snapshot: the first positive date
        for idx in sorted(i for i in period_end if i >= c):
            snap = period_end[idx]
            active = sum(1 for cid in cids if totals[cid].get(snap, Fraction(0)) > 0)
            rows.append(dict(cohort=label_of[c], age=idx - c, customers=len(cids),
                             starting_mrr=starting, mrr=mrr_at(snap),
                             active_customers=active, snapshot=snap))
    return rows


def format_row(r):
    if r["cohort_customers"] > 0:
        ndr = fmt_ratio(r["ending_mrr"], r["starting_mrr"])
        grr = fmt_ratio(r["starting_mrr"] - r["contraction_mrr"] - r["churned_mrr"],
                        r["starting_mrr"])
        logo = fmt_ratio(r["retained_customers"], r["cohort_customers"])
    else:
        ndr = grr = logo = ""
    fields = [r["period"], r["start_date"].isoformat(), r["end_date"].isoformat()]
    if "segment" in r:
        fields.append(csv_field(r["segment"]))
    fields += [
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


def format_movement(l):
    fields = [csv_field(l["customer_id"])]
    if l["segment"] is not None:
        fields.append(csv_field(l["segment"]))
    fields += [fmt_money(l["start_mrr"]), fmt_money(l["end_mrr"]), l["movement"],
               fmt_money(l["delta"])]
    return ",".join(fields)


def format_cohort(r):
    rev = fmt_ratio(r["mrr"], r["starting_mrr"]) if r["starting_mrr"] != 0 else ""
    return ",".join([r["cohort"], str(r["age"]), str(r["customers"]),
                     fmt_money(r["starting_mrr"]), fmt_money(r["mrr"]), rev,
                     fmt_ratio(r["active_customers"], r["customers"])])


def lines_text(lines):
    return "".join(line + "\n" for line in lines)


def report(paths, period="month", fy_start=1, window=1, reactivation="separate",
           segment_by=()):
    """Return (full CSV report text (header + rows, '\\n' line ends), rows)."""
    totals, seg_at = read_data(paths, segment_by)
    rows = compute_rows(totals, period, fy_start, window, reactivation,
                        seg_at if segment_by else None)
    header = SEGMENTED_HEADER if segment_by else HEADER
    return lines_text([header] + [format_row(r) for r in rows]), rows


def movements(paths, at, period="month", fy_start=1, window=1,
              reactivation="separate", segment_by=()):
    """Return (CSV text, lines), or None when there is no report row `at`."""
    totals, seg_at = read_data(paths, segment_by)
    found = compute_movements(totals, at, period, fy_start, window, reactivation,
                              seg_at if segment_by else None)
    if found is None:
        return None
    _, lines = found
    header = ("customer_id,segment,start_mrr,end_mrr,movement,delta" if segment_by
              else "customer_id,start_mrr,end_mrr,movement,delta")
    return lines_text([header] + [format_movement(l) for l in lines]), lines


def cohorts(paths, period="month", fy_start=1):
    """Return (CSV text, rows) of the cohort triangle."""
    totals, _ = read_data(paths)
    rows = compute_cohorts(totals, period, fy_start)
    return lines_text([COHORTS_HEADER] + [format_cohort(r) for r in rows]), rows


MODES = ("report", "movements", "cohorts")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    mode = "report"
    if argv and argv[0] in MODES:
        mode = argv.pop(0)
    ap = argparse.ArgumentParser(prog=f"ndr_ref.py {mode}",
                                 description=f"ndr reference implementation ({mode})")
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--period", choices=["month", "quarter", "year"], default="month")
    ap.add_argument("--fiscal-year-start", type=int, default=1, metavar="M")
    if mode != "cohorts":
        ap.add_argument("--window", type=int, default=1, metavar="W")
        ap.add_argument("--reactivation", choices=["separate", "include"],
                        default="separate")
        ap.add_argument("--segment-by", action="append", default=[], metavar="COLUMN")
    if mode == "movements":
        ap.add_argument("--at", required=True, metavar="PERIOD")
    args = ap.parse_args(argv)
    if not 1 <= args.fiscal_year_start <= 12:
        ap.error("--fiscal-year-start must be 1..12")
    if mode != "cohorts":
        if args.window < 1:
            ap.error("--window must be >= 1")
        if any(trim(c) == "" for c in args.segment_by):
            ap.error("--segment-by needs a column name")
    try:
        if mode == "report":
            text, rows = report(args.files, args.period, args.fiscal_year_start,
                                args.window, args.reactivation, args.segment_by)
            if not rows:
                print("ndr_ref: warning: no period has both a start and an end snapshot",
                      file=sys.stderr)
        elif mode == "movements":
            found = movements(args.files, args.at, args.period, args.fiscal_year_start,
                              args.window, args.reactivation, args.segment_by)
            if found is None:
                print(f"ndr_ref: error: no report row for period '{args.at}'",
                      file=sys.stderr)
                return 1
            text, _ = found
        else:
            text, _ = cohorts(args.files, args.period, args.fiscal_year_start)
    except DataError as e:
        print(f"ndr_ref: error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
