#!/bin/bash
# Experiment (not committed, experiment-no-flood.diff): the newcomer attack's 8 members join with pre-keys but send
# no bundle request; the newcomer attack alone, through the measuring lock.
cd /work/wt-newcomer
D=docs/benchmarks/issue-22-final
/work/bin/measure java -cp /tmp/newcomer-bench-noflood.jar io.securecomm.benchmarks.relay.LoadHarness --abuse \
    --attacks newcomer > $D/experiment-no-flood-1.txt 2>&1
echo "experiment-no-flood 1 rc=$? $(date -u +%H:%M:%S)" >> $D/runs.log
