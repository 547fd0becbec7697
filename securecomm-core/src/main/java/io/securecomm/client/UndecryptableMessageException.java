package io.securecomm.client;

import java.util.Objects;

/**
 * A message from another client could not be decrypted or authenticated: tampered with, replayed,
 * truncated, re-addressed, sent under a key this client does not hold, or held too long waiting for its
 * sender's room key. Reported to {@link ChatListener#onUndecryptable}; the session goes on and is not
 * damaged (a failed message changes no end-to-end state).
 */
public final class UndecryptableMessageException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The sender's nickname as the relay named it. */
    private final String sender;
    /** Whether it was a private message. */
    private final boolean isPrivate;

    /**
     * Creates the exception.
     *
     * @param sender the sender's nickname, as the relay named it (unauthenticated)
     * @param isPrivate {@code true} for a private message, {@code false} for a room message
     * @param reason why, for people
     * @param cause the end-to-end failure, or {@code null}
     */
    public UndecryptableMessageException(String sender, boolean isPrivate, String reason, Throwable cause) {
        super("a " + (isPrivate ? "private" : "public") + " message said to be from " + sender
                + " could not be decrypted: " + reason, cause);
        this.sender = Objects.requireNonNull(sender, "sender");
        this.isPrivate = isPrivate;
    }

    /**
     * The claimed sender.
     *
     * @return the nickname the relay attached (not authenticated, since decryption failed)
     */
    public String sender() {
        return sender;
    }

    /**
     * Whether the message was private.
     *
     * @return {@code true} for a private message
     */
    public boolean isPrivate() {
        return isPrivate;
    }
}
