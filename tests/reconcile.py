#!/usr/bin/env python3
"""The movements ledger reconciles with the report, on every sample, and the
(all) rows of a segmented report are the unsegmented report.

For each sample and option set, every report row is compared with the sums of
`ndr movements --at <that period>` for the same options: per movement kind the
ledger's deltas add up to the row's expansion, contraction, churn,
reactivation and new MRR; its line counts to the row's customer counts; and
with --segment-by, per segment too. The samples' amounts have at most two
decimals, so the printed cents add up exactly.

Usage: reconcile.py NDR_BINARY PROJECT_ROOT
"""
import csv
import io
import os
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal

NDR, ROOT = sys.argv[1], sys.argv[2]
SAMPLES = ["samples/tiny.csv", "samples/realistic.csv", "samples/fiscal.csv"]
OPTION_SETS = [
    [],
    ["--reactivation", "include"],
    ["--window", "3"],
    ["--period", "quarter", "--fiscal-year-start", "4"],
    ["--segment-by", "plan"],
    ["--segment-by", "plan", "--segment-by", "region", "--window", "12", "--reactivation", "include"],
]


def ndr(*args):
    out = subprocess.run([NDR, *args, "--format", "csv"], capture_output=True, text=True, check=True)
    return list(csv.DictReader(io.StringIO(out.stdout)))


def main():
    checks = failures = 0
    for sample in SAMPLES:
        path = os.path.join(ROOT, sample)
        header = open(path).readline()
        for opts in OPTION_SETS:
            if "--segment-by" in opts and "plan" not in header:
                continue
            for row in ndr("report", path, *opts):
                if row.get("segment", "(all)") != "(all)":
                    continue
                lines = ndr("movements", path, *opts, "--at", row["period"])
                groups = defaultdict(list)  # segment → lines
                for l in lines:
                    groups["(all)"].append(l)
                    if "segment" in l:
                        groups[l["segment"]].append(l)
                rows = {r.get("segment", "(all)"): r for r in ndr("report", path, *opts,
                                                                   "--from", row["period"],
                                                                   "--to", row["period"])}
                for seg, seg_lines in groups.items():
                    checks += 1
                    r = rows[seg]
                    total = defaultdict(Decimal)
                    count = defaultdict(int)
                    for l in seg_lines:
                        total[l["movement"]] += Decimal(l["delta"])
                        count[l["movement"]] += 1
                    cohort = sum(count[k] for k in ("expansion", "contraction", "churn", "flat"))
                    want = {
                        "expansion": (Decimal(r["expansion_mrr"]), int(r["expanded_customers"])),
                        "contraction": (-Decimal(r["contraction_mrr"]), int(r["contracted_customers"])),
                        "churn": (-Decimal(r["churned_mrr"]), int(r["churned_customers"])),
                        "reactivation": (Decimal(r["reactivation_mrr"]), int(r["reactivated_customers"])),
                        "new": (Decimal(r["new_mrr"]), int(r["new_customers"])),
                        "flat": (Decimal(0), None),
                    }
                    bad = [k for k, (money, n) in want.items()
                           if total[k] != money or (n is not None and count[k] != n)]
                    if cohort != int(r["cohort_customers"]):
                        bad.append("cohort size")
                    if bad:
                        failures += 1
                        print(f"FAIL {sample} {' '.join(opts)} {row['period']} {seg}: {bad}")
    # The (all) rows of a segmented report are the unsegmented report (SPEC §4).
    for sample in SAMPLES:
        path = os.path.join(ROOT, sample)
        if "plan" not in open(path).readline():
            continue
        for opts in ([], ["--window", "12"], ["--period", "quarter", "--reactivation", "include"]):
            checks += 1
            plain = ndr("report", path, *opts)
            for seg in (["--segment-by", "plan"], ["--segment-by", "plan", "--segment-by", "region"]):
                totals = [{k: v for k, v in r.items() if k != "segment"}
                          for r in ndr("report", path, *opts, *seg) if r["segment"] == "(all)"]
                if totals != plain:
                    failures += 1
                    print(f"FAIL {sample} {' '.join(opts + seg)}: (all) rows differ from the unsegmented report")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
