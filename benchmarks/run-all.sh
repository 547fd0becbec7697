#!/usr/bin/env bash
# The recorded run behind docs/BENCHMARKS.md: JMH on JDK 17 (all suites) and, where installed, JDK 25 (the suites
# whose speed depends on the JDK's crypto), then the relay load harness against the securecomm relay and mosquitto.
#
#   benchmarks/run-all.sh [OUTDIR]      (default benchmarks/results; build first: mvn -B -pl benchmarks -am package -DskipTests)
#
# JMH settings are moderate so that everything fits in about half an hour on 2 cores; override with JMH_OPTS.
# Environment: JAR (default benchmarks/target/benchmarks.jar; point it at a copy to rebuild during a run), PARTS
# (default "jmh harness store": any of them, e.g. PARTS=jmh first and PARTS="harness store" later on another build),
# BEFORE (default the previous recorded run, docs/benchmarks/jdk17.json and jdk25.json with the issue-18 files:
# tables.md then shows those figures in a "before" column; BEFORE= turns it off).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/benchmarks/results}"
jar="${JAR:-$root/benchmarks/target/benchmarks.jar}"
jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jmh_opts="${JMH_OPTS:--f 1 -wi 1 -w 2s -i 3 -r 1s}"
parts=" ${PARTS:-jmh harness store} "
mkdir -p "$out"
want() { [[ "$parts" == *" $1 "* ]]; }

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
    echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
    echo "kernel: $(uname -r)"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "jdk17: $("$jdk17/bin/java" -version 2>&1 | sed -n 2p)"
    [ -x "$jdk25/bin/java" ] && echo "jdk25: $("$jdk25/bin/java" -version 2>&1 | sed -n 2p)"
    echo "jmh options: $jmh_opts"
    echo "parts: $parts"
} | tee -a "$out/machine.txt"

if want jmh; then
    # shellcheck disable=SC2086
    "$jdk17/bin/java" -jar "$jar" $jmh_opts -rf json -rff "$out/jdk17.json" | tee "$out/jdk17.txt"
    echo "load after JDK 17: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
    if [ -x "$jdk25/bin/java" ]; then
        # shellcheck disable=SC2086
        "$jdk25/bin/java" -jar "$jar" 'CipherBench|AeadBench|ChannelBench|HandshakeBench|CurveBench|E2eBench' \
            $jmh_opts -rf json -rff "$out/jdk25.json" | tee "$out/jdk25.txt"
        echo "load after JDK 25: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
    fi
fi

harness() {
    echo "\$ LoadHarness $* [$(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)]" | tee -a "$out/harness.txt"
    "$jdk17/bin/java" ${HARNESS_JVM_OPTS:-} -cp "$jar" io.securecomm.benchmarks.relay.LoadHarness "$@" 2>&1 \
        | tee -a "$out/harness.txt" || true
    echo "[ended $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)]" | tee -a "$out/harness.txt"
    echo | tee -a "$out/harness.txt"
}
if want harness; then
    "$root/benchmarks/mosquitto/run.sh" start | tee -a "$out/harness.txt"
    for peer in securecomm mosquitto; do
        harness --peer "$peer" --clients 100 --mix public --messages 2000
        harness --peer "$peer" --clients 100 --mix public --messages 2000 --rate 150
        harness --peer "$peer" --clients 100 --mix both --messages 10000
    done
    "$root/benchmarks/mosquitto/run.sh" stop
    # Room messages per second with end-to-end clients, the JDK's curves against Bouncy Castle's (issue 18, goal 6).
    HARNESS_JVM_OPTS=-Dsecurecomm.curve25519=jca harness --clients 100 --mix public --messages 1000 --warmup 200
    harness --clients 100 --mix public --messages 1000 --warmup 200
    # The headline: relay CPU per delivery against mosquitto's, relay-only clients, 100 to 1,000 clients.
    JAVA="$jdk17/bin/java" ROUNDS="${ROUNDS:-1}" "$root/benchmarks/relay-cost.sh" "$jar" "$out/relay-cost.txt"
    harness --idle-connections 10000
    harness --admitted-clients 10000   # needs ulimit -n above 10,000 (docs/BENCHMARKS.md)
fi
if want store; then
    echo "\$ StoreThroughput" | tee -a "$out/store.txt"
    "$jdk17/bin/java" -cp "$jar" io.securecomm.benchmarks.store.StoreThroughput --dir "$out" 2>&1 | tee -a "$out/store.txt" || true
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

if [ -f "$out/jdk17.json" ]; then
    labels=("JDK 17=$out/jdk17.json")
    [ -f "$out/jdk25.json" ] && labels+=("JDK 25=$out/jdk25.json")
    python3 "$root/benchmarks/tables.py" "${labels[@]}" > "$out/tables.md"
    echo "tables: $out/tables.md"
fi
