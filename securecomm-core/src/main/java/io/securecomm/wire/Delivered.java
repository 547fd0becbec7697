package io.securecomm.wire;

/**
 * Relay to client: a {@link SendPublic} or {@link SendPrivate} was accepted and handed to the recipients'
 * outgoing queues.
 *
 * @param requestId the {@code requestId} of the request, greater than 0
 */
public record Delivered(long requestId) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the {@code requestId} of the request, greater than 0
     * @throws IllegalArgumentException if {@code requestId <= 0}
     */
    public Delivered {
        Fields.requestId(requestId);
    }

    @Override
    public MessageType type() {
        return MessageType.DELIVERED;
    }
}
