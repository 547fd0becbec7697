package io.securecomm.relay;

import java.time.Duration;

/**
 * Receives the numbers an operator watches a relay by: connections, handshakes, admissions, relayed messages,
 * bytes, delivery latency and disconnections by a limit. Set one with {@link RelayOptions.Builder#meter}; the
 * module {@code securecomm-metrics-prometheus} implements it on Micrometer and serves Prometheus' text format.
 * Every method has an empty default, and {@link #NONE} ignores everything.
 *
 * <p><b>Nothing personal.</b> Unlike {@link RelayListener}, a meter is never told who: no nickname, client id,
 * identity key or address reaches it, only what happened and, where it matters, how long it took; byte counts
 * come in the chunks the sockets deliver, which may be one message's size, so an implementation only adds them
 * up. An implementation must not label or record anything that identifies a user or one user's message.
 *
 * <p><b>Threads.</b> Methods are called on the relay's event loops, concurrently for different connections and
 * very often (bytes on every read and write): they must be cheap, must not block, and should not throw (an
 * exception is ignored). A relay without a meter ({@link #NONE}, the default) does not measure at all.
 */
public interface RelayMeter {
    /** A meter that ignores everything: the relay then adds no measuring handler to its connections. */
    RelayMeter NONE = new RelayMeter() {};

    /** Why the relay closed a new TCP connection before any handshake. */
    enum ConnectionRefusal {
        /** The relay already had {@link RelayOptions#maxConnections()} connections. */
        MAX_CONNECTIONS,
        /** The connection's address (or IPv6 /64) already had {@link RelayOptions#maxConnectionsPerAddress()}. */
        MAX_CONNECTIONS_PER_ADDRESS
    }

    /** How a connection's handshake (Noise, or the INSECURE legacy one) ended. */
    enum HandshakeResult {
        /** The handshake completed: the connection is encrypted and authenticated. */
        COMPLETED,
        /** A handshake message was malformed, out of turn or failed authentication. */
        FAILED,
        /** The handshake did not complete within {@link RelayOptions#handshakeTimeout()}. */
        TIMED_OUT,
        /** The connection closed before the handshake completed (the client went away, or the relay shut down). */
        ABANDONED
    }

    /** Why the relay refused to admit a client that completed its handshake and said hello. */
    enum AdmissionRefusal {
        /** The nickname is not a valid one. */
        INVALID_NICKNAME,
        /** The nickname, or one that looks like it, is online already. */
        NICKNAME_TAKEN,
        /** The relay already had {@link RelayOptions#maxClients()} clients online. */
        RELAY_FULL,
        /** The relay was shutting down. */
        SHUTTING_DOWN,
        /** The relay's cluster could not be reached, so the client could not be put online across it. */
        CLUSTER_UNAVAILABLE
    }

    /** What kind of message the relay forwarded to a recipient. */
    enum MessageKind {
        /** An end-to-end envelope to one client (a private message, a key hand-over, a session start). */
        PAIRWISE,
        /** An end-to-end envelope for the room, one copy per member it is for. */
        ROOM,
        /** Plaintext chat of the INSECURE legacy suite. */
        INSECURE_PLAINTEXT
    }

    /** What became of one message the relay forwarded to one recipient. */
    enum DeliveryResult {
        /** Written in full to the recipient's connection. */
        DELIVERED,
        /** Not written: the recipient's queue was past its limit, and the relay disconnected it as too slow. */
        RECIPIENT_TOO_SLOW,
        /** Not written: the recipient's connection was closing or closed. */
        RECIPIENT_GONE,
        /**
         * Not carried: the relay's cluster could not reach the recipient's node, or its answer did not come in time
         * (docs/CLUSTER.md).
         */
        NOT_DELIVERED
    }

    /** Which limit made the relay end a connection. */
    enum LimitDisconnect {
        /** The client did not read what the relay sent it ({@link RelayOptions#slowReaderLimitBytes()}). */
        SLOW_READER,
        /** The client kept sending faster than {@link RelayOptions#rateLimit()} after being told to slow down. */
        RATE_LIMITED,
        /** The client sent nothing for {@link RelayOptions#idleTimeout()}. */
        IDLE_TIMEOUT
    }

    /** A TCP connection was accepted within the connection limits; it is open until {@link #connectionClosed}. */
    default void connectionOpened() {}

    /** A connection {@link #connectionOpened} reported closed, for whatever reason. */
    default void connectionClosed() {}

    /**
     * A new TCP connection was closed at once, before any handshake.
     *
     * @param reason which limit
     */
    default void connectionRefused(ConnectionRefusal reason) {}

    /**
     * A connection's handshake ended.
     *
     * @param result how
     * @param duration from the connection's acceptance to the end of its handshake
     */
    default void handshakeEnded(HandshakeResult result, Duration duration) {}

    /** A client was admitted: it is online until {@link #clientDeparted}. */
    default void clientAdmitted() {}

    /**
     * A client that said hello was refused admission (and disconnected).
     *
     * @param reason why
     */
    default void clientRefused(AdmissionRefusal reason) {}

    /**
     * An admitted client left; called exactly once for each {@link #clientAdmitted}.
     *
     * @param reason why
     */
    default void clientDeparted(DepartureReason reason) {}

    /**
     * The relay's attempt to forward one message to one recipient ended. A room message to five members is
     * five calls.
     *
     * @param kind what was forwarded
     * @param result what became of it
     * @param latency from the relay reading the message from its sender to the relay learning the outcome (for
     *     {@link DeliveryResult#DELIVERED}: the write to the recipient's connection completed)
     */
    default void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {}

    /**
     * A limit ended a connection (admitted or not).
     *
     * @param limit which limit
     */
    default void limitDisconnected(LimitDisconnect limit) {}

    /**
     * Bytes were read from a client's socket: the sum over all connections is the relay's inbound traffic.
     *
     * @param bytes how many, at least 1
     */
    default void bytesRead(long bytes) {}

    /**
     * Bytes were written to a client's socket.
     *
     * @param bytes how many, at least 1
     */
    default void bytesWritten(long bytes) {}
}
