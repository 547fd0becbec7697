package io.securecomm.crypto.insecure;

import io.securecomm.crypto.insecure.LegacyHandshakeException.Reason;
import java.util.Objects;

/**
 * The INSECURE legacy suite's handshake, sans-I/O: one unauthenticated small-prime Diffie-Hellman exchange, then
 * a {@link LegacyTransport}. Nothing authenticates either public value, so anyone on the path can replace them
 * (man in the middle), and anyone who records them can solve the 32-bit discrete logarithm.
 *
 * <pre>{@code
 * client: byte[] hello = LegacyHandshake.client().writeClientHello();            // frame 1
 * relay:  LegacyHandshake relay = LegacyHandshake.relay();
 *         byte[] reply = relay.readClientHello(hello);                          // frame 2
 *         LegacyTransport relayTransport = relay.split();
 * client: LegacyTransport clientTransport = client.readRelayHello(reply);
 * }</pre>
 *
 * Holds a private value, a secret: {@link #toString()} is redacted. A handshake that failed is permanently failed.
 * Not thread-safe.
 */
public final class LegacyHandshake {
    private enum Role { CLIENT, RELAY }

    private enum State { START, SENT_HELLO, READY, DONE, FAILED }

    private final SmallPrimeDiffieHellman group;
    private final Role role;
    private final long privateValue;
    private State state = State.START;
    private long peerPublicValue;

    private LegacyHandshake(SmallPrimeDiffieHellman group, Role role) {
        this.group = Objects.requireNonNull(group, "group");
        this.role = role;
        this.privateValue = group.generatePrivateValue();
    }

    /**
     * Starts the client side over the toy's default group.
     *
     * @return a handshake whose next step is {@link #writeClientHello()}
     */
    public static LegacyHandshake client() {
        return new LegacyHandshake(SmallPrimeDiffieHellman.defaults(), Role.CLIENT);
    }

    /**
     * Starts the relay side over the toy's default group.
     *
     * @return a handshake whose next step is {@link #readClientHello(byte[])}
     */
    public static LegacyHandshake relay() {
        return new LegacyHandshake(SmallPrimeDiffieHellman.defaults(), Role.RELAY);
    }

    /**
     * Client: writes the client hello.
     *
     * @return the frame payload
     * @throws IllegalStateException if this is not a client at its first step
     */
    public byte[] writeClientHello() {
        step(Role.CLIENT, State.START);
        state = State.SENT_HELLO;
        return LegacyHello.clientHello(group.publicValue(privateValue)).encode();
    }

    /**
     * Client: reads the relay hello and derives the transport.
     *
     * @param frame the relay's frame payload
     * @return the transport
     * @throws LegacyHandshakeException if the frame is not a relay hello ({@link Reason#LEGACY_ONLY_PEER} cannot
     *     happen here; a legacy-only offer is {@link Reason#UNEXPECTED_KIND})
     * @throws IllegalStateException if this is not a client that sent its hello
     */
    public LegacyTransport readRelayHello(byte[] frame) throws LegacyHandshakeException {
        step(Role.CLIENT, State.SENT_HELLO);
        LegacyHello hello = read(frame, LegacyHello.Kind.RELAY_HELLO);
        peerPublicValue = hello.publicValue();
        state = State.DONE;
        return LegacyTransport.fromSharedSecret(group.sharedSecret(privateValue, peerPublicValue));
    }

    /**
     * Relay: reads the client hello and answers with the relay hello, which announces {@link LegacySuite#NAME}.
     *
     * @param frame the client's first frame payload
     * @return the relay hello frame payload
     * @throws LegacyHandshakeException if the frame is not a client hello
     * @throws IllegalStateException if this is not a relay at its first step
     */
    public byte[] readClientHello(byte[] frame) throws LegacyHandshakeException {
        step(Role.RELAY, State.START);
        LegacyHello hello = read(frame, LegacyHello.Kind.CLIENT_HELLO);
        peerPublicValue = hello.publicValue();
        state = State.READY;
        return LegacyHello.relayHello(group.publicValue(privateValue)).encode();
    }

    /**
     * Relay: derives the transport after {@link #readClientHello(byte[])}.
     *
     * @return the transport
     * @throws IllegalStateException if the client hello was not read yet
     */
    public LegacyTransport split() {
        step(Role.RELAY, State.READY);
        state = State.DONE;
        return LegacyTransport.fromSharedSecret(group.sharedSecret(privateValue, peerPublicValue));
    }

    /**
     * The peer's public value, as received (unauthenticated).
     *
     * @return the value
     * @throws IllegalStateException if none was received yet
     */
    public long peerPublicValue() {
        if (state != State.READY && state != State.DONE) {
            throw new IllegalStateException("no peer public value received yet");
        }
        return peerPublicValue;
    }

    private LegacyHello read(byte[] frame, LegacyHello.Kind expected) throws LegacyHandshakeException {
        Objects.requireNonNull(frame, "frame");
        try {
            LegacyHello hello = LegacyHello.decode(frame);
            if (hello.kind() != expected) {
                throw new LegacyHandshakeException(Reason.UNEXPECTED_KIND, "expected a legacy " + expected + ", got a "
                        + hello.kind());
            }
            return hello;
        } catch (LegacyHandshakeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private void step(Role wantedRole, State wantedState) {
        if (role != wantedRole) {
            throw new IllegalStateException("only the " + wantedRole + " side does this step; this is the " + role);
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("the legacy handshake failed earlier");
        }
        if (state != wantedState) {
            throw new IllegalStateException("the legacy handshake is at " + state + ", this step needs " + wantedState);
        }
    }

    /**
     * Describes the handshake without its private value.
     *
     * @return the role and state
     */
    @Override
    public String toString() {
        return "LegacyHandshake[INSECURE, " + role + ", " + state + ", privateValue=<redacted>]";
    }
}
