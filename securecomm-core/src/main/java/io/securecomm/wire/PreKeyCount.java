package io.securecomm.wire;

/**
 * Relay to client: how many of this client's one-time pre-keys of each kind the relay still holds; sent after each
 * bundle the relay hands out, so the client can replenish when few are left.
 *
 * @param remaining the one-time curve (X25519) pre-keys left, 0 to 65535
 * @param remainingKem the one-time ML-KEM pre-keys left, 0 to 65535
 */
public record PreKeyCount(int remaining, int remainingKem) implements Message {
    /**
     * Checks the fields.
     *
     * @param remaining the one-time curve pre-keys left, 0 to 65535
     * @param remainingKem the one-time ML-KEM pre-keys left, 0 to 65535
     * @throws IllegalArgumentException if a field is out of range
     */
    public PreKeyCount {
        if (remaining < 0 || remaining > 0xFFFF) {
            throw new IllegalArgumentException("remaining must be 0..65535, got " + remaining);
        }
        if (remainingKem < 0 || remainingKem > 0xFFFF) {
            throw new IllegalArgumentException("remainingKem must be 0..65535, got " + remainingKem);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.PRE_KEY_COUNT;
    }
}
