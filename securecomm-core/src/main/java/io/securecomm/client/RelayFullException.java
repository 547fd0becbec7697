package io.securecomm.client;

/**
 * The relay admits no more clients: it has reached its limit of online clients ({@code SERVER_FULL}). Nothing is
 * wrong with the nickname; try again later, or another relay.
 */
public final class RelayFullException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, for people
     */
    public RelayFullException(String message) {
        super(message);
    }
}
