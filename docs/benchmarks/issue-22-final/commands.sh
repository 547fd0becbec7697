#!/bin/bash
# The three full abuse runs (all seven attacks, 15 s phases), each through the measuring lock.
cd /work/wt-newcomer
D=docs/benchmarks/issue-22-final
for n in 1 2 3; do
  mkdir -p /tmp/newcomer-gc-$n
  SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc,safepoint:file=/tmp/newcomer-gc-$n/relay-gc.log:utctime" \
  SECURECOMM_ATTACKER_JVM_OPTS="-Xlog:gc,safepoint:file=/tmp/newcomer-gc-$n/attackers-%p-gc.log:utctime" \
  /work/bin/measure nice -n 0 java -Xlog:gc,safepoint:file=/tmp/newcomer-gc-$n/harness-gc.log:utctime \
      -cp /tmp/newcomer-bench.jar io.securecomm.benchmarks.relay.LoadHarness --abuse > $D/run-$n.txt 2>&1
  echo "run $n rc=$? $(date -u +%H:%M:%S)" >> $D/runs.log
done
