#!/usr/bin/env bash
# One round of relay-cost.sh with the split, then a JFR run of the relay, private mix, 100 clients, long warm-up.
cd /work/wt-relaycost
ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /tmp/rc/a.jar /tmp/rc/base-round.txt
SECURECOMM_RELAY_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/rc/relay-a.jfr,settings=profile" \
  timeout 200 java -cp /tmp/rc/a.jar io.securecomm.benchmarks.relay.LoadHarness --time-limit 150 --relay-only \
  --clients 100 --mix private --messages 300000 --warmup 200000 > /tmp/rc/base-jfr.txt 2>&1
echo "jfr rc=$?" >> /tmp/rc/base-jfr.txt
