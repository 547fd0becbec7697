package io.securecomm.wire;

/**
 * Relay to client: how many of this client's one-time pre-keys the relay still holds; sent after each bundle the relay hands out, so the client can replenish when few are left.
 *
 * @param remaining the count, 0 to 65535
 */
public record PreKeyCount(int remaining) implements Message {
    /**
     * Checks the fields.
     *
     * @param remaining the count, 0 to 65535
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public PreKeyCount {
        if (remaining < 0 || remaining > 0xFFFF) {
            throw new IllegalArgumentException("remaining must be 0..65535, got " + remaining);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.PRE_KEY_COUNT;
    }
}
