package io.securecomm.wire;

import java.util.List;

/**
 * Relay to client: the clients connected now, in answer to a {@link ListRequest}.
 *
 * @param requestId the {@code requestId} of the {@link ListRequest}, greater than 0
 * @param clients the connected clients (the requester included), at most
 *     {@link Limits#CLIENT_LIST_MAX_ENTRIES}; copied into an unmodifiable list
 */
public record ClientList(long requestId, List<ClientInfo> clients) implements Message {
    /**
     * Checks the fields and copies the list.
     *
     * @param requestId the {@code requestId} of the {@link ListRequest}, greater than 0
     * @param clients the connected clients (the requester included), at most
     *     {@link Limits#CLIENT_LIST_MAX_ENTRIES}; copied into an unmodifiable list
     * @throws IllegalArgumentException if {@code requestId <= 0} or there are too many entries
     * @throws NullPointerException if {@code clients} or one of its entries is null
     */
    public ClientList {
        Fields.requestId(requestId);
        clients = List.copyOf(clients);
        if (clients.size() > Limits.CLIENT_LIST_MAX_ENTRIES) {
            throw new IllegalArgumentException("clients has " + clients.size()
                    + " entries, above the limit of " + Limits.CLIENT_LIST_MAX_ENTRIES);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.CLIENT_LIST;
    }
}
