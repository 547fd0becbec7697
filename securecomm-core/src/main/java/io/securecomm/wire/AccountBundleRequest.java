package io.securecomm.wire;

/**
 * Client to relay: asks for a pre-key bundle of an account's holder, online or not, so that a session can start with
 * someone who is offline. Answered with {@link AccountBundle}, or {@code ErrorReply(UNKNOWN_RECIPIENT | NO_PRE_KEYS |
 * RATE_LIMITED)}.
 *
 * @param requestId chosen by the client, greater than 0
 * @param nickname whose bundle
 */
public record AccountBundleRequest(long requestId, String nickname) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId chosen by the client, greater than 0
     * @param nickname whose bundle
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public AccountBundleRequest {
        Fields.requestId(requestId);
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ACCOUNT_BUNDLE_REQUEST;
    }
}
