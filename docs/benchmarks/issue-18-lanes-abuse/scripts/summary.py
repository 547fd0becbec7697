#!/usr/bin/env python3
"""The honest p50 and p99 of each attack's phases, with and without the attack, from LoadHarness --abuse outputs,
and the ratios docs/SECURITY.md bounds: p99 with / p99 without, and the rise of the median (ms).

usage: summary.py LABEL=FILE ...   (e.g. before-1=before-1.txt lanes-1=run-1.txt)
"""
import re
import sys

print("| run | attack | p50 without | p50 with | rise of p50 | p99 without | p99 with | p99 ratio | refused |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for arg in sys.argv[1:]:
    label, path = arg.split("=", 1)
    phases = {}
    for line in open(path):
        m = re.match(r"\| ([\w-]+): (without|with) \| ([\d.]+) ms \| ([\d.]+) ms \| (\d+) \| (\d+) \|", line)
        if m:
            attack, cond, p50, p99, _, refused = m.groups()
            phases[(attack, cond)] = (float(p50), float(p99), int(refused))
    for attack in dict.fromkeys(a for a, _ in phases):
        w0, w1 = phases.get((attack, "without")), phases.get((attack, "with"))
        if not (w0 and w1):
            continue
        print(f"| {label} | {attack} | {w0[0]:.1f} | {w1[0]:.1f} | {w1[0] - w0[0]:+.1f} | {w0[1]:.1f} | {w1[1]:.1f}"
              f" | {w1[1] / w0[1]:.2f} | {w0[2] + w1[2]} |")
