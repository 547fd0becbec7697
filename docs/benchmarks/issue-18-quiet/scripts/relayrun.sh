#!/usr/bin/env bash
# relayrun.sh LABEL CP CLIENTS OUT: one relay-only private run; harness report + per-thread CPU (ticks, whole run) of the relay.
set -u
label=$1; cp=$2; n=$3; out=$4; mix=${5:-private}
if [ "$mix" = public ]; then m=$(( 200000 / (n - 1) + 1 )); w=500; else m=100000; w=50000; fi
echo "## $label $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) cp=$cp opts=${SECURECOMM_RELAY_JVM_OPTS:-}" >>"$out"
java -cp "$cp" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 --relay-only --clients "$n" --mix $mix --messages $m --warmup $w >/tmp/pm/rr.txt 2>&1 &
h=$!
rp=""
for i in $(seq 1 100); do rp=$(pgrep -n -f "benchmarks.relay.RelayProcess") && break; sleep 0.1; done
while kill -0 "$h" 2>/dev/null; do
  t=$(for d in /proc/$rp/task/*; do c=$(tr ' ' _ <"$d/comm" 2>/dev/null); s=$(awk '{print $14, $15}' "$d/stat" 2>/dev/null); [ -n "$s" ] && echo "$c $s"; done)
  [ -n "$t" ] && echo "$t" >/tmp/pm/threads.txt
  sleep 0.3
done
grep -E "transport|delivered|server CPU|lost|duplicated" /tmp/pm/rr.txt >>"$out"
true
