#!/bin/bash
# Offered load at 1,000 relay-only clients: G1 as the JVM sets it up, and G1 without concurrent refinement threads
# (-XX:G1ConcRefinementThreads=0), alternately, with the relay's GC log, into this folder. Each run through
# /work/bin/measure. JAR defaults to lanes.jar.
out=$(cd "$(dirname "$0")" && pwd)
for round in 1 2; do
for cfg in default threads0; do
  opts="-Xlog:gc:file=$out/relay-gc-$cfg-$round.log:utctime"
  [ $cfg = threads0 ] && opts="-XX:G1ConcRefinementThreads=0 $opts"
  echo "\$ SECURECOMM_RELAY_JVM_OPTS=\"$opts\" LoadHarness --relay-only --clients 1000 --mix private --messages 100000 --warmup 100000 --rate 5000 [$(date -u +%H:%M:%S)]" >> $out/offered-$round.txt
  SECURECOMM_RELAY_JVM_OPTS="$opts" /work/bin/measure timeout 300 java -cp "${JAR:-lanes.jar}" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 \
      --relay-only --clients 1000 --mix private --messages 100000 --warmup 100000 --rate 5000 >> $out/offered-$round.txt 2>&1
  echo >> $out/offered-$round.txt
done
done
