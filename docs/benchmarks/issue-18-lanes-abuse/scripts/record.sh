#!/bin/bash
# One full abuse run (all seven attacks, 15 s phases) on the lanes jar, default relay (one loop per processor).
n=$1
mkdir -p ./gc-run-$n
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc,safepoint:file=./gc-run-$n/relay-gc.log:utctime" \
  java -cp /work/lanes.jar io.securecomm.benchmarks.relay.LoadHarness --abuse > ./run-$n.txt 2>&1
