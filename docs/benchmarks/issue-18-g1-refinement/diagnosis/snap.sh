#!/bin/bash
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
