package io.securecomm.wire;

import java.util.Objects;

/**
 * Relay to client: the answer to a {@link SendToAccount} that the relay either wrote to the recipient's connection
 * or stored for it.
 *
 * @param requestId of the request, greater than 0
 * @param state delivered, or stored
 */
public record DeliveryReport(long requestId, DeliveryState state) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId of the request, greater than 0
     * @param state delivered, or stored
     * @throws IllegalArgumentException if the request id is not positive
     */
    public DeliveryReport {
        Fields.requestId(requestId);
        Objects.requireNonNull(state, "state");
    }

    @Override
    public MessageType type() {
        return MessageType.DELIVERY_REPORT;
    }
}
