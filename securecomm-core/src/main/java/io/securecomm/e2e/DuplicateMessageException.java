package io.securecomm.e2e;

/**
 * A message whose key was already used and deleted: a replay, or a second delivery of the same
 * message. Every message decrypts at most once. The session state is unchanged.
 */
public class DuplicateMessageException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public DuplicateMessageException(String message) {
        super(message);
    }
}
