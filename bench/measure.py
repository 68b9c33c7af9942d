#!/usr/bin/env python3
"""Runs a command RUNS times (standard output discarded) and prints one TSV
line: label, rows, bytes, median wall s, its CPU s, its peak RSS KiB, its
kernel (system) CPU s.

With --paired, runs a baseline command and the command alternately, RUNS
pairs, and prints the median of the per-pair ratios instead: label, rows,
bytes, wall ratio, CPU ratio, the command's peak RSS KiB, its kernel s.
A noisy machine slows both halves of a pair alike, so the ratio holds.

Usage: measure.py LABEL ROWS BYTES RUNS -- COMMAND...
       measure.py --paired LABEL ROWS BYTES RUNS -- BASELINE... -- COMMAND...
"""
import os
import subprocess
import sys
import time


def once(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"measure: {' '.join(cmd)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, usage.ru_stime


def median(xs):
    return sorted(xs)[len(xs) // 2]


def main():
    args = sys.argv[1:]
    paired = args[0] == "--paired"
    if paired:
        args = args[1:]
    label, rows, size, runs = args[0], int(args[1]), int(args[2]), int(args[3])
    cut = args.index("--")
    if not paired:
        results = sorted(once(args[cut + 1:]) for _ in range(runs))
        wall, cpu, rss, kernel = results[len(results) // 2]
        print(f"{label}\t{rows}\t{size}\t{wall:.3f}\t{cpu:.3f}\t{rss}\t{kernel:.3f}")
        return
    second = args.index("--", cut + 1)
    base_cmd, cmd = args[cut + 1:second], args[second + 1:]
    pairs = []
    for _ in range(runs):
        base, this = once(base_cmd), once(cmd)
        pairs.append((this[0] / base[0], this[1] / base[1], this[2], this[3]))
    print(f"{label}\t{rows}\t{size}\t{median([p[0] for p in pairs]):.3f}\t"
          f"{median([p[1] for p in pairs]):.3f}\t{median([p[2] for p in pairs])}\t"
          f"{median([p[3] for p in pairs]):.3f}")


if __name__ == "__main__":
    main()
