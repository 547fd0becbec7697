package io.securecomm.client;

import java.util.Objects;

/**
 * A request was refused or could not be carried out: the relay refused it (for example a message to a recipient
 * that reads too slowly, or a request it dropped as {@code RATE_LIMITED}), the relay's answer made no sense, or this
 * client could not encrypt for the peer. {@link #reason()} tells the cases apart for a program; the message says it
 * for people.
 *
 * <pre>{@code
 * } catch (MessageRejectedException e) {
 *     switch (e.reason()) {
 *         case RATE_LIMITED -> retryLater();        // the client already backed off and retried
 *         case NO_PRE_KEYS -> tell("bob cannot receive end-to-end messages yet");
 *         default -> tell(e.getMessage());
 *     }
 * }
 * }</pre>
 */
public final class MessageRejectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** Why the request was refused; {@code null} only after deserialisation of a damaged form. */
    private final Reason reason;

    /** Why a request was refused or could not be carried out. */
    public enum Reason {
        /** The relay refused an empty text ({@code EMPTY_MESSAGE}); the client checks this first, so it is rare. */
        EMPTY,
        /** The relay refused a text longer than the protocol allows ({@code MESSAGE_TOO_LONG}). */
        TOO_LONG,
        /**
         * The relay dropped the request ({@code RATE_LIMITED}), and still did after the client backed off and retried
         * it: too many session-starting messages to one recipient, too many bundle requests for one client, or far
         * more requests than the relay reads (docs/PROTOCOL.md 9.2).
         */
        RATE_LIMITED,
        /** The recipient reads too slowly; the relay dropped the message for it ({@code RECIPIENT_TOO_SLOW}). */
        RECIPIENT_TOO_SLOW,
        /** The peer has published no pre-keys, so no end-to-end session can start with it yet ({@code NO_PRE_KEYS}). */
        NO_PRE_KEYS,
        /** The relay refused this client's pre-keys ({@code INVALID_PRE_KEYS}). */
        INVALID_PRE_KEYS,
        /**
         * The relay could not decode what this client sent, or it was not allowed then ({@code MALFORMED_MESSAGE},
         * {@code PROTOCOL_VIOLATION}): a defect of this client or of the relay.
         */
        PROTOCOL_VIOLATION,
        /** The relay failed internally ({@code INTERNAL_ERROR}); the request may be retried. */
        RELAY_ERROR,
        /**
         * The relay's answer made no sense: a message this client cannot parse, or the wrong answer to a request (a
         * defect of the relay, or a hostile one).
         */
        BAD_RELAY_ANSWER,
        /**
         * This client could not encrypt or process end-to-end content (its session state with the peer is unusable,
         * or a defect); nothing was sent.
         */
        END_TO_END_FAILURE,
        /**
         * The recipient is offline and the messages the relay stores for it are at a bound (count or bytes,
         * {@code QUEUE_FULL}); nothing was stored. The message names the bound.
         */
        RECIPIENT_QUEUE_FULL,
        /**
         * The recipient is offline and the relay could not store the message ({@code NOT_STORED}: its disk is full or
         * failing); nothing was stored, and sending again later may work.
         */
        NOT_STORED
    }

    /**
     * Creates the exception.
     *
     * @param reason why, for a program
     * @param message what went wrong, for people
     */
    public MessageRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason why, for a program
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public MessageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the request was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
