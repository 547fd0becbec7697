package io.securecomm.noise;

/**
 * What a {@link HandshakeState} expects next.
 */
public enum HandshakeAction {
    /** It is this side's turn: call {@link HandshakeState#writeMessage(byte[])}. */
    WRITE_MESSAGE,
    /** It is the peer's turn: pass its next message to {@link HandshakeState#readMessage(byte[])}. */
    READ_MESSAGE,
    /**
     * Every handshake message was processed: call {@link HandshakeState#split()} (once; the action stays
     * {@code SPLIT} afterwards).
     */
    SPLIT,
    /** The handshake failed; it is permanently unusable. */
    FAILED
}
