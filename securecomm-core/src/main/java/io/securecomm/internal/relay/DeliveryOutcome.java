package io.securecomm.internal.relay;

/**
 * What became of one {@link RelayAction.Forward}, as the adapter that carried it out reports it to the sending
 * session ({@link RelaySession#handleDeliveryOutcome}). The session, not the adapter, turns it into the sender's
 * answer. (An offline store would add an outcome here: stored for later delivery.)
 */
public enum DeliveryOutcome {
    /** The message was handed, in full, to the recipient's connection. */
    DELIVERED,
    /** Not written: the recipient's outbound queue is past its limit, so it reads too slowly to keep up. */
    QUEUE_FULL,
    /**
     * Not written: the recipient reads, but what this sender already has queued for it fills its share of the
     * recipient's queue (or was pushed out for a sender with less queued). The recipient stays; only this message is
     * refused (issue 22: one sender's flood must not bury the others', nor cut the recipient off).
     */
    NO_ROOM_FOR_SENDER,
    /** The write failed: the recipient's connection was closing or closed. */
    CONNECTION_CLOSED
}
