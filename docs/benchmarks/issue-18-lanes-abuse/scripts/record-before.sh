#!/bin/bash
# One full abuse run on main's jar before the lanes change (before.jar, 76ff4f5), the same way as record.sh.
n=$1
mkdir -p ./gc-before-$n
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc,safepoint:file=./gc-before-$n/relay-gc.log:utctime" \
  java -cp /work/before.jar io.securecomm.benchmarks.relay.LoadHarness --abuse > ./before-$n.txt 2>&1
