#!/bin/bash
# The newcomer attack alone on the fixed harness (the room pauses pay the rotations departures owe), twice, each
# through the measuring lock.
cd /work/wt-newcomer
D=docs/benchmarks/issue-22-final
for n in 1 2; do
  /work/bin/measure java -cp /tmp/newcomer-bench-fixed.jar io.securecomm.benchmarks.relay.LoadHarness --abuse \
      --attacks newcomer > $D/newcomer-fixed-$n.txt 2>&1
  echo "newcomer-fixed $n rc=$? $(date -u +%H:%M:%S)" >> $D/runs.log
done
