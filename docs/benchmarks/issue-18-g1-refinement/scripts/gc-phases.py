#!/usr/bin/env python3
"""The relay's young-pause worker time by phase, summed over a JFR recording (settings=profile).

    jfr print --json --events jdk.GCPhaseParallel relay.jfr > phases.json
    python3 scripts/gc-phases.py phases.json > diagnosis/gc-phases.txt
"""
import collections
import json
import re
import sys


def seconds(iso):
    """An ISO 8601 duration as JFR prints it (PT0.000123S, PT1M2.5S), in seconds."""
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", iso)
    return int(m.group(1) or 0) * 60 + float(m.group(2))


phases = collections.Counter()
for event in json.load(open(sys.argv[1], encoding="utf-8"))["recording"]["events"]:
    phases[event["values"]["name"]] += seconds(event["values"]["duration"])
print("jdk.GCPhaseParallel, summed over the relay's whole run (all workers, wall-clock per worker), JFR settings=profile")
print("relay: lanes.jar (b6e9c6c), JDK 17.0.15, G1 defaults; LoadHarness --relay-only --clients 1000 --mix private "
      "--messages 100000 --warmup 200000")
for name, total in phases.most_common(12):
    print(f"{name:20s} {total * 1000:8.1f} ms")
