package io.securecomm.relay.cluster;

/**
 * What became of a message routed to one recipient on another node ({@link RelayCluster#route}). The sending node's
 * session turns it into the sender's delivery status: {@link #DELIVERED} into "delivered"; for a message to an account
 * every other outcome into the store ("stored", or "not stored" if the store fails too); for a message to a client id
 * or to the room, into the error the sender gets.
 */
public enum RouteOutcome {
    /** The recipient's node handed the message, in full, to the recipient's connection. */
    DELIVERED,
    /**
     * Not written, on purpose: the message is for an account whose client has not yet been sent everything stored
     * for it (or everything the sender stored for it before), so a live write would overtake a stored message. The
     * sender stores it instead, which keeps one sender's messages in order.
     */
    NOT_LIVE,
    /** The recipient is not (or no longer) connected to that node. */
    RECIPIENT_GONE,
    /** The recipient reads too slowly: its queue on its node has no room for the message. */
    RECIPIENT_TOO_SLOW,
    /** The recipient's node is shutting down. */
    SHUTTING_DOWN,
    /**
     * The cluster could not carry the message, or no answer came within the route's deadline
     * ({@link RelayCluster#routeTimeout()}): the backend is unreachable, or the recipient's node died. Whether the
     * recipient got it is unknown; the sender is told it was not delivered (never that it was).
     */
    NOT_DELIVERED
}
