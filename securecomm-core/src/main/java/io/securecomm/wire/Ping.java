package io.securecomm.wire;

/**
 * Either direction: asks the peer for a {@link Pong} with the same nonce (a keep-alive and liveness check).
 *
 * @param nonce any value, echoed in the {@link Pong}
 */
public record Ping(long nonce) implements Message {
    @Override
    public MessageType type() {
        return MessageType.PING;
    }
}
