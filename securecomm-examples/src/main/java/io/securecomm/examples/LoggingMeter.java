package io.securecomm.examples;

import java.util.Locale;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The server's meter: passes everything on to the metrics (or nowhere, without {@code --metrics}) and writes a
 * connection refused by a limit to the {@link OperatorLog}. A flood of refusals is one line per limit per
 * {@link #REFUSAL_LOG_INTERVAL} at most, with the count since the last line; the exact count is the metric
 * {@code securecomm_relay_connections_refused_total}.
 *
 * <p>Thread-safe: the relay's event loops call it; the lines are written on the given executor.
 */
final class LoggingMeter implements RelayMeter {
    /** The most often one limit's refusals are logged. */
    static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

    private final RelayMeter next;
    private final OperatorLog log;
    private final Executor writer;
    private final LongSupplier nanoTime;
    private final Map<ConnectionRefusal, long[]> refusals = new EnumMap<>(ConnectionRefusal.class);
    private final int maxConnections;
    private final int maxConnectionsPerAddress;

    LoggingMeter(RelayMeter next, OperatorLog log, Executor writer, LongSupplier nanoTime, int maxConnections,
            int maxConnectionsPerAddress) {
        this.next = Objects.requireNonNull(next, "next");
        this.log = Objects.requireNonNull(log, "log");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    @Override
    public void connectionRefused(ConnectionRefusal reason) {
        next.connectionRefused(reason);
        long now = nanoTime.getAsLong();
        long unlogged;
        synchronized (refusals) {
            // [0]: when the last line was written (0: never); [1]: refusals since, not yet in a line
            long[] state = refusals.computeIfAbsent(reason, r -> new long[2]);
            state[1]++;
            if (state[0] != 0 && now - state[0] < REFUSAL_LOG_INTERVAL.toNanos()) {
                return;
            }
            state[0] = now == 0 ? 1 : now;
            unlogged = state[1];
            state[1] = 0;
        }
        String limit = reason == ConnectionRefusal.MAX_CONNECTIONS
                ? "the relay has its maximum of " + maxConnections + " connections (--max-connections)"
                : "one address has its maximum of " + maxConnectionsPerAddress
                        + " connections (--max-connections-per-address)";
        String count = unlogged == 1 ? "a connection" : unlogged + " connections";
        writer.execute(() -> log.warn("connection_refused", "refused " + count + ": " + limit,
                "reason", reason.name().toLowerCase(Locale.ROOT), "count", Long.toString(unlogged)));
    }

    @Override
    public void connectionOpened() {
        next.connectionOpened();
    }

    @Override
    public void connectionClosed() {
        next.connectionClosed();
    }

    @Override
    public void handshakeEnded(HandshakeResult result, Duration duration) {
        next.handshakeEnded(result, duration);
    }

    @Override
    public void clientAdmitted() {
        next.clientAdmitted();
    }

    @Override
    public void clientRefused(AdmissionRefusal reason) {
        next.clientRefused(reason);
    }

    @Override
    public void clientDeparted(DepartureReason reason) {
        next.clientDeparted(reason);
    }

    @Override
    public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
        next.messageForwarded(kind, result, latency);
    }

    @Override
    public void limitDisconnected(LimitDisconnect limit) {
        next.limitDisconnected(limit);
    }

    @Override
    public void bytesRead(long bytes) {
        next.bytesRead(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        next.bytesWritten(bytes);
    }
}
