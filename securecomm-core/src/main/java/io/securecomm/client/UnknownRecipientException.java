package io.securecomm.client;

/**
 * A private message named a recipient (a client id or a nickname) that is not online at the relay.
 */
public final class UnknownRecipientException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The recipient as the caller named it. */
    private final String recipient;

    /**
     * Creates the exception.
     *
     * @param recipient the recipient as the caller named it (an id or a nickname)
     */
    public UnknownRecipientException(String recipient) {
        super("no client '" + recipient + "' is online at the relay, and no account of that name is registered there");
        this.recipient = recipient;
    }

    /**
     * The recipient as the caller named it.
     *
     * @return a client id or a nickname
     */
    public String recipient() {
        return recipient;
    }
}
