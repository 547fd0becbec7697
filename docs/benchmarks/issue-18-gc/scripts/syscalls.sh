#!/bin/bash
# The relay JVM's system calls over one private-mix run at 1,000 relay-only clients (warm-up 200,000 and 100,000
# measured: 300,000 deliveries), counted by perf stat on its tracepoints.
#   scripts/syscalls.sh JAR TAG     writes runs/TAG.txt (the harness's report, then perf's counts)
# Recorded with SECURECOMM_RELAY_JVM_OPTS="-XX:-UseG1GC -XX:+UseParallelGC", through /work/bin/measure.
set -u
. "$(dirname "$0")/relay-pid.sh"
jar=$1
tag=$2
out="$(cd "$(dirname "$0")/.." && pwd)/runs/$tag"
timeout 300 java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only \
    --clients 1000 --mix private --messages 100000 --warmup 200000 > "$out.txt" 2>&1 &
harness=$!
pid=$(relay_pid 200 0.05)
echo "relay pid ${pid:-none}" >> "$out.txt"
events=$(perf list 2>/dev/null | grep -o 'syscalls:sys_enter_\(read\|write\|writev\|epoll_wait\|epoll_pwait\|epoll_ctl\|futex\|recvfrom\|sendto\)\b' | sort -u | paste -sd,)
perf stat -e "$events" -p "$pid" -o "$out.perf" 2>/dev/null &
perf=$!
wait $harness
kill -INT $perf 2>/dev/null
wait $perf
cat "$out.perf" >> "$out.txt"
rm -f "$out.perf"
