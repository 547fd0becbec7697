#!/usr/bin/env python3
"""The rounds of relay-cost.sh runs side by side, labelled by jar and event loops (a run after the line
"# relay JVM options: -Dio.netty.eventLoopThreads=1" has one loop; the others one per processor, here 2) or
mosquitto: the server process's CPU per delivery (µs) in each round, its median, and the median's ratio to
mosquitto's median over the same files; and the median of the delivered messages per second (flat out).

usage: summary.py FILE...   (files named *-N.txt, N the round)
"""
import re
import statistics
import sys
from collections import defaultdict

rows = defaultdict(dict)  # (mix, clients, server) -> {round: µs}
for path in sys.argv[1:]:
    rnd = re.search(r"-(\d+)\.txt$", path).group(1)
    label = None
    one_loop = False
    for line in open(path):
        if line.startswith("# relay JVM options:") and "eventLoopThreads=1" in line:
            one_loop = True
            continue
        m = re.match(r"\$ LoadHarness (.*) \[(\S+?)\.jar, ", line)
        if m:
            args, jar = m.groups()
            w = re.search(r"--clients (\d+) --mix (\w+)", args)
            if "mosquitto" in args:
                server = "mosquitto"
            else:
                server = f"{jar}, {'1 loop' if one_loop else '2 loops'}"
            one_loop = False
            label = (w.group(2), int(w.group(1)), server)
            continue
        m = re.match(r"server CPU .* ([\d.]+) us per delivery", line)
        if m and label:
            rows[label].setdefault(rnd, []).append(float(m.group(1)))
        m = re.match(r"server threads .*; ([-\d.]+) us of the total in the kernel", line)
        if m and label:
            rows[label].setdefault("kernel", []).append(float(m.group(1)))
        m = re.match(r"delivered .* = (\d+) msg/s", line)
        if m and label:
            rows[label].setdefault("rate", []).append(int(m.group(1)))
        m = re.match(r"lost +(\d+)", line)
        if m and label and int(m.group(1)) != 0:
            print(f"LOST {m.group(1)} in {label} of {path}")

for mix, clients in sorted({(k[0], k[1]) for k in rows}, key=lambda k: (k[0] != "public", k[1])):
    servers = sorted(s for (m, c, s) in rows if (m, c) == (mix, clients))
    allruns = {s: [v for r, vs in rows[(mix, clients, s)].items() if r not in ("kernel", "rate") for v in vs] for s in servers}
    mq = statistics.median(allruns["mosquitto"]) if allruns.get("mosquitto") else None
    print(f"\n{mix}, {clients:,} clients\n")
    print("| server | runs | **median** | ÷ mosquitto | kernel, median | delivered msg/s, median |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for s in servers:
        med = statistics.median(allruns[s])
        kern = statistics.median(rows[(mix, clients, s)]["kernel"]) if rows[(mix, clients, s)].get("kernel") else float("nan")
        ratio = f"{med / mq:.2f}x" if mq and s != "mosquitto" else ""
        rate = statistics.median(rows[(mix, clients, s)].get("rate", [0]))
        print(f"| {s} | {', '.join(f'{v:.1f}' for v in allruns[s])} | **{med:.1f}** | {ratio} | {kern:.1f}"
              f" | {rate:,.0f} |")
