#!/bin/bash
# One round, every relay on Parallel GC: main (nego.jar: a yielded turn switches reading off and on again), the change
# (turns.jar: it does not, unless another buffer comes first) and mosquitto, back to back; public fan-out at 100
# clients, private at 100 and 1,000, with the steady-state warm-ups.
#   scripts/record-turns.sh N      (from the repository's root; each round one /work/bin/measure call)
set -u
n=$1
here=$(cd "$(dirname "$0")/.." && pwd)
SECURECOMM_RELAY_JVM_OPTS="-XX:-UseG1GC -XX:+UseParallelGC" BEFORE_JAR=/work/cards/nego.jar PUBLIC_WARMUP=5000 \
    PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" /work/bin/measure benchmarks/relay-cost.sh \
    /work/cards/turns.jar "$here/relay-cost-turns-$n.txt" > "$here/measure-turns-$n.log" 2>&1
