package io.securecomm.client;

import java.util.Objects;

/**
 * The user tried to accept a peer's changed identity key with a safety number that is not the one of the key now
 * pending: either it was mistyped, or the pending key changed while the user compared numbers (someone, perhaps
 * the relay, presented yet another key). Nothing was accepted; the change stays pending. Compare the current
 * number ({@link ChatClient#peerIdentity}) again, or reject the change ({@link ChatClient#rejectNewIdentity}).
 */
public final class SafetyNumberMismatchException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The peer's nickname. */
    private final String peer;

    /**
     * Creates the exception.
     *
     * @param peer the peer's nickname
     * @param pendingFingerprint the fingerprint of the key now pending for the peer
     */
    public SafetyNumberMismatchException(String peer, String pendingFingerprint) {
        super("the safety number given is not the one of the key now pending for " + Objects.requireNonNull(peer,
                "peer") + " (fingerprint " + Objects.requireNonNull(pendingFingerprint, "pendingFingerprint")
                + "): nothing was accepted. The key may have changed again while you compared; compare the current"
                + " number, or reject the change.");
        this.peer = peer;
    }

    /**
     * The peer whose change was not accepted.
     *
     * @return its nickname
     */
    public String peer() {
        return peer;
    }
}
