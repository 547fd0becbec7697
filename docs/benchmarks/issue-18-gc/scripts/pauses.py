#!/usr/bin/env python3
"""The pauses in a relay GC log (-Xlog:gc*=info with uptime decorations; gzip or plain) and how fast the old
generation grew: count, median, p99, longest and total pause by kind (young, full, G1's remark and cleanup), and
the old generation after each young pause, with its growth per minute from a least-squares line over the young
pauses from FROM seconds of uptime until the next full collection (the one long.sh forces; the harness forces
some of its own at the start and the end, to weigh the relay's heap).

usage: pauses.py GC_LOG [FROM]     (FROM defaults to 60: past the clients' connecting and the warm-up)
"""
import gzip
import re
import statistics
import sys

path = sys.argv[1]
start = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
lines = (gzip.open(path, "rt") if path.endswith(".gz") else open(path)).read().splitlines()

region_mb = None
old_after = {}  # gc id -> old generation after, MB
pauses = []  # (uptime s, gc id, kind, ms)
for line in lines:
    m = re.search(r"Heap Region Size: (\d+)M", line)
    if m:
        region_mb = int(m.group(1))
    m = re.search(r"GC\((\d+)\) ParOldGen: \d+K\(\d+K\)->(\d+)K", line)
    if m:
        old_after[int(m.group(1))] = int(m.group(2)) / 1024
    m = re.search(r"GC\((\d+)\) Old regions: \d+->(\d+)", line)
    if m and region_mb:
        old_after[int(m.group(1))] = int(m.group(2)) * region_mb
    m = re.search(r"^\[([\d.]+)s\].*\[gc +\] GC\((\d+)\) (Pause \w+).* \d+M->\d+M\(\d+M\) ([\d.]+)ms", line)
    if m:
        pauses.append((float(m.group(1)), int(m.group(2)), m.group(3), float(m.group(4))))

print(f"{path}: {len(pauses)} pauses")
print("| kind | count | median ms | p99 ms | longest ms | total ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for kind in sorted({p[2] for p in pauses}):
    ms = sorted(p[3] for p in pauses if p[2] == kind)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    print(f"| {kind} | {len(ms)} | {statistics.median(ms):.2f} | {p99:.2f} | {ms[-1]:.2f} | {sum(ms):.0f} |")

first_full = min((p[0] for p in pauses if p[2] == "Pause Full" and p[0] >= start), default=float("inf"))
points = [(t, old_after[i]) for t, i, kind, _ in pauses
          if kind == "Pause Young" and i in old_after and start <= t < first_full]
if len(points) >= 2:
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mo = sum(o for _, o in points) / n
    slope = sum((t - mt) * (o - mo) for t, o in points) / sum((t - mt) ** 2 for t, _ in points)
    print(f"old generation after young pauses from {points[0][0]:.0f} s to {points[-1][0]:.0f} s: "
          f"{points[0][1]:.1f} MB to {points[-1][1]:.1f} MB, {slope * 60:.3f} MB per minute (least squares, {n} pauses)")
for t, i, kind, ms in pauses:
    if kind == "Pause Full":
        print(f"full collection at {t:.0f} s: {ms:.1f} ms, old generation after {old_after.get(i, float('nan')):.1f} MB")
