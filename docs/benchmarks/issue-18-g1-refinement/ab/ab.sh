#!/bin/bash
# A/B of G1 refinement settings for the relay, private mix at 1,000 relay-only clients, each run alone on a quiet
# machine (/work/bin/measure). JAR defaults to lanes.jar beside this script.
#   ab.sh five       -> runs.txt: JDK 17 default, JDK 17's three refinement options, JDK 17 with
#                       -XX:G1ConcRefinementThreads=0, then JDK 25 default and with the option; three rounds
#   ab.sh reversed   -> runs-reversed.txt: JDK 17 with the option first, then the default; three rounds
# (runs.txt was recorded with timeout(1) around measure rather than inside it; no run was cut off.)
cd "$(dirname "$0")"
J17=java
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
TRIPLE="-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=2G -XX:G1ConcRefinementThreads=0"
design=${1:?usage: ab.sh five|reversed}
out=$([ "$design" = reversed ] && echo runs-reversed.txt || echo runs.txt)
run() { # name java opts...
  local name=$1 j=$2; shift 2
  echo "\$ [$name] relay opts: $* ($(date -u +%H:%M:%S))" >> "$out"
  SECURECOMM_RELAY_JVM_OPTS="$*" /work/bin/measure timeout 300 "$j" -cp "${JAR:-lanes.jar}" \
     io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only --clients 1000 --mix private \
     --messages 100000 --warmup 200000 > run.tmp 2>&1
  grep -E "^measure|delivered|lost|duplicated|server CPU|server threads" run.tmp >> "$out"; echo >> "$out"
}
for r in 1 2 3; do
  if [ "$design" = reversed ]; then
    run jdk17-threads0 $J17 -XX:G1ConcRefinementThreads=0
    run jdk17-default $J17 ""
  else
    run jdk17-default $J17 ""
    run jdk17-deferred $J17 $TRIPLE
    run jdk17-threads0 $J17 -XX:G1ConcRefinementThreads=0
    run jdk25-default $J25 ""
    run jdk25-threads0 $J25 -XX:G1ConcRefinementThreads=0
  fi
done
echo done >> "$out"
