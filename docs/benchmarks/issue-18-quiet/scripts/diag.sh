#!/usr/bin/env bash
# diag.sh JAR OUT CLIENTS [STRACE]: one relay-only private run and one mosquitto run; per-delivery syscalls, ctxt
# switches, user/sys CPU of each server from /proc (whole run incl. warm-up); with STRACE=1 a 3 s strace -c of each.
set -u
jar=$1; out=$2; n=$3; st=${4:-0}
here=/work/wt-privmix/benchmarks
"$here/mosquitto/run.sh" start >/dev/null
trap '"$here/mosquitto/run.sh" stop >/dev/null' EXIT
cd /work/wt-privmix
snap() { # pid -> "utime stime syscr syscw vctx nvctx"
  local p=$1
  echo "$(awk '{print $14, $15}' /proc/$p/stat) $(awk '/^syscr/{print $2}' /proc/$p/io) $(awk '/^syscw/{print $2}' /proc/$p/io) $(cat /proc/$p/task/*/status 2>/dev/null | awk '/^voluntary_ctxt/{s+=$2} /^nonvoluntary_ctxt/{t+=$2} END{print s, t}')"
}
stracer() { # pid seconds file
  local args=""; for t in /proc/$1/task/*; do args="$args -p ${t##*/}"; done
  timeout -s INT "$2" strace -c -f $args -o "$3" 2>/dev/null
}
per() { # label before after deliveries
  awk -v l="$1" -v d="$4" -v b="$2" -v a="$3" 'BEGIN{split(b,x," "); split(a,y," ");
    printf "%s: per delivery: user %.2f us, sys %.2f us, read-syscalls %.3f, write-syscalls %.3f, vol-ctxsw %.3f, invol-ctxsw %.3f\n",
    l, (y[1]-x[1])*10000/d, (y[2]-x[2])*10000/d, (y[3]-x[3])/d, (y[4]-x[4])/d, (y[5]-x[5])/d, (y[6]-x[6])/d}'
}
msgs=100000; warm=50000
echo "# diag $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) clients $n jar $jar opts ${SECURECOMM_RELAY_JVM_OPTS:-}" >>"$out"
# relay
java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 --relay-only --clients "$n" --mix private --messages $msgs --warmup $warm >/tmp/pm/diag-relay.txt 2>&1 &
h=$!
rp=""
for i in $(seq 1 100); do rp=$(pgrep -n -f "benchmarks.relay.RelayProcess") && break; sleep 0.1; done
b=$(snap "$rp"); a=$b
if [ "$st" = 1 ]; then sleep 6; stracer "$rp" 3 /tmp/pm/strace-relay-$n.txt; fi
while kill -0 "$h" 2>/dev/null; do s=$(snap "$rp" 2>/dev/null) && [ -n "$s" ] && a=$s; sleep 0.2; done
cat /tmp/pm/diag-relay.txt >>"$out"
per "relay $n (incl warm-up, connects)" "$b" "$a" $((msgs + warm)) >>"$out"
# mosquitto
mp=$(cat "$here/mosquitto/work/mosquitto.pid")
b=$(snap "$mp")
java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 --peer mosquitto --clients "$n" --mix private --messages $msgs --warmup $warm >/tmp/pm/diag-mosq.txt 2>&1 &
h=$!
if [ "$st" = 1 ]; then sleep 6; stracer "$mp" 3 /tmp/pm/strace-mosq-$n.txt; fi
wait $h
a=$(snap "$mp")
cat /tmp/pm/diag-mosq.txt >>"$out"
per "mosquitto $n (incl warm-up, connects)" "$b" "$a" $((msgs + warm)) >>"$out"
