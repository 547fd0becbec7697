package io.securecomm.e2e;

/**
 * A session would have been set up without post-quantum key agreement, and is refused: a pre-key bundle without
 * an ML-KEM pre-key (the peer's client is older than PQXDH, or the relay removed the key), a first message without
 * a KEM ciphertext (plain X3DH, from an older client), or a pre-key upload without ML-KEM pre-keys. This version
 * requires PQXDH for every new session, so a relay that strips the KEM pre-key cannot downgrade a session to X3DH:
 * it can only make the session fail, visibly.
 */
public class PostQuantumRequiredException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why, for people
     */
    public PostQuantumRequiredException(String message) {
        super(message);
    }
}
