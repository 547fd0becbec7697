#!/usr/bin/env python3
"""Summarises offered/: per run, latency, relay CPU per delivery (and G1's threads' share), and the young pauses in
the relay's GC log (whole run; the harness's System.gc() full collections left out).

    python3 scripts/offered-summary.py offered
"""
import glob
import os
import re
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "offered"
rows = []
for path in sorted(glob.glob(os.path.join(folder, "offered-*.txt"))):
    text = open(path, encoding="utf-8").read()
    for block in text.split("\n$ "):
        m = re.search(r"relay-gc-(\w+)-(\d+)\.log", block)
        lat = re.search(r"latency \(us\)\s+p50 (\d+)\s+p99 (\d+)\s+p99\.9 (\d+)\s+max (\d+)", block)
        cpu = re.search(r"server CPU .*?, ([\d.]+) us per delivery", block)
        gc = re.search(r"GC ([\d.-]+), other", block)
        if not (m and lat and cpu and gc):
            continue
        cfg, rnd = m.group(1), m.group(2)
        pauses = []
        log = os.path.join(folder, "relay-gc-%s-%s.log" % (cfg, rnd))
        for line in open(log, encoding="utf-8"):
            p = re.search(r"Pause Young .* ([\d.]+)ms$", line.strip())
            if p:
                pauses.append(float(p.group(1)))
        pauses.sort()
        rows.append((rnd, cfg, [int(x) / 1000 for x in lat.groups()], float(cpu.group(1)), float(gc.group(1)),
                     len(pauses), sum(pauses), pauses[len(pauses) // 2], pauses[-1]))

print("| round | relay | p50 | p99 | p99.9 | max | relay CPU per delivery (G1's threads) "
      "| young pauses: count, total, median, longest |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for rnd, cfg, lat, cpu, gc, n, total, median, longest in rows:
    print("| %s | %s | %.2f ms | %.1f ms | %.1f ms | %.1f ms | %.1f µs (%.1f) | %d, %.0f ms, %.1f ms, %.1f ms |"
          % (rnd, cfg, lat[0], lat[1], lat[2], lat[3], cpu, gc, n, total, median, longest))
