"""The card runs side by side: cards per message, relay CPU per delivery, and its event loops' and G1's shares.

    python3 scripts/runs.py runs/*.txt
"""
import re
import sys

print("| run | cards per message | relay CPU per delivery, µs | event loops | G1's threads |")
print("| --- | ---: | ---: | ---: | ---: |")
for path in sys.argv[1:]:
    text = open(path).read()
    tag = re.search(r'([^/]+)\.txt$', path).group(1)
    cards = re.search(r'([\d.]+) per message', text).group(1)
    cpu = re.search(r'server CPU .*?([\d.]+) us per delivery', text).group(1)
    loops, gc = re.search(r'relay loops ([\d.]+), JIT compiler [\d.]+, GC ([\d.]+)', text).groups()
    print(f"| {tag} | {cards} | {cpu} | {loops} | {gc} |")
