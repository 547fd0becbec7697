#!/usr/bin/env python3
"""The rounds of scripts/record.sh side by side: for each workload, JDK and server (ChaChaPoly: the relay's hop on the
default suite; AESGCM: the same jar with --noise-cipher AESGCM; mosquitto), the headline of each round (the server
process's CPU per delivery, µs) and its ratio to mosquitto's in the same round and JDK pass.

usage: summary.py relay-cost-jdk17-1.txt relay-cost-jdk25-1.txt ...   (the JDK and the round come from the name)
"""
import re
import sys
from collections import defaultdict

rows = defaultdict(dict)  # (mix, clients, jdk, server) -> {round: µs}
for path in sys.argv[1:]:
    jdk, rnd = re.search(r"jdk(\d+)-(\d+)\.txt$", path).groups()
    label = None
    for line in open(path):
        m = re.match(r"\$ LoadHarness (.*) \[(\S+?), ", line)
        if m:
            args = m.group(1)
            server = "mosquitto" if "mosquitto" in args else ("AESGCM" if "AESGCM" in args else "ChaChaPoly")
            w = re.search(r"--clients (\d+) --mix (\w+)", args)
            label = (w.group(2), int(w.group(1)), jdk, server)
            continue
        m = re.match(r"server CPU .* ([\d.]+) us per delivery", line)
        if m and label:
            rows[label][rnd] = float(m.group(1))
        m = re.match(r"lost +(\d+)", line)
        if m and label and int(m.group(1)) != 0:
            print(f"LOST {m.group(1)} in {label} of {path}")

rounds = sorted({r for v in rows.values() for r in v})
print("| mix | clients | JDK | server | " + " | ".join(f"round {r}" for r in rounds) + " | "
      + " | ".join(f"÷ mosquitto, round {r}" for r in rounds) + " |")
print("| --- | ---: | ---: | --- | " + " | ".join(["---:"] * (2 * len(rounds))) + " |")
for mix, clients in sorted({(k[0], k[1]) for k in rows}, key=lambda k: (k[0] != "public", k[1])):
    for jdk in ("17", "25"):
        mq = rows.get((mix, clients, jdk, "mosquitto"), {})
        for server in ("ChaChaPoly", "AESGCM", "mosquitto"):
            v = rows.get((mix, clients, jdk, server))
            if not v:
                continue
            cells = [f"{v[r]:.1f}" if r in v else "" for r in rounds]
            ratios = [f"{v[r] / mq[r]:.2f}x" if server != "mosquitto" and r in v and r in mq else "" for r in rounds]
            print(f"| {mix} | {clients:,} | {jdk} | {server} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
