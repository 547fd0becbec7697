#!/usr/bin/env bash
# One round of the record: before (a2: harness with the split, Netty's default of 4 loops), after (b: one loop per
# processor, 2 here), after with 1 loop, mosquitto; steady-state warm-ups.
cd /work/wt-relaycost
BEFORE_JAR=/tmp/rc/a2.jar ALSO_RELAY_OPTS=-Dio.netty.eventLoopThreads=1 PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 \
  ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /tmp/rc/b.jar "$1"
