#!/usr/bin/env bash
# Starts (or stops) the mosquitto broker that the relay load harness compares against:
# Debian's mosquitto, TLS only, on 127.0.0.1:8883, with a self-signed certificate made here by openssl.
#
#   benchmarks/mosquitto/run.sh start    install if needed, make the certificate, start; prints the pid
#   benchmarks/mosquitto/run.sh stop     stop the broker this script started
#
# Then: java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.relay.LoadHarness --peer mosquitto
# (the harness reads benchmarks/mosquitto/work/server.crt and work/mosquitto.pid by default).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
port="${MQTT_PORT:-8883}"

case "${1:-start}" in
start)
    if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mosquitto openssl
    fi
    mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
    mkdir -p "$work"
    if [ ! -f "$work/server.crt" ]; then
        # EC P-256, like the TLS baseline of the JMH suites; the IP SAN lets clients verify 127.0.0.1.
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
            -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
        chmod 600 "$work/server.key"
    fi
    if [ -f "$work/mosquitto.pid" ] && kill -0 "$(cat "$work/mosquitto.pid")" 2>/dev/null; then
        echo "mosquitto already running, pid $(cat "$work/mosquitto.pid")"
        exit 0
    fi
    cat > "$work/mosquitto.conf" <<CONF
# Written by benchmarks/mosquitto/run.sh
per_listener_settings false
allow_anonymous true
persistence false
log_dest stderr
log_type error
max_queued_messages 100000
max_inflight_messages 0
listener $port 127.0.0.1
certfile $work/server.crt
keyfile $work/server.key
tls_version tlsv1.3
CONF
    # mosquitto drops root privileges to the "mosquitto" user: it must be able to read the key.
    if id mosquitto >/dev/null 2>&1; then chown mosquitto "$work/server.key" "$work/server.crt"; fi
    "$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 </dev/null &
    echo $! > "$work/mosquitto.pid"
    i=0
    while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 50 ]; then echo "mosquitto did not start; see $work/mosquitto.log" >&2; exit 1; fi
        sleep 0.1
    done
    echo "mosquitto $("$mosquitto_bin" -h 2>/dev/null | head -1 | sed 's/.*version //') running, pid $(cat "$work/mosquitto.pid"), TLS on 127.0.0.1:$port"
    ;;
stop)
    if [ -f "$work/mosquitto.pid" ]; then
        kill "$(cat "$work/mosquitto.pid")" 2>/dev/null || true
        rm -f "$work/mosquitto.pid"
    fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
