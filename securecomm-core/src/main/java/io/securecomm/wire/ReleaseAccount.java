package io.securecomm.wire;

/**
 * Client to relay: release this client's account, so that its nickname is free for another identity key once this
 * connection ends. The relay deletes the account with its stored pre-keys and messages and answers {@link Delivered},
 * or {@code ErrorReply(NOT_STORED)} if its store failed.
 *
 * @param requestId chosen by the client, greater than 0
 */
public record ReleaseAccount(long requestId) implements Message {
    /**
     * Checks the field.
     *
     * @param requestId chosen by the client, greater than 0
     * @throws IllegalArgumentException if it is not positive
     */
    public ReleaseAccount {
        Fields.requestId(requestId);
    }

    @Override
    public MessageType type() {
        return MessageType.RELEASE_ACCOUNT;
    }
}
