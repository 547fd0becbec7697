#!/bin/bash
# One round, public fan-out at 100 clients, steady-state warm-up: main's jar (before) and the lanes jar (after),
# each with Netty's loops at one per processor (2) and at 1 (ALSO_RELAY_OPTS), and mosquitto, for each jar.
n=$1
cd /work/wt-lead
out=/work/runs/lanes
for j in before lanes; do
  ALSO_RELAY_OPTS=-Dio.netty.eventLoopThreads=1 PUBLIC_WARMUP=5000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="" \
    benchmarks/relay-cost.sh /work/$j.jar $out/relay-cost-$j-$n.txt
done
