#!/bin/bash
# One round: the lanes jar with one event loop per processor (2, the default) and with one event loop
# (ALSO_RELAY_OPTS), and mosquitto; public fan-out at 100 clients, private at 100 and 1,000; steady-state warm-ups.
n=$1
cd /work/wt-lead
ALSO_RELAY_OPTS=-Dio.netty.eventLoopThreads=1 PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 \
  PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /work/lanes.jar /work/runs/oneloop/relay-cost-$n.txt
