#!/usr/bin/env python3
"""Combine several ferry-bench-codec outputs: per dataset and operation, the median over runs of
each implementation's median pass time and the MB/s it gives; the ratio ferry / swiftprotobuf
taken within each run (both implementations measured minutes apart at most) and its median and
range over the runs; and the geometric mean of the median ratios.

Usage: summarize-runs.py RUN1.txt RUN2.txt ...   (prints a Markdown table)
"""
import math
import re
import statistics
import sys

LINE = re.compile(r"^RESULT impl=(\S+) dataset=(\S+) op=(\S+) msgs=\d+ bytes=(\d+) .* median_s=(\S+) ")

runs = []
for path in sys.argv[1:]:
    results = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if m:
                impl, dataset, op, size, median = m.groups()
                results[(impl, dataset, op)] = (int(size), float(median))
    runs.append(results)

keys = []
for run in runs:
    for (impl, dataset, op) in run:
        if (dataset, op) not in keys:
            keys.append((dataset, op))

print("| dataset | op | ferry MB/s | swiftprotobuf MB/s | ratio (median of runs) | ratio range over runs |")
print("| --- | --- | ---: | ---: | ---: | --- |")
ratios = []
for dataset, op in keys:
    per_impl = {}
    run_ratios = []
    for impl in ("ferry", "swiftprotobuf"):
        times = [run[(impl, dataset, op)][1] for run in runs if (impl, dataset, op) in run]
        size = next(run[(impl, dataset, op)][0] for run in runs if (impl, dataset, op) in run)
        per_impl[impl] = size / statistics.median(times) / 1e6
    for run in runs:
        f, s = run.get(("ferry", dataset, op)), run.get(("swiftprotobuf", dataset, op))
        if f and s:
            run_ratios.append((f[0] / f[1]) / (s[0] / s[1]))
    ratio = statistics.median(run_ratios)
    ratios.append(ratio)
    print("| %s | %s | %.1f | %.1f | %.2f× | %.2f–%.2f× |" % (
        dataset, op, per_impl["ferry"], per_impl["swiftprotobuf"], ratio, min(run_ratios), max(run_ratios)))
geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
print()
print("Geometric mean of the %d ratios: **%.2f×** (lowest %.2f×, highest %.2f×), over %d runs."
      % (len(ratios), geomean, min(ratios), max(ratios), len(runs)))
