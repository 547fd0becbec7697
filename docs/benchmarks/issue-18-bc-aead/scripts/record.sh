#!/usr/bin/env bash
# One round: before (a-main: main at 00dc5de, the JDK's ChaCha20-Poly1305), after (c: this branch, default JCA),
# after with -Dsecurecomm.chachapoly=bouncycastle for the relay's JVM (c, "BC"), mosquitto; steady-state warm-ups.
cd /work/wt-bcaead
BEFORE_JAR=/tmp/bcaead/a-main.jar ALSO_RELAY_OPTS=-Dsecurecomm.chachapoly=bouncycastle PUBLIC_WARMUP=5000 \
  PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /tmp/bcaead/c.jar "$1"
