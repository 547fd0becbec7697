#!/usr/bin/env python3
"""The rounds of relay-cost.sh runs side by side, labelled by collector (a run after the line "# relay JVM options:
... -XX:+UseParallelGC" is Parallel GC; the other relay runs are G1, as the harness starts the relay) or mosquitto:
the server's CPU per delivery (µs) in each round, its median and the median's ratio to mosquitto's median over the
same files; the median of the collector's threads per delivery; the median delivered messages per second.

usage: summary.py FILE...   (files named *-N.txt, N the round)
"""
import re
import statistics
import sys
from collections import defaultdict

rows = defaultdict(lambda: defaultdict(list))  # (mix, clients, server) -> field -> values
for path in sys.argv[1:]:
    label = None
    parallel = False
    for line in open(path):
        if line.startswith("# relay JVM options:") and "UseParallelGC" in line:
            parallel = True
            continue
        m = re.match(r"\$ LoadHarness (.*) \[(\S+?)\.jar, ", line)
        if m:
            args = m.group(1)
            w = re.search(r"--clients (\d+) --mix (\w+)", args)
            server = "mosquitto" if "mosquitto" in args else ("relay, Parallel GC" if parallel else "relay, G1")
            parallel = False
            label = (w.group(2), int(w.group(1)), server)
            continue
        if not label:
            continue
        m = re.match(r"server CPU .* ([\d.]+) us per delivery", line)
        if m:
            rows[label]["cpu"].append(float(m.group(1)))
        m = re.match(r"server threads .* GC ([-\d.]+),", line)
        if m:
            rows[label]["gc"].append(float(m.group(1)))
        m = re.match(r"delivered .* = (\d+) msg/s", line)
        if m:
            rows[label]["rate"].append(int(m.group(1)))
        m = re.match(r"(lost|duplicated) +(\d+)", line)
        if m and int(m.group(2)) != 0:
            print(f"{m.group(1).upper()} {m.group(2)} in {label} of {path}")

for mix, clients in sorted({(k[0], k[1]) for k in rows}, key=lambda k: (k[0] != "public", k[1])):
    servers = sorted(s for (m, c, s) in rows if (m, c) == (mix, clients))
    mq = statistics.median(rows[(mix, clients, "mosquitto")]["cpu"]) if (mix, clients, "mosquitto") in rows else None
    print(f"\n{mix}, {clients:,} clients\n")
    print("| server | runs, µs per delivery | **median** | ÷ mosquitto | collector's threads, median | delivered msg/s, median |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for s in servers:
        r = rows[(mix, clients, s)]
        med = statistics.median(r["cpu"])
        ratio = f"{med / mq:.2f}x" if mq and s != "mosquitto" else ""
        gc = f"{statistics.median(r['gc']):.1f}" if r["gc"] and s != "mosquitto" else ""
        print(f"| {s} | {', '.join(f'{v:.1f}' for v in r['cpu'])} | **{med:.1f}** | {ratio} | {gc}"
              f" | {statistics.median(r['rate']):,.0f} |")
