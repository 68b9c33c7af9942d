#!/usr/bin/env python3
"""Independent reference for docs/inputs.md: subscriptions, currencies and
account hierarchies.

Written from docs/inputs.md and /work/shared/SPEC.md only (never from the C++
sources).  It reuses the SPEC §2-§5 engine of ndr_ref.py (periods, windows,
classification, formatting).  Python 3 standard library only; every amount is
a fractions.Fraction, so money is exact.

Usage:
    python3 ndr_ref_inputs.py snapshots FILE... [options]
        the derived snapshot CSV (`ndr snapshots ... --format csv`):
        customer_id,date,mrr[,currency][,SEGMENT COLUMNS...],source
    python3 ndr_ref_inputs.py [report] FILE... [options]
        what `ndr report ... --format csv` prints (SPEC §5 fields, plus a last
        field fx_impact_mrr with --fx)
    python3 ndr_ref_inputs.py --self-test
        hand-worked checks of this reference

Options:
    --input snapshots|subscriptions   (default snapshots)
    --as-of DATE  --snapshot-day N  --exclude-status a,b     (subscriptions)
    --fx RATES.csv  --currency CODE  --fx-mode constant|spot
    --customer-map MAP.csv
    --period month|quarter|year  --fiscal-year-start M  --window W
    --reactivation separate|include  --segment-by COLUMN (repeatable)

Only the default column names are supported.  Exit status: 0 ok, 1 input or
data error (message on stderr), 2 usage error.
"""

import argparse
import calendar
import csv
import datetime
import io
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ndr_ref as R  # noqa: E402

DataError = R.DataError
ZERO = Fraction(0)

# docs/inputs.md "Monthly amount": F per interval.
INTERVAL_FACTOR = {
    "day": Fraction(365, 12),
    "week": Fraction(52, 12),
    "month": Fraction(1),
    "quarter": Fraction(1, 3),
    "year": Fraction(1, 12),
}
SUB_REQUIRED = ("customer_id", "start_date", "end_date", "amount")
SUB_OPTIONAL = ("interval", "interval_count", "quantity", "currency", "status")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_QUANTITY_RE = re.compile(r"^\d+(?:\.(\d+))?$")
_COUNT_RE = re.compile(r"^\d+$")
_RATE_RE = re.compile(r"^\d+(?:\.(\d+))?$")


# ---------------------------------------------------------------------------
# Exact helpers
# ---------------------------------------------------------------------------

def round_half_even(x, places=6):
    """Fraction x rounded to `places` decimals, half to even (a Fraction)."""
    x = Fraction(x)
    scale = 10 ** places
    scaled = x * scale
    q, r = divmod(scaled.numerator, scaled.denominator)   # floor division
    twice = 2 * r
    if twice > scaled.denominator or (twice == scaled.denominator and q % 2 == 1):
        q += 1
    return Fraction(q, scale)


def fmt_fixed(x, places=6):
    """Exact decimal text of x with at least `places` decimals (x must be a
    terminating decimal; more decimals are printed when x needs them)."""
    x = Fraction(x)
    p = places
    while (x * 10 ** p).denominator != 1:
        p += 1
        if p > 40:
            raise ValueError(f"{x} is not a short decimal")
    n = abs(x * 10 ** p).numerator
    s = str(n).rjust(p + 1, "0")
    out = s[:-p] + "." + s[-p:]
    return "-" + out if x < 0 else out


def month_end(y, m):
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


# ---------------------------------------------------------------------------
# CSV reading (same conventions as ndr_ref.py)
# ---------------------------------------------------------------------------

def read_table(path):
    """Return (name, header (trimmed, lower-case), header as written,
    [(line, record)]) of one CSV file; blank lines are skipped."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not valid UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",")
    header = header_raw = None
    records = []
    prev = 0
    for record in reader:
        line = prev + 1
        prev = reader.line_num
        if header is None:
            header_raw = [R.trim(h) for h in record]
            header = [h.lower() for h in header_raw]
            continue
        if record == [] or record == [""]:
            continue
        records.append((line, record))
    if header is None:
        raise DataError(f"{path}: empty file (no header)")
    return path, header, header_raw, records


def column_index(name, header, col, required=True):
    if col not in header:
        if required:
            raise DataError(f"{name}:1: missing column '{col}'")
        return None
    if header.count(col) > 1:
        raise DataError(f"{name}:1: column '{col}' appears twice")
    return header.index(col)


def field(name, line, record, idx, col):
    if idx >= len(record):
        raise DataError(f"{name}:{line}: column '{col}': missing field")
    return R.trim(record[idx])


def parse_currency(text, where):
    code = R.trim(text).upper()
    if code != "" and not _CURRENCY_RE.match(code):
        raise DataError(f"{where}: column 'currency': bad currency code {text!r}")
    return code


# ---------------------------------------------------------------------------
# Subscriptions -> snapshot rows
# ---------------------------------------------------------------------------

def subscription_mrr(amount, quantity, interval, count):
    """docs/inputs.md: amount x quantity x F / interval_count, rounded once to
    6 decimals half to even."""
    return round_half_even(amount * quantity * INTERVAL_FACTOR[interval] / count, 6)


def read_subscriptions(paths, segment_cols=(), exclude=()):
    """Return (kept rows in input order, has_currency_column).

    Each row: dict(cid, start, end (None = open), mrr, currency, seg (list of
    values), file, line).  Rows whose status is excluded are dropped before
    any other field is checked.
    """
    exclude = {s.strip(" \t").lower() for s in exclude if s.strip(" \t") != ""}
    kept = []
    has_currency = False
    for path in paths:
        name, header, _, records = read_table(path)
        idx = {c: column_index(name, header, c) for c in SUB_REQUIRED}
        for c in SUB_OPTIONAL:
            idx[c] = column_index(name, header, c, required=False)
        if idx["currency"] is not None:
            has_currency = True
        if exclude and idx["status"] is None:
            raise DataError(f"{name}: --exclude-status needs a 'status' column")
        seg_idx = []
        for given in segment_cols:
            want = R.trim(given).lower()
            if want not in header:
                raise DataError(f"{name}: missing column '{given}' (--segment-by)")
            seg_idx.append((given, header.index(want)))
        for line, record in records:
            where = f"{name}:{line}"
            if idx["status"] is not None:
                status = field(name, line, record, idx["status"], "status")
                if status.lower() in exclude:
                    continue
            cid = field(name, line, record, idx["customer_id"], "customer_id")
            if cid == "":
                raise DataError(f"{where}: column 'customer_id': empty customer id")
            dates = {}
            for col in ("start_date", "end_date"):
                text = field(name, line, record, idx[col], col)
                if text == "":
                    if col == "start_date":
                        raise DataError(f"{where}: column 'start_date': empty date")
                    dates[col] = None
                    continue
                try:
                    dates[col] = R.parse_date(text)
                except ValueError as e:
                    raise DataError(f"{where}: column '{col}': bad date {text!r} ({e})")
            start, end = dates["start_date"], dates["end_date"]
            if end is not None and end < start:
                raise DataError(f"{where}: column 'end_date': {end} is before the start {start}")
            text = field(name, line, record, idx["amount"], "amount")
            if text == "":
                raise DataError(f"{where}: column 'amount': empty amount")
            try:
                amount = R.parse_amount(text)
            except ValueError as e:
                raise DataError(f"{where}: column 'amount': bad amount {text!r} ({e})")
            interval = "month"
            if idx["interval"] is not None:
                text = field(name, line, record, idx["interval"], "interval").lower()
                if text != "":
                    if text not in INTERVAL_FACTOR:
                        raise DataError(f"{where}: column 'interval': bad interval {text!r}")
                    interval = text
            count = 1
            if idx["interval_count"] is not None:
                text = field(name, line, record, idx["interval_count"], "interval_count")
                if text != "":
                    if not _COUNT_RE.match(text) or int(text) < 1:
                        raise DataError(
                            f"{where}: column 'interval_count': not a whole number >= 1: {text!r}")
                    count = int(text)
            quantity = Fraction(1)
            if idx["quantity"] is not None:
                text = field(name, line, record, idx["quantity"], "quantity")
                if text != "":
                    m = _QUANTITY_RE.match(text)
                    if not m or len(m.group(1) or "") > 6:
                        raise DataError(f"{where}: column 'quantity': bad quantity {text!r}")
                    quantity = Fraction(text)
            currency = ""
            if idx["currency"] is not None:
                currency = parse_currency(
                    field(name, line, record, idx["currency"], "currency"), where)
            seg = [field(name, line, record, i, given) for given, i in seg_idx]
            kept.append(dict(cid=cid, start=start, end=end,
                             mrr=subscription_mrr(amount, quantity, interval, count),
                             currency=currency, seg=seg, file=name, line=line))
    return kept, has_currency


def snapshot_dates(kept, as_of=None, snapshot_day=None):
    """Month ends (or day N, clamped) d with first start <= d <= as-of."""
    if not kept:
        return []
    first = min(r["start"] for r in kept)
    if as_of is None:
        as_of = max(max(r["start"] for r in kept),
                    max((r["end"] for r in kept if r["end"] is not None),
                        default=first))
    dates = []
    y, m = first.year, first.month
    while (y, m) <= (as_of.year, as_of.month):
        last = calendar.monthrange(y, m)[1]
        d = datetime.date(y, m, last if snapshot_day is None else min(snapshot_day, last))
        if first <= d <= as_of:
            dates.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dates


def derive(kept, dates):
    """The derived snapshot rows, ordered by date then input order.

    Each: dict(cid, date, amount, currency, seg, source).  A date on which no
    subscription counts gets one zero row: the first kept row's (in input
    order) customer, mrr 0, no currency, blank segment values and an empty
    source (docs/inputs.md).
    """
    out = []
    for d in dates:
        any_row = False
        for r in kept:
            if r["start"] <= d and (r["end"] is None or d < r["end"]):
                out.append(dict(cid=r["cid"], date=d, amount=r["mrr"],
                                currency=r["currency"], seg=list(r["seg"]),
                                source=f"{r['file']}:{r['line']}"))
                any_row = True
        if not any_row:
            first = kept[0]
            out.append(dict(cid=first["cid"], date=d, amount=ZERO,
                            currency="", seg=[""] * len(first["seg"]),
                            source=""))
    return out


def read_snapshot_rows(paths, segment_cols=()):
    """Snapshot files -> (rows in input order, has_currency_column)."""
    rows = []
    has_currency = False
    for path in paths:
        name, header, _, records = read_table(path)
        idx = {c: column_index(name, header, c) for c in ("customer_id", "date", "mrr")}
        cur_idx = column_index(name, header, "currency", required=False)
        has_currency = has_currency or cur_idx is not None
        seg_idx = []
        for given in segment_cols:
            want = R.trim(given).lower()
            if want not in header:
                raise DataError(f"{name}: missing column '{given}' (--segment-by)")
            seg_idx.append((given, header.index(want)))
        for line, record in records:
            where = f"{name}:{line}"
            cid = field(name, line, record, idx["customer_id"], "customer_id")
            if cid == "":
                raise DataError(f"{where}: column 'customer_id': empty customer id")
            text = field(name, line, record, idx["date"], "date")
            try:
                d = R.parse_date(text)
            except ValueError as e:
                raise DataError(f"{where}: column 'date': bad date {text!r} ({e})")
            text = field(name, line, record, idx["mrr"], "mrr")
            if text == "":
                raise DataError(f"{where}: column 'mrr': empty amount")
            try:
                amount = R.parse_amount(text)
            except ValueError as e:
                raise DataError(f"{where}: column 'mrr': bad amount {text!r} ({e})")
            cur = ""
            if cur_idx is not None:
                cur = parse_currency(field(name, line, record, cur_idx, "currency"), where)
            seg = [field(name, line, record, i, given) for given, i in seg_idx]
            rows.append(dict(cid=cid, date=d, amount=amount, currency=cur, seg=seg,
                             source=f"{name}:{line}"))
    if not rows:
        raise DataError("empty data set: no data rows in any input file")
    return rows, has_currency


def load_rows(args):
    """Rows of the data set (subscriptions derived first) + has_currency."""
    if args.input == "subscriptions":
        kept, has_currency = read_subscriptions(args.files, args.segment_by,
                                                args.exclude_status)
        if not kept:
            raise DataError("empty data set: no subscription rows are kept")
        rows = derive(kept, snapshot_dates(kept, args.as_of, args.snapshot_day))
        if not rows:
            raise DataError("empty data set: no snapshot date between the first "
                            "start and the as-of date")
        return rows, has_currency
    return read_snapshot_rows(args.files, args.segment_by)


def snapshots_text(rows, has_currency, segment_cols):
    header = ["customer_id", "date", "mrr"]
    if has_currency:
        header.append("currency")
    header += [R.trim(c) for c in segment_cols]
    header.append("source")
    lines = [",".join(R.csv_field(h) for h in header)]
    for r in sorted(rows, key=lambda r: r["date"]):        # stable: input order kept
        f = [R.csv_field(r["cid"]), r["date"].isoformat(), fmt_fixed(r["amount"], 6)]
        if has_currency:
            f.append(r["currency"])
        f += [R.csv_field(v) for v in r["seg"]]
        f.append(R.csv_field(r["source"]))
        lines.append(",".join(f))
    return R.lines_text(lines)


# ---------------------------------------------------------------------------
# Rates and customer map
# ---------------------------------------------------------------------------

class Rates:
    def __init__(self, path, reporting):
        name, header, _, records = read_table(path)
        idx = {c: column_index(name, header, c) for c in ("date", "currency", "rate")}
        self.reporting = reporting
        self.by_cur = {}
        seen = {}
        for line, record in records:
            where = f"{name}:{line}"
            text = field(name, line, record, idx["date"], "date")
            try:
                d = R.parse_date(text)
            except ValueError as e:
                raise DataError(f"{where}: column 'date': bad date {text!r} ({e})")
            cur = parse_currency(field(name, line, record, idx["currency"], "currency"), where)
            if cur == "":
                raise DataError(f"{where}: column 'currency': empty currency")
            text = field(name, line, record, idx["rate"], "rate")
            m = _RATE_RE.match(text)
            if not m or len(m.group(1) or "") > 12 or Fraction(text) <= 0:
                raise DataError(f"{where}: column 'rate': bad rate {text!r}")
            rate = Fraction(text)
            if (cur, d) in seen:
                raise DataError(f"{where}: a second rate for {cur} on {d} "
                                f"(first on line {seen[(cur, d)]})")
            seen[(cur, d)] = line
            if cur == reporting and rate != 1:
                raise DataError(f"{where}: the reporting currency {cur} must have rate 1")
            self.by_cur.setdefault(cur, []).append((d, rate))
        for lst in self.by_cur.values():
            lst.sort()

    def rate(self, cur, d):
        """Latest rate of cur on or before d, or None."""
        if cur == self.reporting:
            return Fraction(1)
        best = None
        for rd, rate in self.by_cur.get(cur, ()):
            if rd <= d:
                best = rate
            else:
                break
        return best

    def lenient(self, cur, d):
        """A rate for dates whose values only matter as zero / non-zero."""
        r = self.rate(cur, d)
        if r is None:
            lst = self.by_cur.get(cur)
            r = lst[0][1] if lst else Fraction(1)
        return r


def read_customer_map(path):
    """Return a function id -> topmost parent."""
    name, header, _, records = read_table(path)
    ci = column_index(name, header, "customer_id")
    pi = column_index(name, header, "parent_id")
    parent = {}
    line_of = {}
    for line, record in records:
        child = field(name, line, record, ci, "customer_id")
        if child == "":
            raise DataError(f"{name}:{line}: column 'customer_id': empty customer id")
        p = field(name, line, record, pi, "parent_id")
        p = None if p == "" or p == child else p
        if child in line_of and parent.get(child) != p:
            raise DataError(f"{name}: customer '{child}' has two parents "
                            f"(lines {line_of[child]} and {line})")
        line_of.setdefault(child, line)
        if p is not None:
            parent[child] = p
    top = {}
    for child in parent:
        chain = [child]
        cur = child
        while cur in parent:
            cur = parent[cur]
            if cur in chain:
                cyc = chain[chain.index(cur):] + [cur]
                raise DataError(f"{name}: customer map has a cycle: " + " \u2192 ".join(cyc))
            chain.append(cur)
        top[child] = cur
    return lambda cid: top.get(cid, cid)


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

def window_rows(totals, label, start, end, between, reactivation, seg_at):
    """ndr_ref.compute_rows for one report window."""
    total = R.new_row(label, start, end, R.ALL_SEGMENT if seg_at is not None else None)
    by_segment = {}
    for cid in sorted(totals, key=R.byte_key):
        in_cohort, s, e, kinds = R.classify(totals[cid], start, end, between, reactivation)
        if not kinds:
            continue
        R.add_customer(total, in_cohort, s, e, kinds)
        if seg_at is not None:
            seg = R.customer_segment(cid, in_cohort, start, end, seg_at)
            if seg not in by_segment:
                by_segment[seg] = R.new_row(label, start, end, seg)
            R.add_customer(by_segment[seg], in_cohort, s, e, kinds)
    total["_end_total"] = sum((per.get(end, ZERO) for per in totals.values()), ZERO)
    out = [R.finish_row(by_segment[seg]) for seg in sorted(by_segment, key=R.byte_key)]
    out.append(R.finish_row(total))
    return out


def compute_report(rows, args):
    """Return the report CSV text and the number of rows."""
    segmented = bool(args.segment_by)
    top = read_customer_map(args.customer_map) if args.customer_map else (lambda c: c)

    # Reporting currency (docs/inputs.md "Currencies").
    present = []
    for r in rows:
        if r["currency"] and r["currency"] not in present:
            present.append(r["currency"])
    if args.currency:
        reporting = args.currency
    elif not args.fx:
        reporting = present[0] if present else ""
    else:
        reporting = "USD"
    if not args.fx:
        others = [c for c in present if c != reporting]
        if others:
            raise DataError(f"amounts in {others[0]} and {reporting or present[0]} "
                            f"need --fx (reporting currency {reporting})")
    rates = Rates(args.fx, reporting) if args.fx else None

    # Steps 2 and 3: topmost parent, sums per customer, date and currency.
    groups = {}          # cid -> date -> currency -> Fraction
    seg_at = {}
    best = {}
    seg_rows = {}        # (cid, date) -> [(amount, currency, label)] in read order
    for r in rows:
        cid = top(r["cid"])
        cur = r["currency"] or reporting
        per = groups.setdefault(cid, {}).setdefault(r["date"], {})
        per[cur] = per.get(cur, ZERO) + r["amount"]
        if segmented:
            key = (cid, r["date"])
            seg_rows.setdefault(key, []).append((r["amount"], cur, R.segment_label(r["seg"])))
            if key not in best or r["amount"] > best[key]:
                best[key] = r["amount"]
                seg_at.setdefault(cid, {})[r["date"]] = R.segment_label(r["seg"])
    for cid, per_date in groups.items():
        for d, per_cur in per_date.items():
            for cur, total in per_cur.items():
                if total < 0:
                    raise DataError(f"customer '{cid}' has a negative total "
                                    f"{R.fmt_money(total)} {cur} at {d.isoformat()}")

    # Only the date keys matter for the report windows.
    keys = {cid: {d: ZERO for d in per} for cid, per in groups.items()}
    windows = list(R.report_windows(keys, args.period, args.fiscal_year_start, args.window))
    seg_arg = seg_at if segmented else None

    if rates is None:
        plain = {cid: {d: sum(pc.values(), ZERO) for d, pc in per.items()}
                 for cid, per in groups.items()}
        out = []
        for w in windows:
            out += window_rows(plain, *w, args.reactivation, seg_arg)
        header = R.SEGMENTED_HEADER if segmented else R.HEADER
        return R.lines_text([header] + [R.format_row(x) for x in out]), len(out)

    # Step 4: conversion.  Check every rate the printed numbers need first.
    # "Has an amount" = a non-zero sum for that customer, date and currency (a
    # zero converts to zero at any rate, so it needs none).
    need = set()
    for _, s, e, _ in windows:                       # constant: S's rates for S and E
        for per in groups.values():
            for d in (s, e):
                for cur, amount in per.get(d, {}).items():
                    if amount != 0:
                        need.add((cur, s))
    for _, s, e, _ in windows:                       # spot: each end at its own date's
        for per in groups.values():                  # (fx_impact_mrr needs both modes)
            for d in (s, e):
                for cur, amount in per.get(d, {}).items():
                    if amount != 0:
                        need.add((cur, d))
    missing = sorted((d, cur) for cur, d in need if rates.rate(cur, d) is None)
    if missing:
        d, cur = missing[0]
        raise DataError(f"{args.fx}: no {cur} rate on or before {d.isoformat()}")

    def convert(per_cur, d, strict):
        total = ZERO
        for cur, amount in per_cur.items():
            if amount == 0:
                continue
            rate = rates.rate(cur, d) if strict else rates.lenient(cur, d)
            assert rate is not None
            total += round_half_even(amount * rate, 6)
        return total

    def converted_segments(rate_day):
        """SPEC §4 with several currencies (docs/inputs.md): the row with the
        largest amount once converted at rate_day(d)'s rates; ties: read first."""
        out = {}
        for (cid, d), cands in seg_rows.items():
            best_label, best_value = None, None
            for amount, cur, label in cands:
                rate = rates.rate(cur, rate_day(d)) or rates.lenient(cur, rate_day(d))
                value = round_half_even(amount * rate, 6)
                if best_value is None or value > best_value:
                    best_label, best_value = label, value
            out.setdefault(cid, {})[d] = best_label
        return out

    # Spot: each date at its own rates; only rows' starts and ends are numbers.
    exact = {d for _, s, e, _ in windows for d in (s, e)}
    spot = {cid: {d: convert(pc, d, d in exact) for d, pc in per.items()}
            for cid, per in groups.items()}
    out = []
    for w in windows:
        label, s, e, between = w
        const = {}
        for cid, per in groups.items():
            const[cid] = {d: (convert(pc, s, True) if d in (s, e)
                              else convert(pc, d, False))
                          for d, pc in per.items()}
        c_rows = window_rows(const, *w, args.reactivation,
                             converted_segments(lambda d: s) if segmented else None)
        s_rows = window_rows(spot, *w, args.reactivation,
                             converted_segments(lambda d: d) if segmented else None)
        c_end = {x.get("segment"): x["ending_mrr"] for x in c_rows}
        s_end = {x.get("segment"): x["ending_mrr"] for x in s_rows}
        for x in (c_rows if args.fx_mode == "constant" else s_rows):
            k = x.get("segment")
            x["_fx"] = s_end.get(k, ZERO) - c_end.get(k, ZERO)
            out.append(x)
    header = (R.SEGMENTED_HEADER if segmented else R.HEADER) + ",fx_impact_mrr"
    lines = [header] + [R.format_row(x) + "," + R.fmt_money(x["_fx"]) for x in out]
    return R.lines_text(lines), len(out)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def parse_args(argv):
    mode = "report"
    if argv and argv[0] in ("report", "snapshots"):
        mode = argv.pop(0)
    ap = argparse.ArgumentParser(prog=f"ndr_ref_inputs.py {mode}")
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--input", choices=["snapshots", "subscriptions"], default="snapshots")
    ap.add_argument("--as-of", metavar="DATE")
    ap.add_argument("--snapshot-day", type=int, metavar="N")
    ap.add_argument("--exclude-status", default="", metavar="LIST")
    ap.add_argument("--fx", metavar="RATES")
    ap.add_argument("--currency", metavar="CODE")
    ap.add_argument("--fx-mode", choices=["constant", "spot"], default="constant")
    ap.add_argument("--customer-map", metavar="MAP")
    ap.add_argument("--period", choices=["month", "quarter", "year"], default="month")
    ap.add_argument("--fiscal-year-start", type=int, default=1, metavar="M")
    ap.add_argument("--window", type=int, default=1, metavar="W")
    ap.add_argument("--reactivation", choices=["separate", "include"], default="separate")
    ap.add_argument("--segment-by", action="append", default=[], metavar="COLUMN")
    args = ap.parse_args(argv)
    args.mode = mode
    if not 1 <= args.fiscal_year_start <= 12:
        ap.error("--fiscal-year-start must be 1..12")
    if args.window < 1:
        ap.error("--window must be >= 1")
    if args.snapshot_day is not None and not 1 <= args.snapshot_day <= 31:
        ap.error("--snapshot-day must be 1..31")
    if args.as_of is not None:
        try:
            args.as_of = R.parse_date(R.trim(args.as_of))
        except ValueError:
            ap.error(f"--as-of: bad date {args.as_of!r}")
    if args.currency is not None:
        args.currency = R.trim(args.currency).upper()
        if not _CURRENCY_RE.match(args.currency):
            ap.error("--currency takes a three-letter code")
    args.exclude_status = [s for s in args.exclude_status.split(",") if R.trim(s)]
    return args


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--self-test"]:
        return self_test()
    args = parse_args(argv)
    try:
        rows, has_currency = load_rows(args)
        if args.mode == "snapshots":
            text = snapshots_text(rows, has_currency, args.segment_by)
        else:
            text, n = compute_report(rows, args)
            if n == 0:
                print("ndr_ref_inputs: warning: no period has both a start and an end "
                      "snapshot", file=sys.stderr)
    except DataError as e:
        print(f"ndr_ref_inputs: error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------------------
# Self-test: hand-worked cases
# ---------------------------------------------------------------------------

def self_test():
    H = R.HEADER
    HF = R.HEADER + ",fx_impact_mrr"

    # Monthly amounts, worked by hand.
    M = subscription_mrr
    one = Fraction(1)
    assert M(Fraction(1200), one, "year", 1) == Fraction("100")
    assert M(Fraction(100), one, "quarter", 1) == Fraction("33.333333")     # 33.3333333..
    assert M(Fraction(10), one, "week", 1) == Fraction("43.333333")         # 520/12
    assert M(Fraction(1), one, "day", 1) == Fraction("30.416667")           # 365/12 = 30.41666..
    assert M(Fraction(300), Fraction(2), "month", 3) == Fraction("200")
    # half to even: docs' examples, and ties on either side
    assert round_half_even(Fraction("0.0000005")) == 0
    assert round_half_even(Fraction("0.0000015")) == Fraction("0.000002")
    assert M(Fraction("0.000005"), one, "month", 2) == Fraction("0.000002")  # 0.0000025
    assert M(Fraction("1200.000018"), one, "year", 1) == Fraction("100.000002")  # 100.0000015
    assert M(Fraction("1200.000006"), one, "year", 1) == Fraction("100")   # 100.0000005
    assert round_half_even(Fraction("-0.0000025")) == Fraction("-0.000002")
    # 12000 yen at 0.0067 = 80.40 dollars exactly
    assert round_half_even(Fraction(12000) * Fraction("0.0067")) == Fraction("80.4")
    print("ok   monthly amounts and rounding")

    me = os.path.abspath(__file__)

    def run(files, *opts, mode="report", rc=0):
        with tempfile.TemporaryDirectory() as tmp:
            names = []
            for fname, text in files.items():
                with open(os.path.join(tmp, fname), "w", newline="") as f:
                    f.write(text)
                names.append(fname)
            data = [n for n in names if n.startswith("s")]
            opts = [o.replace("@", tmp + "/") for o in opts]
            p = subprocess.run([sys.executable, me, mode] + data + list(opts),
                               capture_output=True, text=True, cwd=tmp)
        assert p.returncode == rc, (p.returncode, p.stderr)
        return p.stdout

    # 1. Every interval; ends on a month end; a zero date; snapshot rows.
    subs = ("customer_id,start_date,end_date,amount,interval\n"
            "y,2024-01-01,,1200,year\n"
            "q,2024-01-01,2024-02-29,100,Quarter\n"
            "w,2024-02-01,,10,WEEK\n"
            "d,2024-01-31,2024-01-31,1,day\n"        # never counts
            "d,2024-03-01,,1,day\n")
    out = run({"subs.csv": subs}, "--input", "subscriptions", "--as-of", "2024-03-31",
              mode="snapshots")
    assert out == ("customer_id,date,mrr,source\n"
                   "y,2024-01-31,100.000000,subs.csv:2\n"
                   "q,2024-01-31,33.333333,subs.csv:3\n"
                   "y,2024-02-29,100.000000,subs.csv:2\n"
                   "w,2024-02-29,43.333333,subs.csv:4\n"
                   "y,2024-03-31,100.000000,subs.csv:2\n"
                   "w,2024-03-31,43.333333,subs.csv:4\n"
                   "d,2024-03-31,30.416667,subs.csv:6\n"), out
    out = run({"subs.csv": subs}, "--input", "subscriptions", "--as-of", "2024-03-31")
    # 2024-02: cohort y 100, q 33.333333 -> q churned (ends on 02-29), w new.
    # 2024-03: cohort y, w flat; d new.
    assert out == (H + "\n"
                   "2024-02,2024-01-31,2024-02-29,2,1,0,0,1,133.33,0.00,0.00,33.33,"
                   "100.00,0.7500,0.7500,0.5000,0.00,0,43.33,1\n"
                   "2024-03,2024-02-29,2024-03-31,2,2,0,0,0,143.33,0.00,0.00,0.00,"
                   "143.33,1.0000,1.0000,1.0000,0.00,0,30.42,1\n"), out
    print("ok   intervals, end on a month end, end = start")

    # 2. A date with nothing counting keeps a zero row; default as-of = latest
    #    start/end (2024-04-01); --snapshot-day 30 clamps to 02-29.
    subs = ("customer_id,start_date,end_date,amount\n"
            "a,2024-01-15,2024-02-29,10\n"
            "b,2024-04-01,,20\n")
    out = run({"subs.csv": subs}, "--input", "subscriptions", mode="snapshots")
    assert out == ("customer_id,date,mrr,source\n"
                   "a,2024-01-31,10.000000,subs.csv:2\n"
                   "a,2024-02-29,0.000000,\n"
                   "a,2024-03-31,0.000000,\n"), out
    out = run({"subs.csv": subs}, "--input", "subscriptions")
    assert out == (H + "\n"
                   "2024-02,2024-01-31,2024-02-29,1,0,0,0,1,10.00,0.00,0.00,10.00,"
                   "0.00,0.0000,0.0000,0.0000,0.00,0,0.00,0\n"
                   "2024-03,2024-02-29,2024-03-31,0,0,0,0,0,0.00,0.00,0.00,0.00,"
                   "0.00,,,,0.00,0,0.00,0\n"), out
    out = run({"subs.csv": subs}, "--input", "subscriptions", "--snapshot-day", "30",
              mode="snapshots")
    assert out == ("customer_id,date,mrr,source\n"
                   "a,2024-01-30,10.000000,subs.csv:2\n"
                   "a,2024-02-29,0.000000,\n"
                   "a,2024-03-30,0.000000,\n"), out
    print("ok   zero rows, default as-of, --snapshot-day clamping")

    # 3. Currencies: 12000 JPY at 0.0067 = 80.40 USD; an EUR amount unchanged
    #    while EUR moves 1.10 -> 1.20: constant NDR 1.0000, spot 1.0909
    #    (120/110), fx impact 10.00 in both modes.
    subs = ("customer_id,start_date,end_date,amount,currency\n"
            "j,2024-01-01,,12000,jpy\n"
            "e,2024-01-01,,100,EUR\n")
    rates = ("Currency,Date,Rate\n"
             "EUR,2024-01-01,1.10\n"
             "JPY,2024-01-01,0.0067\n"
             "EUR,2024-02-15,1.2\n")
    out = run({"subs.csv": subs}, "--input", "subscriptions", "--as-of", "2024-02-29",
              mode="snapshots")
    assert out == ("customer_id,date,mrr,currency,source\n"
                   "j,2024-01-31,12000.000000,JPY,subs.csv:2\n"
                   "e,2024-01-31,100.000000,EUR,subs.csv:3\n"
                   "j,2024-02-29,12000.000000,JPY,subs.csv:2\n"
                   "e,2024-02-29,100.000000,EUR,subs.csv:3\n"), out
    common = ["--input", "subscriptions", "--as-of", "2024-02-29", "--fx", "@rates.csv"]
    out = run({"subs.csv": subs, "rates.csv": rates}, *common)
    # starting 80.40 + 110.00 = 190.40; constant ending the same; spot ending 200.40
    assert out == (HF + "\n"
                   "2024-02,2024-01-31,2024-02-29,2,2,0,0,0,190.40,0.00,0.00,0.00,"
                   "190.40,1.0000,1.0000,1.0000,0.00,0,0.00,0,10.00\n"), out
    out = run({"subs.csv": subs, "rates.csv": rates}, *common, "--fx-mode", "spot")
    # 200.40 / 190.40 = 1.05252..
    assert out == (HF + "\n"
                   "2024-02,2024-01-31,2024-02-29,2,2,1,0,0,190.40,10.00,0.00,0.00,"
                   "200.40,1.0525,1.0000,1.0000,0.00,0,0.00,0,10.00\n"), out
    only_e = "customer_id,start_date,end_date,amount,currency\ne,2024-01-01,,100,EUR\n"
    out = run({"subs.csv": only_e, "rates.csv": rates}, *common, "--fx-mode", "spot")
    assert out.splitlines()[1] == ("2024-02,2024-01-31,2024-02-29,1,1,1,0,0,110.00,10.00,"
                                   "0.00,0.00,120.00,1.0909,1.0000,1.0000,0.00,0,0.00,0,"
                                   "10.00"), out
    out = run({"subs.csv": only_e, "rates.csv": rates}, *common)
    assert out.splitlines()[1] == ("2024-02,2024-01-31,2024-02-29,1,1,0,0,0,110.00,0.00,"
                                   "0.00,0.00,110.00,1.0000,1.0000,1.0000,0.00,0,0.00,0,"
                                   "10.00"), out
    # per-currency sums are rounded once: 3 x 0.000001 EUR at 1.5 = 0.0000045
    # -> 0.000004 (not 3 x 0.000002 = 0.000006)
    assert round_half_even(3 * Fraction("0.000001") * Fraction("1.5")) == Fraction("0.000004")
    # a missing rate, a second currency without --fx, reporting rate not 1
    run({"subs.csv": subs, "rates.csv": "date,currency,rate\n2024-01-01,EUR,1.1\n"},
        *common, rc=1)
    run({"subs.csv": subs}, "--input", "subscriptions", rc=1)
    run({"subs.csv": subs, "rates.csv": rates + "USD,2024-01-01,1.5\n"}, *common, rc=1)
    # The zero rows carry no currency; a zero amount needs no rate, so no EUR
    # rate is needed in either mode.
    subs = ("customer_id,start_date,end_date,amount,currency\n"
            "a,2024-02-05,2024-02-10,10,eur\n"          # counts on no snapshot date
            "b,2024-01-01,2024-02-15,5,USD\n"
            "c,2024-04-01,,7,\n")
    out = run({"subs.csv": subs}, "--input", "subscriptions", "--as-of", "2024-04-30",
              mode="snapshots")
    assert out == ("customer_id,date,mrr,currency,source\n"
                   "b,2024-01-31,5.000000,USD,subs.csv:3\n"
                   "a,2024-02-29,0.000000,,\n"
                   "a,2024-03-31,0.000000,,\n"
                   "c,2024-04-30,7.000000,,subs.csv:4\n"), out
    jpy_only = "date,currency,rate\n2024-01-01,JPY,0.0067\n"
    for mode in ("constant", "spot"):
        out = run({"subs.csv": subs, "rates.csv": jpy_only}, "--input", "subscriptions",
                  "--as-of", "2024-04-30", "--fx", "@rates.csv", "--fx-mode", mode)
        assert out.splitlines()[1:] == [
            "2024-02,2024-01-31,2024-02-29,1,0,0,0,1,5.00,0.00,0.00,5.00,0.00,"
            "0.0000,0.0000,0.0000,0.00,0,0.00,0,0.00",
            "2024-03,2024-02-29,2024-03-31,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,"
            ",,,0.00,0,0.00,0,0.00",
            "2024-04,2024-03-31,2024-04-30,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,"
            ",,,0.00,0,7.00,1,0.00"], out
    print("ok   currencies: JPY, constant vs spot, fx impact, errors, zero rows")

    # 4. Customer map: a -> b -> c, all count as c (a move within the group
    #    is neither churn nor new); a cycle is an error.
    snaps = ("customer_id,date,mrr\n"
             "a,2024-01-31,10\n"
             "c,2024-01-31,5\n"
             "b,2024-02-29,10\n"
             "c,2024-02-29,6\n"
             "x,2024-02-29,1\n")
    cmap = "Customer_ID,Parent_ID\na,b\nb,c\nc,\nx,x\n"
    out = run({"snaps.csv": snaps, "map.csv": cmap}, "--customer-map", "@map.csv")
    assert out == (H + "\n"
                   "2024-02,2024-01-31,2024-02-29,1,1,1,0,0,15.00,1.00,0.00,0.00,"
                   "16.00,1.0667,1.0000,1.0000,0.00,0,1.00,1\n"), out
    run({"snaps.csv": snaps, "map.csv": "customer_id,parent_id\na,b\nb,a\n"},
        "--customer-map", "@map.csv", rc=1)
    run({"snaps.csv": snaps, "map.csv": "customer_id,parent_id\na,b\na,c\n"},
        "--customer-map", "@map.csv", rc=1)
    print("ok   customer map chains, cycles, two parents")

    # 5. Statuses: excluded rows take no part in the bounds; quantity and
    #    interval_count; the derived file reproduces the report.
    subs = ("customer_id,start_date,end_date,amount,quantity,interval_count,status\n"
            "a,2023-11-10,,90,2,3,Trialing\n"
            "a,2024-01-10,2024-03-31,90,2,3,active\n"
            "b,2024-01-20,,10.5,0.5,,ACTIVE\n")
    out = run({"subs.csv": subs}, "--input", "subscriptions",
              "--exclude-status", " trialing ,x", mode="snapshots")
    assert out == ("customer_id,date,mrr,source\n"
                   "a,2024-01-31,60.000000,subs.csv:3\n"
                   "b,2024-01-31,5.250000,subs.csv:4\n"
                   "a,2024-02-29,60.000000,subs.csv:3\n"
                   "b,2024-02-29,5.250000,subs.csv:4\n"
                   "b,2024-03-31,5.250000,subs.csv:4\n"), out
    direct = run({"subs.csv": subs}, "--input", "subscriptions",
                 "--exclude-status", "trialing")
    assert direct == run({"snaps.csv": out}), direct
    assert direct.splitlines()[1:] == [
        "2024-02,2024-01-31,2024-02-29,2,2,0,0,0,65.25,0.00,0.00,0.00,"
        "65.25,1.0000,1.0000,1.0000,0.00,0,0.00,0",
        "2024-03,2024-02-29,2024-03-31,2,1,0,0,1,65.25,0.00,0.00,60.00,"
        "5.25,0.0805,0.0805,0.5000,0.00,0,0.00,0"], direct
    print("ok   --exclude-status, quantity, interval_count")
    print("self-test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
