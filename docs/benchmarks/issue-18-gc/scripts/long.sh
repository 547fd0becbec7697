#!/bin/bash
# Ten minutes of the private mix at 1,000 relay-only clients and an offered 5,000 messages a second (about a third
# of what the relay delivers flat out here), with the relay's GC log; 540 s in, one full collection is forced
# (jcmd GC.run, as System.gc()) to time it at the heap the run built. Shows how often each collector pauses, for how
# long, and how fast the old generation grows (issue 18: Parallel GC's old-generation pauses over time).
#   scripts/long.sh JAR TAG "JVM OPTIONS"     writes runs/TAG.txt (the harness's report) and runs/TAG.gc.log.gz
# Every recorded run went through /work/bin/measure (one at a time, on a quiet machine).
set -u
. "$(dirname "$0")/relay-pid.sh"
jar=$1
tag=$2
opts=$3
here=$(cd "$(dirname "$0")/.." && pwd)
log="$here/runs/$tag.gc.log"
SECURECOMM_RELAY_JVM_OPTS="$opts -Xlog:gc*=info:file=$log:uptime,level,tags" \
    timeout 800 java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 700 --relay-only \
    --clients 1000 --mix private --rate 5000 --messages 3000000 --warmup 50000 > "$here/runs/$tag.txt" 2>&1 &
harness=$!
pid=$(relay_pid 600 0.1)
echo "# relay pid ${pid:-none}, options: $opts" >> "$here/runs/$tag.txt"
if [ -n "$pid" ]; then
    (sleep 540 && jcmd "$pid" GC.run >/dev/null 2>&1) &
fi
wait $harness
gzip -9f "$log"
