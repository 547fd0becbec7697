#!/bin/bash
# The newcomer attack alone, after the harness fix (settleRoom), twice, each through the measuring lock.
cd /work/wt-newcomer
D=docs/benchmarks/issue-22-final
for n in 1 2; do
  /work/bin/measure java -cp /tmp/newcomer-bench2.jar io.securecomm.benchmarks.relay.LoadHarness --abuse \
      --attacks newcomer > $D/newcomer-settled-$n.txt 2>&1
  echo "newcomer-settled $n rc=$? $(date -u +%H:%M:%S)" >> $D/runs.log
done
