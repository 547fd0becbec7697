#!/bin/bash
# One round: relay-cost.sh on JDK 17 and then on JDK 25, same jar; each with ChaChaPoly (the default), AES-GCM
# (ALSO_HARNESS_ARGS) and mosquitto, steady-state warm-ups.
n=$1
cd /work/wt-lead
out=/work/runs/jdk25
for j in 17 25; do
  if [ $j = 17 ]; then J=java; else J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; fi
  echo "# JDK $j: $($J -version 2>&1 | head -1)" > $out/relay-cost-jdk$j-$n.txt
  JAVA=$J ALSO_HARNESS_ARGS="--noise-cipher AESGCM" PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 \
    ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" benchmarks/relay-cost.sh /work/before.jar $out/relay-cost-jdk$j-$n.txt
done
