#!/bin/bash
# One full abuse run (all seven attacks, 15 s phases) of a jar, with the relay's GC and safepoint log.
# usage: scripts/record.sh LABEL JAR   (run from this folder, through /work/bin/measure)
label=$1
jar=$2
mkdir -p "./gc-$label"
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc,safepoint:file=./gc-$label/relay-gc.log:utctime" \
  java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --abuse > "./$label.txt" 2>&1
