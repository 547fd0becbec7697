#!/usr/bin/env bash
# Sitting L, one round: steady state (long warm-ups), relay with 4 (Netty's default here), 2 and 1 event loops,
# and mosquitto, alternately: private 100, public 100, private 1000. Usage: sitL.sh JAR OUT
cd /work/wt-relaycost
jar=$1; out=$2
benchmarks/mosquitto/run.sh start >/dev/null
trap 'benchmarks/mosquitto/run.sh stop' EXIT
run() { # label opts args...
  local label=$1 opts=$2; shift 2
  echo "\$ [$label] LoadHarness $* [$(basename "$jar"), $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)] relay JVM options: ${opts:-none}" >>"$out"
  SECURECOMM_RELAY_JVM_OPTS="$opts" timeout 200 java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 150 "$@" >>"$out" 2>&1
  echo >>"$out"
}
for spec in "private 100 200000 200000" "public 100 2021 5000" "private 1000 100000 150000"; do
  set -- $spec
  A="--clients $2 --mix $1 --messages $3 --warmup $4"
  run "4 loops" "" --relay-only $A
  run "2 loops" "-Dio.netty.eventLoopThreads=2" --relay-only $A
  run "1 loop" "-Dio.netty.eventLoopThreads=1" --relay-only $A
  run "mosquitto" "" --peer mosquitto $A
done
