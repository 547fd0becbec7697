#!/bin/bash
cd "$(dirname "$0")"
TRIPLE="-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=2G -XX:G1ConcRefinementThreads=0"
for cfg in default threads0 deferred; do
  case $cfg in default) o="";; threads0) o="-XX:G1ConcRefinementThreads=0";; deferred) o="$TRIPLE";; esac
  SECURECOMM_RELAY_JVM_OPTS="$o -XX:+UnlockDiagnosticVMOptions -XX:G1SummarizeRSetStatsPeriod=1 -Xlog:gc+remset*=trace:file="$(dirname "$0")"/$cfg.log -Xlog:gc*:file="$(dirname "$0")"/$cfg-gc.log" timeout 400 /work/bin/measure java -cp /work/lanes.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only --clients 1000 --mix private --messages 100000 --warmup 200000 > $cfg.txt 2>&1
done
