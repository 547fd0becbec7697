#!/usr/bin/env bash
# Steady state (long warm-up): event loops 4/2/1 against mosquitto, private and public, 100 clients; plus a JFR.
cd /work/wt-relaycost
benchmarks/mosquitto/run.sh start >/dev/null
trap 'benchmarks/mosquitto/run.sh stop' EXIT
out=/tmp/rc/loops.txt
run() { # label opts args...
  local label=$1 opts=$2; shift 2
  echo "## $label [$(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)] opts=$opts $*" >>$out
  SECURECOMM_RELAY_JVM_OPTS="$opts" timeout 200 java -cp /tmp/rc/a2.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 150 "$@" 2>&1 | grep -E "delivered|lost|server CPU|server threads" >>$out
}
P="--clients 100 --mix private --messages 200000 --warmup 200000"
U="--clients 100 --mix public --messages 2021 --warmup 5000"
run "private 4 loops" "" --relay-only $P
run "private 2 loops" "-Dio.netty.eventLoopThreads=2" --relay-only $P
run "private 1 loop" "-Dio.netty.eventLoopThreads=1" --relay-only $P
run "private mosquitto" "" --peer mosquitto $P
run "public 4 loops" "" --relay-only $U
run "public 2 loops" "-Dio.netty.eventLoopThreads=2" --relay-only $U
run "public 1 loop" "-Dio.netty.eventLoopThreads=1" --relay-only $U
run "public mosquitto" "" --peer mosquitto $U
run "private 4 loops JFR 1ms" "-XX:StartFlightRecording=filename=/tmp/rc/relay-a2.jfr,settings=profile,jdk.ExecutionSample#period=1ms" --relay-only $P
