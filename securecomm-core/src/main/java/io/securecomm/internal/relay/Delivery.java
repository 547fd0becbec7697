package io.securecomm.internal.relay;

import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import java.time.Instant;

/**
 * One accepted message in flight in its sender's {@link RelaySession}: its recipients' outcomes so far, and the
 * answer they add up to (docs/PROTOCOL.md, "Delivery guarantee"). Confined to the sender's session.
 */
final class Delivery {
    private final long requestId;
    /** The one recipient's id, or 0 for a message to several. */
    private final int recipientId;
    private final int recipients;
    private final Instant acceptedAt;
    private int outstanding;
    private int failed;
    private ErrorCode firstFailure;
    private DeliveryOutcome firstFailedOutcome;

    private Delivery(long requestId, int recipientId, int recipients, Instant acceptedAt) {
        this.requestId = requestId;
        this.recipientId = recipientId;
        this.recipients = recipients;
        this.acceptedAt = acceptedAt;
        this.outstanding = recipients;
    }

    /** A message to the one client {@code recipientId}, accepted at {@code acceptedAt}. */
    static Delivery toOne(long requestId, int recipientId, Instant acceptedAt) {
        return new Delivery(requestId, recipientId, 1, acceptedAt);
    }

    /** A message to several clients, of which one that leaves on its own simply misses it. */
    static Delivery toMany(long requestId, int recipients, Instant acceptedAt) {
        return new Delivery(requestId, 0, recipients, acceptedAt);
    }

    /**
     * A message to several clients, of which {@code refused} were refused before it was written to any (the sender's
     * share of their room deliveries was spent) and count as not delivered for a recipient that is too slow.
     */
    static Delivery toMany(long requestId, int written, int refused, Instant acceptedAt) {
        Delivery d = new Delivery(requestId, 0, written + refused, acceptedAt);
        for (int i = 0; i < refused; i++) {
            d.record(ErrorCode.RECIPIENT_TOO_SLOW, DeliveryOutcome.NO_ROOM_FOR_SENDER);
        }
        return d;
    }

    /** Whether every recipient's outcome is in (so the sender's answer is due, or was sent). */
    boolean answered() {
        return outstanding <= 0;
    }

    /** When the relay accepted the message from its sender: the start of its delivery latency. */
    Instant acceptedAt() {
        return acceptedAt;
    }

    /**
     * Counts one recipient's outcome.
     *
     * @param failure the error it means for the sender, or {@code null} if the recipient has the message
     * @param outcome the outcome itself
     * @return {@code true} once every recipient's outcome is in
     */
    boolean record(ErrorCode failure, DeliveryOutcome outcome) {
        // A recipient of a message to several that left on its own is no longer online: it simply misses it.
        if (failure != null && (recipientId != 0 || failure != ErrorCode.RECIPIENT_GONE)) {
            failed++;
            if (firstFailure == null) {
                firstFailure = failure;
                firstFailedOutcome = outcome;
            }
        }
        return --outstanding == 0;
    }

    /** The sender's answer, once every outcome is in: {@code Delivered}, or an {@code ErrorReply} saying why not. */
    Message reply() {
        if (firstFailure == null) {
            return new Delivered(requestId);
        }
        if (recipientId == 0) {
            return new ErrorReply(requestId, firstFailure, SessionOutput.clip("not delivered to " + failed + " of "
                    + recipients + " recipients (" + describe(firstFailure) + ")"));
        }
        if (firstFailedOutcome == DeliveryOutcome.QUEUE_FULL) {
            return new ErrorReply(requestId, firstFailure,
                    "client " + recipientId + " reads too slowly and was disconnected");
        }
        return new ErrorReply(requestId, firstFailure, SessionOutput.clip("client " + recipientId
                + " did not get the message (" + describe(firstFailure) + ")"));
    }

    private static String describe(ErrorCode code) {
        return switch (code) {
            case RECIPIENT_TOO_SLOW -> "a recipient did not read fast enough";
            case SHUTTING_DOWN -> SessionOutput.SHUTTING_DOWN;
            case INTERNAL_ERROR -> "not delivered: the relay's cluster could not carry it to the recipient's node";
            default -> "a recipient left before the message reached it";
        };
    }
}
