package io.securecomm.client;

import java.util.Objects;

/**
 * The session with the relay ended: the relay said goodbye (for example because it is shutting down, or because
 * this client broke one of its limits), or the connection was lost mid-session. Operations in flight at that moment
 * fail with it, and {@link ChatListener#onDisconnected} gets it. {@link #reason()} tells a program whether to
 * reconnect now, later, or not at all.
 */
public final class RelayClosedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    private final Reason reason;

    /** Why the session ended. */
    public enum Reason {
        /** The relay is shutting down ({@code Bye(SERVER_SHUTDOWN)}, or {@code SHUTTING_DOWN} to a request). */
        RELAY_SHUTTING_DOWN,
        /** The client sent nothing for too long ({@code Bye(IDLE_TIMEOUT)}). */
        IDLE_TIMEOUT,
        /** The client kept sending far more than the relay serves ({@code Bye(RATE_LIMITED)}). */
        RATE_LIMITED,
        /** The client read too slowly and the relay's queue for it overflowed ({@code Bye(TOO_SLOW)}). */
        TOO_SLOW,
        /** An operator removed the client ({@code Bye(KICKED)}). */
        KICKED,
        /** The relay says this client broke the protocol, or said goodbye with a reason a relay never gives. */
        PROTOCOL_ERROR,
        /** The relay failed internally ({@code Bye(INTERNAL_ERROR)}). */
        RELAY_ERROR,
        /** The connection ended without a goodbye (the network, or the relay's process, went away). */
        CONNECTION_LOST,
        /**
         * The encrypted session broke: a record failed authentication or the socket failed (a network that tampers,
         * or a defect).
         */
        SESSION_BROKEN
    }

    /**
     * Creates the exception.
     *
     * @param reason why, for a program
     * @param message what happened, for people
     */
    public RelayClosedException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason why, for a program
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    public RelayClosedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the session ended.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
