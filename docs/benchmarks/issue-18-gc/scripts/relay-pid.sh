# Sourced by long.sh and syscalls.sh: the pid of the harness's relay JVM (its main class is RelayProcess), once it
# has started. relay_pid TRIES INTERVAL looks up to TRIES times, INTERVAL seconds apart, and prints the pid, or
# nothing if the relay did not start in that time.
relay_pid() {
    local pid=
    for _ in $(seq 1 "$1"); do
        pid=$(ps -eo pid,args | grep '[R]elayProcess' | awk '{print $1}' | tail -1)
        [ -n "$pid" ] && break
        sleep "$2"
    done
    echo "$pid"
}
