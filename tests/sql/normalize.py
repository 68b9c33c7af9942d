#!/usr/bin/env python3
"""A snapshot CSV (SPEC §1) as plain CSV a database loads without help.

    normalize.py IN.csv OUT.csv [--customer-col C] [--date-col D] [--mrr-col M]

Writes line,customer_id,date,mrr,<every other column> with the id and other
fields as written (the query trims them, as ndr does), the date as
YYYY-MM-DD (YYYY-MM is the month's last day; a date-time's date part) and
the amount as a plain decimal ($ € £, thousands separators and accounting
parentheses taken off). `line` numbers the rows in file order: the order a
table gives `ndr sql --order-col line`. Only what the SQL test samples use
is read; anything else is an error, never a guess.
"""
import calendar
import csv
import re
import sys


def plain_amount(text):
    t = text.strip(" \t")
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip(" \t")
    if t[:1] in "+-":
        negative, t = negative ^ (t[0] == "-"), t[1:]
    t = t.lstrip("$€£").strip(" \t")
    if not re.fullmatch(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+", t):
        sys.exit(f"normalize.py: amount {text!r} is not plain enough for a test")
    t = t.replace(",", "")
    return ("-" if negative else "") + t


def plain_date(text):
    t = text.strip(" \t")
    m = re.fullmatch(r"(\d{4})-(\d{2})(-(\d{2}))?([T ].*)?", t)
    if not m:
        sys.exit(f"normalize.py: date {text!r} is not plain enough for a test")
    y, mo = int(m.group(1)), int(m.group(2))
    d = int(m.group(4)) if m.group(4) else calendar.monthrange(y, mo)[1]
    return f"{y:04}-{mo:02}-{d:02}"


def main():
    args = sys.argv[1:]
    names = {"--customer-col": "customer_id", "--date-col": "date", "--mrr-col": "mrr"}
    paths = []
    while args:
        a = args.pop(0)
        if a in names:
            names[a] = args.pop(0)
        else:
            paths.append(a)
    src, dst = paths
    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = [h.strip(" \t") for h in rows[0]]
    lower = [h.lower() for h in header]
    ci, di, mi = (lower.index(names[k].lower()) for k in ("--customer-col", "--date-col", "--mrr-col"))
    others = [i for i in range(len(header)) if i not in (ci, di, mi)]
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["line", "customer_id", "date", "mrr"] + [header[i] for i in others])
        for n, r in enumerate(rows[1:], start=2):
            if not r:
                continue
            w.writerow([n, r[ci], plain_date(r[di]), plain_amount(r[mi])] + [r[i] for i in others])


if __name__ == "__main__":
    main()
