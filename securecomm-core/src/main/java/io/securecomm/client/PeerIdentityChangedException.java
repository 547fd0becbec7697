package io.securecomm.client;

import io.securecomm.e2e.SafetyNumber;
import java.util.Objects;

/**
 * A known peer presented a different identity key than the one this client remembers (trust on first
 * use): a reinstall, a new device, or a relay substituting keys. Until the user compares the new safety
 * number and accepts it ({@link ChatClient#trustNewIdentity(String, SafetyNumber)}) or rejects the change
 * ({@link ChatClient#rejectNewIdentity(String)}), nothing is sent to the peer: every send to it fails with this
 * exception, and its messages under the new key are refused.
 */
public final class PeerIdentityChangedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The peer's nickname. */
    private final String peer;
    /** Fingerprint of the remembered key. */
    private final String previousFingerprint;
    /** Fingerprint of the new key. */
    private final String newFingerprint;
    /** The safety number with the new key. */
    private final String safetyNumber;

    /**
     * Creates the exception.
     *
     * @param peer the peer's nickname
     * @param previousFingerprint fingerprint of the remembered identity key
     * @param newFingerprint fingerprint of the new identity key
     * @param safetyNumber the safety number this client and the peer would share under the new key
     */
    public PeerIdentityChangedException(String peer, String previousFingerprint, String newFingerprint,
            SafetyNumber safetyNumber) {
        super("WARNING: " + peer + "'s identity key changed (was " + previousFingerprint + ", now " + newFingerprint
                + "). Nothing is sent to " + peer + " until you compare safety numbers and accept the new key.");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.previousFingerprint = Objects.requireNonNull(previousFingerprint, "previousFingerprint");
        this.newFingerprint = Objects.requireNonNull(newFingerprint, "newFingerprint");
        this.safetyNumber = safetyNumber.formatted();
    }

    /**
     * The peer whose key changed.
     *
     * @return its nickname
     */
    public String peer() {
        return peer;
    }

    /**
     * The fingerprint of the key remembered for the peer.
     *
     * @return hex fingerprint ({@code IdentityKey.fingerprint()})
     */
    public String previousFingerprint() {
        return previousFingerprint;
    }

    /**
     * The fingerprint of the key the peer (or the relay) now presents.
     *
     * @return hex fingerprint
     */
    public String newFingerprint() {
        return newFingerprint;
    }

    /**
     * The safety number under the new key, to compare with the peer's out of band.
     *
     * @return the 60 digits in groups of 5
     */
    public String safetyNumber() {
        return safetyNumber;
    }
}
