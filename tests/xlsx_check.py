#!/usr/bin/env python3
"""Checks one sheet of an ndr workbook against the csv ndr prints.

    xlsx_check.py BOOK.xlsx SHEET EXPECTED.csv [--period LABEL] [--money FORMAT]
    xlsx_check.py --sheets BOOK.xlsx
    xlsx_check.py --part BOOK.xlsx PART

The values are read back by xlsx2csv, a reader independent of the writer, and
compared with EXPECTED.csv field by field: text and dates equal, numbers equal
once rounded to the csv's own decimals (2 for money, 4 for ratios, 0 for
counts), an empty ratio a blank cell. With --period, the sheet has a first
field `period` holding LABEL on every row, then EXPECTED's fields (the
Movements sheet). The cell types are read from the sheet's XML with the
standard library: money, ratios and dates are numbers in the formats
--money (default #,##0.00), 0.00% and yyyy-mm-dd, counts plain numbers, text
strings, and the header is bold. --sheets prints the sheet names in order,
--part the text of one part of the zip (xl/styles.xml), or nothing when the
workbook has no such part (so that no unzip program is needed).
Exit status 0 when all agree; each difference is printed.
"""
import csv
import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
MONEY = {"starting_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
         "ending_mrr", "reactivation_mrr", "new_mrr", "fx_impact_mrr",
         "start_mrr", "end_mrr", "delta", "mrr"}
# With --arr the same fields are named *_arr (and the cohorts' mrr is arr).
MONEY |= {f[:-3] + "arr" for f in MONEY if f.endswith("mrr")}
RATIOS = {"ndr", "grr", "logo_retention", "revenue_retention"}
DATES = {"start_date", "end_date"}
COUNTS = {"age", "customers"}


def kind_of(field):
    if field in MONEY:
        return "money"
    if field in RATIOS:
        return "ratio"
    if field in DATES:
        return "date"
    if field in COUNTS or field.endswith("_customers"):
        return "count"
    return "text"


def sheet_names(book):
    with zipfile.ZipFile(book) as z:
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    return [s.get("name") for s in root.find("m:sheets", NS)]


def sheet_xml(z, name):
    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for s in workbook.find("m:sheets", NS):
        if s.get("name") == name:
            rid = s.get("{%s}id" % NS["r"])
            for rel in rels:
                if rel.get("Id") == rid:
                    return ElementTree.fromstring(z.read("xl/" + rel.get("Target")))
    raise SystemExit(f"no sheet {name}")


def styles(z):
    """Per cell style index: (number format code, bold)."""
    root = ElementTree.fromstring(z.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode")
               for f in root.iterfind("m:numFmts/m:numFmt", NS)}
    fonts = [f.find("m:b", NS) is not None for f in root.iterfind("m:fonts/m:font", NS)]
    return [(formats.get(int(xf.get("numFmtId")), "General"), fonts[int(xf.get("fontId"))])
            for xf in root.iterfind("m:cellXfs/m:xf", NS)]


def column_of(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def check_types(book, name, fields, money_format, problems):
    with zipfile.ZipFile(book) as z:
        xf = styles(z)
        root = sheet_xml(z, name)
    for row in root.iterfind("m:sheetData/m:row", NS):
        r = int(row.get("r"))
        for c in row.iterfind("m:c", NS):
            col = column_of(c.get("r"))
            field = fields[col]
            number_format, bold = xf[int(c.get("s", "0"))]
            t = c.get("t", "n")
            has_value = c.find("m:v", NS) is not None
            where = f"{name}!{c.get('r')} ({field})"
            if r == 1:
                if not bold or t not in ("inlineStr", "s"):
                    problems.append(f"{where}: the header is not bold text")
                continue
            kind = kind_of(field)
            want = {"money": money_format, "ratio": "0.00%", "date": "yyyy-mm-dd",
                    "count": "General"}.get(kind)
            if kind == "text":
                if t not in ("inlineStr", "s", "str"):
                    problems.append(f"{where}: text stored as {t}")
            elif t != "n" or number_format != want or (kind != "ratio" and not has_value):
                problems.append(f"{where}: want a number in format {want}, "
                                f"got type {t} in format {number_format}")


def read_back(book, name):
    out = subprocess.run(["xlsx2csv", "-n", name, "-f", "%Y-%m-%d", book],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))


def same_value(field, got, want):
    kind = kind_of(field)
    if kind == "text":
        if want[:1] == "'" and want[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            want = want[1:]  # csv's defence against formulas; xlsx text needs none
        return got == want
    if kind == "date" or want == "":
        return got == want
    decimals = len(want.split(".")[1]) if "." in want else 0
    try:
        return Decimal(got).quantize(Decimal(1).scaleb(-decimals)) == Decimal(want)
    except ArithmeticError:
        return False


def main(argv):
    if argv[1] == "--sheets":
        print("\n".join(sheet_names(argv[2])))
        return 0
    if argv[1] == "--part":
        with zipfile.ZipFile(argv[2]) as z:
            if argv[3] in z.namelist():
                sys.stdout.write(z.read(argv[3]).decode())
        return 0
    book, name, expected_path = argv[1:4]
    options = dict(zip(argv[4::2], argv[5::2]))
    period = options.get("--period")
    with open(expected_path, newline="") as f:
        want = list(csv.reader(f))
    if period is not None:
        want = [["period"] + want[0]] + [[period] + row for row in want[1:]]
    got = read_back(book, name)
    problems = []
    if got[:1] != want[:1]:
        problems.append(f"{name}: header {got[:1]} != {want[:1]}")
    if len(got) != len(want):
        problems.append(f"{name}: {len(got) - 1} rows, want {len(want) - 1}")
    fields = want[0]
    for i, (g, w) in enumerate(zip(got[1:], want[1:]), start=2):
        if len(g) != len(w):
            problems.append(f"{name} row {i}: {g} != {w}")
            continue
        for field, a, b in zip(fields, g, w):
            if not same_value(field, a, b):
                problems.append(f"{name} row {i} {field}: {a!r} != {b!r}")
    check_types(book, name, fields, options.get("--money", "#,##0.00"), problems)
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
