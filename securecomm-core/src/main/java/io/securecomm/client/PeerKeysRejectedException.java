package io.securecomm.client;

/**
 * The relay handed out a peer's pre-key bundle that this client refused: a signature did not verify, a
 * key was invalid, or the bundle's identity is not the key the relay announced for the peer. No session
 * was started and nothing was sent.
 */
public final class PeerKeysRejectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, for people
     * @param cause the end-to-end failure, or {@code null}
     */
    public PeerKeysRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
