#!/bin/bash
# One round of benchmarks/relay-cost.sh: the relay before (lanes.jar, b6e9c6c: G1 as the JVM sets it up) and after
# (refine.jar: a branch, since dropped, whose harness gave the relay -XX:G1ConcRefinementThreads=0), then mosquitto,
# in each scenario; the default two event loops. Run through /work/bin/measure, one call per round. On main the same
# comparison is ALSO_RELAY_OPTS=-XX:G1ConcRefinementThreads=0 (a third relay run in each scenario).
#   record.sh N      writes relay-cost-N.txt beside this script
here=$(cd "$(dirname "$0")" && pwd)
BEFORE_JAR=/work/lanes.jar PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" \
    "$here/../../../benchmarks/relay-cost.sh" /work/refine.jar "$here/relay-cost-$1.txt"
