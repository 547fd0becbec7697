#!/bin/bash
# Snapshots of the relay JVM's per-thread CPU (utime and stime, in ticks, from /proc/<pid>/task/*/stat) every half
# second into snaps/sN.txt, each ending with the time; start it beside a harness run, `touch stop` to end it.
# scripts/thread-cpu.py snaps turns the last snapshot taken while the event loops lived into thread-cpu.txt.
mkdir -p snaps; i=0
while true; do
  pid=$(pgrep -f "relay.RelayProcess" -n)
  if [ -n "$pid" ]; then
    for t in /proc/$pid/task/*; do s=$(cat $t/stat 2>/dev/null); r=${s##*) }; set -- $r; echo "$(cat $t/comm 2>/dev/null)|${12} ${13}"; done > snaps/cur.txt 2>/dev/null
    [ -s snaps/cur.txt ] && echo "$(date +%s.%N)" >> snaps/cur.txt && mv snaps/cur.txt snaps/s$i.txt; i=$((i+1))
  fi
  sleep 0.5
  [ -f stop ] && break
done
