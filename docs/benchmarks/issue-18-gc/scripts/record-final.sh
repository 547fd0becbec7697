#!/bin/bash
# One round of the relay as shipped after these changes (final.jar: the harness starts its relay on Parallel GC, as
# the launcher and the systemd unit do) against mosquitto, back to back; public fan-out at 100 clients, private at 100
# and 1,000, with the steady-state warm-ups.
#   scripts/record-final.sh N      (from the repository's root; each round one /work/bin/measure call)
set -u
n=$1
here=$(cd "$(dirname "$0")/.." && pwd)
PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" /work/bin/measure \
    benchmarks/relay-cost.sh /work/cards/final.jar "$here/relay-cost-final-$n.txt" > "$here/measure-final-$n.log" 2>&1
