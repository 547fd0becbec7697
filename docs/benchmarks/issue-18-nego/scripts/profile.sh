#!/bin/bash
# One private-mix run at 1,000 relay-only clients with a JFR recording of the relay's JVM (settings=profile):
#   profile.sh JAR TAG     writes TAG.jfr and TAG.txt (the harness's report) in the current directory
# Each recorded run went through /work/bin/measure (one at a time, on a quiet machine). Then:
#   jfr print --events jdk.ExecutionSample --stack-depth 40 TAG.jfr > TAG.samples.txt
#   python3 jfr-top.py TAG.samples.txt 50
set -u
jar=$1
tag=$2
n=${3:-1000}
SECURECOMM_RELAY_JVM_OPTS="-XX:StartFlightRecording=filename=$PWD/$tag.jfr,settings=profile" \
    timeout 300 java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only \
    --clients "$n" --mix private --messages 100000 --warmup 200000 > "$tag.txt" 2>&1
