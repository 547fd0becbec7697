package io.securecomm.e2e;

import java.util.Objects;

/**
 * A known peer presented an identity key different from the one this client remembered (trust on first
 * use). This is either a reinstall on the peer's side or an attack (a relay substituting its own keys);
 * only the people can tell, by comparing the new {@link SafetyNumber} out of band.
 *
 * <p>The change is recorded ({@link TrustStore#pendingChange}) only when the key was presented in something that
 * authenticates under it (a bundle whose signatures verify, a pre-key message that decrypts). Until the user
 * accepts the key they compared ({@link TrustStore#acceptPendingChange(String, IdentityKey)}) or rejects the change
 * ({@link TrustStore#rejectChange(String)}), the client refuses to encrypt to the peer and to decrypt session
 * set-up messages under the new key. Nothing was consumed, so a message refused with this exception can be
 * decrypted again after the user accepts.
 */
public class UntrustedIdentityException extends E2eException {
    private static final long serialVersionUID = 1L;

    private final transient IdentityChange change;

    /**
     * Creates the exception.
     *
     * @param change the peer, the remembered key and the new key
     */
    public UntrustedIdentityException(IdentityChange change) {
        super("identity key of '" + Objects.requireNonNull(change, "change").peer() + "' changed from "
                + change.previous().fingerprint() + " to " + change.current().fingerprint()
                + "; compare safety numbers, then accept the new key before sending");
        this.change = change;
    }

    /**
     * Returns the identity change: the peer, the key remembered for it and the key it presents now.
     *
     * @return the change
     */
    public IdentityChange change() {
        return change;
    }
}
