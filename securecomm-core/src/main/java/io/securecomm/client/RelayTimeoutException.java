package io.securecomm.client;

/**
 * The relay did not answer a request within {@link ChatClientOptions#requestTimeout()}: the message may
 * or may not have been delivered. The session goes on; a relay that stays silent is probably overloaded
 * or stuck.
 */
public final class RelayTimeoutException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, for people
     */
    public RelayTimeoutException(String message) {
        super(message);
    }
}
