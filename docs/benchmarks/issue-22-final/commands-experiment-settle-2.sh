#!/bin/bash
# Experiment (experiment-settle-2.diff): as experiment-settle.diff, but each room pause waits 1 s for the departures
# to reach the members before their unmeasured public message; the newcomer attack alone, through the measuring lock.
cd /work/wt-newcomer
D=docs/benchmarks/issue-22-final
/work/bin/measure java -cp /tmp/newcomer-bench-settle2.jar io.securecomm.benchmarks.relay.LoadHarness --abuse \
    --attacks newcomer > $D/experiment-settle-2-1.txt 2>&1
echo "experiment-settle-2 1 rc=$? $(date -u +%H:%M:%S)" >> $D/runs.log
