package io.securecomm.client;

import java.util.Objects;

/**
 * The relay offers only the INSECURE legacy suite (the original toy's unauthenticated 32-bit Diffie-Hellman and
 * XOR without integrity), and this client, configured for the default suite, refuses to use it. No byte of the
 * conversation was sent. Connect to a relay running the default suite instead.
 */
public final class InsecureSuiteRefusedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The relay address. */
    private final String relay;

    /**
     * Creates the exception.
     *
     * @param relay the relay address ({@code host:port})
     * @param cause the underlying handshake failure, or {@code null}
     */
    public InsecureSuiteRefusedException(String relay, Throwable cause) {
        super("the relay at " + relay + " offers only the INSECURE legacy suite (no authentication, a 32-bit key"
                + " exchange, XOR without integrity); this client refuses it and sent nothing."
                + " Use a relay that runs the default Noise suite", cause);
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    /**
     * The relay address.
     *
     * @return {@code host:port}
     */
    public String relay() {
        return relay;
    }
}
