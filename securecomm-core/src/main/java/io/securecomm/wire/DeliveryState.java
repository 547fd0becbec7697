package io.securecomm.wire;

/** What became of a {@link SendToAccount}, in a {@link DeliveryReport}; codes as in docs/PROTOCOL.md 6.4. */
public enum DeliveryState {
    /** Written to the recipient's connection. */
    DELIVERED(1),
    /** Stored durably (as durable as the relay's store promises) for the recipient, who is offline. */
    STORED(2);

    private final int code;

    DeliveryState(int code) {
        this.code = code;
    }

    /**
     * The wire code.
     *
     * @return the code, at least 1
     */
    public int code() {
        return code;
    }

    static DeliveryState fromCode(int code) {
        for (DeliveryState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
