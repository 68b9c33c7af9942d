#!/usr/bin/env python3
"""Runs a command RUNS times (standard output discarded) and prints one TSV
line: label, rows, bytes, median wall s, its CPU s, its peak RSS KiB.

Usage: measure.py LABEL ROWS BYTES RUNS -- COMMAND...
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
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    label, rows, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    results = sorted(once(cmd) for _ in range(runs))
    wall, cpu, rss = results[len(results) // 2]
    print(f"{label}\t{rows}\t{size}\t{wall:.3f}\t{cpu:.3f}\t{rss}")


if __name__ == "__main__":
    main()
