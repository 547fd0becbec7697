#!/bin/bash
# One round: main before the negotiation (head.jar: the hop on ChaChaPoly), the negotiation (nego.jar: relay and
# relay-only clients on the default, auto, which on this machine's AES instructions ends on AES-GCM) and mosquitto,
# back to back; public fan-out at 100 clients, private at 100 and 1,000, with the steady-state warm-ups.
#   scripts/record.sh N      (from the repository's root; each round one /work/bin/measure call)
set -u
n=$1
here=$(cd "$(dirname "$0")/.." && pwd)
BEFORE_JAR=/work/cards/head.jar PUBLIC_WARMUP=5000 PRIVATE_WARMUP=200000 ROUNDS=1 COUNTS=100 \
    PRIVATE_COUNTS="100 1000" /work/bin/measure benchmarks/relay-cost.sh /work/cards/nego.jar \
    "$here/relay-cost-$n.txt" > "$here/measure-$n.log" 2>&1
