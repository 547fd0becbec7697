#!/bin/bash
# One round: the relay on G1 (as the harness starts it), the same jar on Parallel GC (-XX:-UseG1GC turns off the
# harness's -XX:+UseG1GC) and mosquitto, back to back; public fan-out at 100 clients, private at 100 and 1,000, with
# the steady-state warm-ups.
#   scripts/record.sh JAR N      (from the repository's root; each round one /work/bin/measure call)
set -u
jar=$1
n=$2
here=$(cd "$(dirname "$0")/.." && pwd)
ALSO_RELAY_OPTS="-XX:-UseG1GC -XX:+UseParallelGC" PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 \
    PRIVATE_COUNTS="100 1000" /work/bin/measure benchmarks/relay-cost.sh "$jar" \
    "$here/relay-cost-$n.txt" > "$here/measure-$n.log" 2>&1
