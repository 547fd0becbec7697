#!/usr/bin/env bash
# One round: the relay with its hop on ChaChaPoly (the default), the same jar with the relay's JVM and its relay-only
# clients on AESGCM (--noise-cipher AESGCM), then mosquitto; public fan-out at 100 clients, private at 100 and 1,000;
# the steady-state record's warm-ups (5,000 public, 200,000 private messages). Run through /work/bin/measure:
#   /work/bin/measure scripts/record.sh relay-cost-N.txt 2>>relay-cost-N.txt
out=$(realpath "$1")
cd /work/wt-aeshop || exit 1
{ echo "# round started $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg); jar /tmp/aeshop/c.jar = $(git rev-parse --short HEAD)"
  java -version 2>&1 | head -1; } >>"$out"
ALSO_HARNESS_ARGS="--noise-cipher AESGCM" PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 \
  ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /tmp/aeshop/c.jar "$out"
