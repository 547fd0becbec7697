#!/usr/bin/env bash
# threadrun.sh LABEL CP CLIENTS MIX OUT: one relay-only run; per-thread-group CPU of the relay over the last ~1.5 s of the run (measured phase).
set -u
label=$1; cp=$2; n=$3; mix=$4; out=$5
if [ "$mix" = public ]; then m=$(( 200000 / (n - 1) + 1 )); w=500; else m=100000; w=50000; fi
echo "## $label $mix $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) opts=${SECURECOMM_RELAY_JVM_OPTS:-}" >>"$out"
java -cp "$cp" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 --relay-only --clients "$n" --mix $mix --messages $m --warmup $w >/tmp/pm/tr.txt 2>&1 &
h=$!
rp=""
for i in $(seq 1 100); do rp=$(pgrep -n -f "benchmarks.relay.RelayProcess") && break; sleep 0.1; done
rm -f /tmp/pm/tsnap.*; k=0
while kill -0 "$h" 2>/dev/null; do
  k=$((k+1))
  for d in /proc/$rp/task/*; do c=$(tr ' ' _ <"$d/comm" 2>/dev/null) || continue; s=$(sed 's/.*) //' "$d/stat" 2>/dev/null | awk '{print $12+$13}') || continue; echo "${d##*/} $c $s"; done >/tmp/pm/tsnap.$k 2>/dev/null
  sleep 0.5
done
grep -E "delivered|server CPU" /tmp/pm/tr.txt >>"$out"
# last complete snapshot with the relay alive: find the last with > 5 lines; compare with 3 earlier (1.5 s)
last=$k; while [ $last -gt 4 ] && [ $(wc -l </tmp/pm/tsnap.$last) -lt 5 ]; do last=$((last-1)); done
first=$((last-3))
awk -v F=/tmp/pm/tsnap.$first 'BEGIN{while((getline l < F)>0){split(l,a," "); b[a[1]]=a[3]}} {k=$2; sub(/[-#]?[0-9]+$/,"",k); d=$3-b[$1]; g[k]+=d; t+=d} END{for(k in g) if(g[k]>0) printf "  %-22s %4d ticks (%4.1f%%)\n", k, g[k], 100*g[k]/t; printf "  %-22s %4d ticks over ~1.5 s\n","TOTAL",t}' /tmp/pm/tsnap.$last | sort -k2 -n -r >>"$out"
