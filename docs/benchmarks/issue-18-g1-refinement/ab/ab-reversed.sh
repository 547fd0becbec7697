#!/bin/bash
# A/B, the order reversed: -XX:G1ConcRefinementThreads=0 first, then G1 as the JVM sets it up; each run alone on a
# quiet machine (/work/bin/measure); private mix at 1,000 relay-only clients, JDK 17, lanes.jar.
cd "$(dirname "$0")"
run() { # name opts
  local name=$1; shift
  echo "\$ [$name] relay opts: $* ($(date -u +%H:%M:%S))" >> runs-reversed.txt
  SECURECOMM_RELAY_JVM_OPTS="$*" /work/bin/measure timeout 300 java -cp "${JAR:-lanes.jar}" io.securecomm.benchmarks.relay.LoadHarness \
     --time-limit 200 --relay-only --clients 1000 --mix private --messages 100000 --warmup 200000 > run.tmp 2>&1
  grep -E "^measure|delivered|lost|duplicated|server CPU|server threads" run.tmp >> runs-reversed.txt; echo >> runs-reversed.txt
}
for r in 1 2 3; do
  run jdk17-threads0 -XX:G1ConcRefinementThreads=0
  run jdk17-default ""
done
echo done >> runs-reversed.txt
