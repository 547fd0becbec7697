#!/bin/bash
# One round of benchmarks/relay-cost.sh: the relay before (main at 87efd12, /work/cards/main.jar) and after, then
# mosquitto, in each scenario; the default two event loops. Run through /work/bin/measure, one call per round.
#   record.sh turn N     after = the first four changes (58a8620, /work/cards/turn.jar): writes relay-cost-turn-N.txt
#   record.sh final N    after = all of them (ca321bb, /work/cards/final.jar): writes relay-cost-final-N.txt
here=$(cd "$(dirname "$0")" && pwd)
case "$1" in
    turn) out="$here/relay-cost-turn-$2.txt" ;;
    final) out="$here/relay-cost-final-$2.txt" ;;
    *) echo "usage: record.sh turn|final N" >&2; exit 2 ;;
esac
BEFORE_JAR=/work/cards/main.jar PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 PRIVATE_COUNTS="100 1000" \
    "$here/../../../benchmarks/relay-cost.sh" "/work/cards/$1.jar" "$out"
