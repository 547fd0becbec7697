package io.securecomm.client;

/**
 * How far a sent message got, the value of the futures {@link ChatClient#sendPublic(String)} and
 * {@link ChatClient#sendPrivate(String, String)} return once the relay answered. A send that did not get this far
 * fails instead (with the reason: {@link UnknownRecipientException}, {@link MessageRejectedException}, ...).
 *
 * <p>Switch on it with a {@code default} branch: a relay that stores messages for offline recipients adds a status.
 */
public enum DeliveryStatus {
    /** The relay wrote the message to the connection of every recipient it was sent to. */
    DELIVERED,
    /**
     * The recipient is offline: the relay stored the message (as durably as its store promises, docs/STORE.md) and
     * delivers it, in order, when the recipient next connects. Only private messages are stored.
     */
    STORED
}
