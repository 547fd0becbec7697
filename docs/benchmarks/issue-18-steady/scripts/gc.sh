#!/usr/bin/env bash
# Diagnosis: the collector at 1,000 clients (private, steady state), after jar, GC log and JFR (allocation samples).
cd /work/wt-relaycost
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc:file=/tmp/rc/gc1000.log:uptime -XX:StartFlightRecording=filename=/tmp/rc/gc1000.jfr,settings=profile" \
  timeout 200 java -cp /tmp/rc/b.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 150 --relay-only \
  --clients 1000 --mix private --messages 100000 --warmup 200000 > /tmp/rc/gc1000.txt 2>&1
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc:file=/tmp/rc/gc100.log:uptime" \
  timeout 200 java -cp /tmp/rc/b.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 150 --relay-only \
  --clients 100 --mix private --messages 100000 --warmup 200000 > /tmp/rc/gc100.txt 2>&1
