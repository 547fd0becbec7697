#!/usr/bin/env python3
"""The relay JVM's CPU by thread name, from the last snapshot of diagnosis/snap.sh taken while the relay's event
loops still lived: its whole run, warm-up included.

    python3 scripts/thread-cpu.py snaps > diagnosis/thread-cpu.txt
"""
import glob
import os
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "snaps"
last = None
for path in sorted(glob.glob(os.path.join(folder, "s*.txt")), key=lambda p: int(os.path.basename(p)[1:-4])):
    threads = {}
    for line in open(path, encoding="utf-8"):
        name, _, ticks = line.rstrip("\n").rpartition("|")
        if not name or not ticks.strip():
            continue  # the time at the end, or a thread that ended while it was read
        user, system = map(int, ticks.split())
        t = threads.setdefault(name, [0, 0, 0])
        t[0] += user
        t[1] += system
        t[2] += 1
    if any(n.startswith("securecomm-rela") for n in threads):
        last = threads
print("Per-thread CPU of the relay's JVM over its whole run (warm-up included), from /proc/<pid>/task/*/stat,")
print("threads grouped by name; ticks of 10 ms. relay: lanes.jar (b6e9c6c), JDK 17.0.15, G1 defaults;")
print("LoadHarness --relay-only --clients 1000 --mix private --messages 100000 --warmup 200000")
print(f"{'thread (comm)':20s} {'threads':>7s} {'user':>6s} {'system':>6s} {'total':>6s}")
for name, (user, system, count) in sorted(last.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
    if user + system:
        print(f"{name:20s} {count:7d} {user:6d} {system:6d} {user + system:6d}")
