package io.securecomm.wire;

/**
 * Either direction: the answer to a {@link Ping}.
 *
 * @param nonce the nonce of the {@link Ping}
 */
public record Pong(long nonce) implements Message {
    @Override
    public MessageType type() {
        return MessageType.PONG;
    }
}
