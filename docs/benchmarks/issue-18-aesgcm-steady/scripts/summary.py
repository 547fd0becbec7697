#!/usr/bin/env python3
"""Medians of the rounds of scripts/record.sh: for each workload and server (ChaChaPoly: the relay's hop on the
default suite; AESGCM: the same jar with --noise-cipher AESGCM; mosquitto), the headline (process CPU per delivery),
its ratio to mosquitto's median and to ChaChaPoly's, and the medians of the split (each column on its own).

usage: summary.py relay-cost-1.txt relay-cost-2.txt ...
"""
import re
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
for path in sys.argv[1:]:
    label = None
    for line in open(path):
        m = re.match(r"\$ LoadHarness (.*) \[(\S+?), ", line)
        if m:
            args = m.group(1)
            server = "mosquitto" if "mosquitto" in args else ("AESGCM" if "AESGCM" in args else "ChaChaPoly")
            w = re.search(r"--clients (\d+) --mix (\w+)", args)
            label = (w.group(2), int(w.group(1)), server)
            continue
        m = re.match(r"server CPU .* ([\d.]+) us per delivery", line)
        if m and label:
            rows[label].append({"total": float(m.group(1))})
        m = re.match(r"lost +(\d+)", line)
        if m and label and int(m.group(1)) != 0:
            print(f"LOST {m.group(1)} in {label} of {path}")
        m = re.match(r"server threads +relay loops ([-\d.]+), JIT compiler ([-\d.]+), GC ([-\d.]+), other ([-\d.]+)"
                     r" us per delivery; ([-\d.]+) us without the compiler; ([-\d.]+) us", line)
        if m and label:
            rows[label][-1].update(zip(["loops", "jit", "gc", "other", "nojit", "kernel"],
                                       map(float, m.groups())))

order = ["ChaChaPoly", "AESGCM", "mosquitto"]
print("| mix | clients | server | runs | **median** | ÷ mosquitto | ÷ ChaChaPoly | without JIT | JIT | GC | kernel |")
print("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for key in sorted({(k[0], k[1]) for k in rows}, key=lambda k: (k[0] != "public", k[1])):
    medians = {s: statistics.median(r["total"] for r in rows[(key[0], key[1], s)])
               for s in order if rows.get((key[0], key[1], s))}
    for server in order:
        runs = rows.get((key[0], key[1], server))
        if not runs:
            continue
        med = lambda f: statistics.median(r.get(f, float("nan")) for r in runs)
        vs_mq = f"{medians[server] / medians['mosquitto']:.2f}x" if server != "mosquitto" and "mosquitto" in medians else ""
        vs_cc = f"{medians[server] / medians['ChaChaPoly']:.2f}x" if server == "AESGCM" and "ChaChaPoly" in medians else ""
        print(f"| {key[0]} | {key[1]:,} | {server} | {', '.join(str(r['total']) for r in runs)} | **{medians[server]:.1f}**"
              f" | {vs_mq} | {vs_cc} | {med('nojit'):.1f} | {med('jit'):.1f} | {med('gc'):.1f} | {med('kernel'):.1f} |")
