package io.securecomm.wire;

/**
 * Client to relay: asks for the list of connected clients, answered by a {@link ClientList}.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 */
public record ListRequest(long requestId) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @throws IllegalArgumentException if {@code requestId <= 0}
     */
    public ListRequest {
        Fields.requestId(requestId);
    }

    @Override
    public MessageType type() {
        return MessageType.LIST_REQUEST;
    }
}
