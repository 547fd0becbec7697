#!/usr/bin/env bash
# run.sh JAR OUTPREFIX ARGS...: one abuse run with GC and safepoint logs of the three JVMs, stderr time-stamped.
# (The same as docs/benchmarks/issue-22-quiet/run.sh, with the commit given as COMMIT.)
jar=$1; out=$2; shift 2
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg) commit ${COMMIT:-unknown} jar $jar: LoadHarness $*"
} > "$out.txt"
export SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc,safepoint:file=$out-relay-gc.log:utctime"
export SECURECOMM_ATTACKER_JVM_OPTS="-Xlog:gc,safepoint:file=$out-attackers-%p-gc.log:utctime"
java -Xlog:gc,safepoint:file=$out-harness-gc.log:utctime -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness "$@" \
  >> "$out.txt" 2> >(while IFS= read -r l; do echo "$(date -u +%H:%M:%S.%3N) $l"; done > "$out.err")
rc=$?
sleep 1
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg) rc=$rc" >> "$out.txt"
