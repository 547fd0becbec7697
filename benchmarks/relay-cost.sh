#!/usr/bin/env bash
# Relay CPU per delivery against mosquitto's, same workload, same sitting (issue 18): the securecomm relay with
# relay-only clients (pre-made envelopes: a client's work per message is the hop's record, as for the MQTT
# clients) and mosquitto with Paho clients, alternately, at each client count. Every run is bounded by the
# harness's --time-limit and by timeout(1); mosquitto is stopped on exit, whatever happens.
#
#   benchmarks/relay-cost.sh [JAR] [OUT]     JAR defaults to benchmarks/target/benchmarks.jar, OUT to /dev/stdout
#
# Environment: JAVA (default java), ROUNDS (default 2: each pair twice, to see the noise), COUNTS (default
# "100 256": a public fan-out reaches the public room, at most 256 members), BEFORE_JAR (another build's jar, run
# first in each pair as "before", so that before, after and mosquitto share the sitting), PRIVATE_COUNTS (default
# "100 1000": the private mix, each message to one other client, at client counts beyond the public room's 256
# members; 100,000 messages each), PRIVATE_WARMUP (default 50000: the private mix's warm-up messages, as many
# deliveries as the public mix's warm-up of 500 messages to 99 others, so that neither JVM measures its JIT compiler
# at work; 5000 before 2026-12-06), PUBLIC_WARMUP (default 500: the public mix's warm-up messages), MQTT_ONLY_COUNTS
# (default none: client counts for mosquitto alone), ALSO_RELAY_OPTS (default none: relay JVM options, such as
# -Dio.netty.eventLoopThreads=1, for a third relay run of JAR in each pair, "after, with ALSO_RELAY_OPTS"),
# ALSO_HARNESS_ARGS (default none: harness options for that third run, alone or with ALSO_RELAY_OPTS, such as
# "--noise-cipher AESGCM" for the hop on Noise_XX_25519_AESGCM_SHA256).
#
# Each run prints the server's CPU over the measured window (first send to last delivery) from /proc: the whole
# process, the headline that compares with mosquitto's, then, for the relay, split by thread group (event loops,
# JIT compiler, collector, other), the total without the compiler threads and the part in the kernel, which
# explain the headline and are never compared with mosquitto's total (mosquitto is one thread: all of it is
# "other").
set -u
here=$(cd "$(dirname "$0")" && pwd)
jar="${1:-$here/target/benchmarks.jar}"
out="${2:-/dev/stdout}"
java="${JAVA:-java}"
rounds="${ROUNDS:-2}"
counts="${COUNTS:-100 256}"
private_counts="${PRIVATE_COUNTS-100 1000}"
mqtt_only="${MQTT_ONLY_COUNTS:-}"
before="${BEFORE_JAR:-}"
also_opts="${ALSO_RELAY_OPTS:-}"
also_args="${ALSO_HARNESS_ARGS:-}"
private_warmup="${PRIVATE_WARMUP:-50000}"
public_warmup="${PUBLIC_WARMUP:-500}"

trap '"$here/mosquitto/run.sh" stop' EXIT
"$here/mosquitto/run.sh" start >/dev/null
cd "$here/.."

# Messages per run: about 200,000 deliveries whatever the client count.
messages_for() { echo $(( 200000 / ($1 - 1) + 1 )); }

harness_with() {
    local with="$1"
    shift
    echo "\$ LoadHarness $* [$(basename "$with"), $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)]" >>"$out"
    timeout 300 "$java" -cp "$with" io.securecomm.benchmarks.relay.LoadHarness --time-limit 120 "$@" >>"$out" 2>&1
    echo >>"$out"
}
harness() { harness_with "$jar" "$@"; }
# The after jar's relay once more with ALSO_RELAY_OPTS (RelayProcess passes them to the relay's JVM) and
# ALSO_HARNESS_ARGS, if either is set.
also() {
    if [ -n "$also_opts" ] || [ -n "$also_args" ]; then
        if [ -n "$also_opts" ]; then
            echo "# relay JVM options: $also_opts" >>"$out"
        fi
        # shellcheck disable=SC2086 # the harness options are words
        SECURECOMM_RELAY_JVM_OPTS="$also_opts" harness_with "$jar" "$@" $also_args
    fi
}

for r in $(seq 1 "$rounds"); do
    for n in $counts; do
        m=$(messages_for "$n")
        if [ -n "$before" ]; then
            harness_with "$before" --relay-only --clients "$n" --mix public --messages "$m" --warmup "$public_warmup"
        fi
        harness --relay-only --clients "$n" --mix public --messages "$m" --warmup "$public_warmup"
        also --relay-only --clients "$n" --mix public --messages "$m" --warmup "$public_warmup"
        harness --peer mosquitto --clients "$n" --mix public --messages "$m" --warmup "$public_warmup"
    done
    for n in $private_counts; do
        if [ -n "$before" ]; then
            harness_with "$before" --relay-only --clients "$n" --mix private --messages 100000 --warmup "$private_warmup"
        fi
        harness --relay-only --clients "$n" --mix private --messages 100000 --warmup "$private_warmup"
        also --relay-only --clients "$n" --mix private --messages 100000 --warmup "$private_warmup"
        harness --peer mosquitto --clients "$n" --mix private --messages 100000 --warmup "$private_warmup"
    done
done
for n in $mqtt_only; do
    harness --peer mosquitto --clients "$n" --mix public --messages "$(messages_for "$n")" --warmup 200
done
