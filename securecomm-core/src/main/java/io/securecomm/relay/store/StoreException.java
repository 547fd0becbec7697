package io.securecomm.relay.store;

import io.securecomm.SecureCommException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The store could not do an operation, or could not be opened: the disk is full, the operating system reported
 * an I/O error, another process holds the database's lock, the file is damaged or is not a store of this version.
 * The {@link #reason()} tells the cases apart; the message says what happened in one line, for an operator.
 *
 * <p>A failed operation changed nothing: a message whose enqueue failed with this exception is <em>not
 * stored</em>, and the relay tells its sender so. Stages returned by a {@link RelayStore} fail with this
 * exception itself, or (through {@code join()} or a dependent stage) with a {@link CompletionException} around
 * it: {@link #of(Throwable)} finds it in either.
 */
public final class StoreException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /** Why a store operation failed. */
    public enum Reason {
        /** The disk, or the size limit the store was configured with, is full. Freeing space heals it. */
        FULL,
        /** The operating system reported an I/O error, or the file cannot be written. */
        IO_ERROR,
        /** Another process holds the database's lock (a second relay, or a tool, on the same file). */
        LOCKED,
        /** The file is damaged, or is not a database at all. */
        CORRUPT,
        /** The file is a database, but not a securecomm relay store. */
        NOT_A_STORE,
        /** The store was written by a newer version of securecomm, whose schema this version does not know. */
        NEWER_VERSION,
        /**
         * The database server cannot be reached, or did not answer in time (a networked store such as
         * {@code securecomm-cluster-redis}); the store reconnects by itself, and nothing was changed unless the
         * message says the outcome is unknown.
         */
        UNAVAILABLE,
        /** Too many operations are waiting for the store; the caller should retry later or refuse the work. */
        OVERLOADED,
        /** The store was closed. */
        CLOSED
    }

    /** Why the operation failed. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the operation failed
     * @param message one line for an operator: what happened and, where known, what to do
     */
    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason why the operation failed
     * @param message one line for an operator: what happened and, where known, what to do
     * @param cause the underlying failure (a database driver's exception), or {@code null}
     */
    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the operation failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Finds the store exception a failed stage carries: the throwable itself, or the cause of a
     * {@link CompletionException} or {@link ExecutionException} around it.
     *
     * @param failure what a stage failed with, as a dependent stage or {@code join()} reports it
     * @return the store exception, or empty if the failure is something else (a bug, for instance)
     */
    public static Optional<StoreException> of(Throwable failure) {
        Throwable t = Objects.requireNonNull(failure, "failure");
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof StoreException s ? Optional.of(s) : Optional.empty();
    }
}
