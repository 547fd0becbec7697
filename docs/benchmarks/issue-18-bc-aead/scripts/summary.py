#!/usr/bin/env python3
"""Medians of relay-cost.sh rounds: for each workload and server (before: main's jar; after, JCA: this branch's jar,
the JDK's ChaCha20-Poly1305; after, BC: the same jar with ALSO_RELAY_OPTS, Bouncy Castle's; mosquitto), the
headline (process CPU per delivery) and the split (loops, JIT compiler, GC, kernel).

usage: summary.py relay-cost-1.txt relay-cost-2.txt ...
"""
import re
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
for path in sys.argv[1:]:
    label = None
    opts = False
    for line in open(path):
        if line.startswith("# relay JVM options"):
            opts = True
            continue
        m = re.match(r"\$ LoadHarness (.*) \[(\S+?), ", line)
        if m:
            args, jar = m.groups()
            server = "mosquitto" if "mosquitto" in args else (
                "before" if jar.startswith("a") else ("after, BC" if opts else "after, JCA"))
            opts = False
            w = re.search(r"--clients (\d+) --mix (\w+)", args)
            label = (w.group(2), int(w.group(1)), server)
            continue
        m = re.match(r"server CPU .* ([\d.]+) us per delivery", line)
        if m and label:
            rows[label].append({"total": float(m.group(1))})
        m = re.match(r"server threads +relay loops ([-\d.]+), JIT compiler ([-\d.]+), GC ([-\d.]+), other ([-\d.]+)"
                     r" us per delivery; ([-\d.]+) us without the compiler; ([-\d.]+) us", line)
        if m and label:
            rows[label][-1].update(zip(["loops", "jit", "gc", "other", "nojit", "kernel"],
                                       map(float, m.groups())))

order = ["before", "after, JCA", "after, BC", "mosquitto"]
print("| mix | clients | server | total (runs) | median | without JIT | JIT | GC | kernel |")
print("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
for key in sorted({(k[0], k[1]) for k in rows}, key=lambda k: (k[0] != "public", k[1])):
    for server in order:
        runs = rows.get((key[0], key[1], server))
        if not runs:
            continue
        med = lambda f: statistics.median(r.get(f, float("nan")) for r in runs)
        print(f"| {key[0]} | {key[1]} | {server} | {', '.join(str(r['total']) for r in runs)} | **{med('total'):.1f}**"
              f" | {med('nojit'):.1f} | {med('jit'):.1f} | {med('gc'):.1f} | {med('kernel'):.1f} |")
