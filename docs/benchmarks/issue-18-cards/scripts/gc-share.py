"""G1's threads per delivery in relay-cost.sh output, per scenario and jar, in the order of the files.

    python3 scripts/gc-share.py relay-cost-final-*.txt
"""
import re
import sys
from collections import defaultdict

shares = defaultdict(list)
for path in sys.argv[1:]:
    scenario = jar = None
    for line in open(path):
        if line.startswith('$ '):
            scenario = jar = None
        m = None if '--peer mosquitto' in line else re.match(r'\$ LoadHarness .*--clients (\d+) --mix (\w+).*\[([\w.-]+)\.jar', line)
        if m:
            scenario, jar = f"{m.group(2)}, {m.group(1)} clients", m.group(3)
        m = re.search(r'relay loops [\d.]+, JIT compiler [\d.]+, GC ([\d.]+)', line)
        if m and jar:
            shares[(scenario, jar)].append(m.group(1))
for (scenario, jar), values in sorted(shares.items()):
    print(f"{scenario:24} {jar:6} {', '.join(values)}")
