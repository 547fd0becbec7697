#!/bin/bash
# One private-mix run at 1,000 relay-only clients with G1's refinement statistics logged, and the cards G1 had to
# refine over the whole run (warm-up included) per message: the relay's stores of references into old objects, as
# far as G1 sees them (issue 18). Counts, not times: the figure does not depend on the machine's speed, only (a
# little) on how often the refinement thread ran.
#   cards.sh JAR TAG     writes runs/TAG.txt beside this script (the harness's report and the card count)
# Every recorded run went through /work/bin/measure (one at a time, on a quiet machine): `measure cards.sh JAR TAG`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
jar=$1
tag=$2
log=$(mktemp -d)/gc.log
SECURECOMM_RELAY_JVM_OPTS="-Xlog:gc+refine+stats=debug,gc+phases=debug,gc=info:file=$log ${EXTRA_OPTS:-}" \
    timeout 300 java -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness --time-limit 200 --relay-only \
    --clients 1000 --mix private --messages 100000 --warmup 200000 > "$here/runs/$tag.txt" 2>&1
python3 "$here/scripts/cards.py" "$log" 300000 >> "$here/runs/$tag.txt"
rm -r "$(dirname "$log")"
