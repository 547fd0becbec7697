#!/bin/bash
# A/B of G1 refinement settings for the relay, private mix at 1,000 relay-only clients.
cd "$(dirname "$0")"
J17=java
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
TRIPLE="-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=2G -XX:G1ConcRefinementThreads=0"
run() { # name java opts
  local name=$1 j=$2; shift 2
  echo "\$ [$name] relay opts: $* ($(date -u +%H:%M:%S))" >> runs.txt
  SECURECOMM_RELAY_JVM_OPTS="$*" timeout 400 /work/bin/measure $j -cp "${JAR:-lanes.jar}" io.securecomm.benchmarks.relay.LoadHarness \
     --time-limit 200 --relay-only --clients 1000 --mix private --messages 100000 --warmup 200000 > run.tmp 2>&1
  grep -E "^measure|delivered|lost|duplicated|server CPU|server threads" run.tmp >> runs.txt; echo >> runs.txt
}
for r in 1 2 3; do
  run jdk17-default $J17 ""
  run jdk17-deferred $J17 $TRIPLE
  run jdk17-threads0 $J17 -XX:G1ConcRefinementThreads=0
  run jdk25-default $J25 ""
  run jdk25-threads0 $J25 -XX:G1ConcRefinementThreads=0
done
echo done >> runs.txt
