#!/bin/bash
# One run of G1 as the JVM sets it up and one with -XX:G1ConcRefinementThreads=0, each alone (/work/bin/measure),
# private mix at 1,000 relay-only clients, with the relay's GC log; keeps the pause lines and the harness's figures.
# (The recorded runs also logged G1's remembered-set statistics, and ran JDK 17's three refinement options as a
# third relay; neither output is kept here.)
cd "$(dirname "$0")" || exit 1
for cfg in default threads0; do
  opts="-Xlog:gc*:file=$PWD/$cfg-gc.log"
  [ "$cfg" = threads0 ] && opts="-XX:G1ConcRefinementThreads=0 $opts"
  SECURECOMM_RELAY_JVM_OPTS="$opts" /work/bin/measure timeout 400 java -cp "${JAR:-lanes.jar}" \
      io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only --clients 1000 --mix private \
      --messages 100000 --warmup 200000 > "$cfg.txt" 2>&1
  grep -E "Pause (Young|Full)" "$cfg-gc.log" | grep -v "gc,start" > "$cfg-pauses.log"
  grep -E "server CPU|threads|delivered" "$cfg.txt" > "$cfg-harness.txt"
  rm -f "$cfg-gc.log" "$cfg.txt"
done
