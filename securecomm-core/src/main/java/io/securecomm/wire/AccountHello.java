package io.securecomm.wire;

/**
 * Client to relay, the first transport record of a client that has an account and takes stored messages: the same
 * fields as {@link ClientHello}. The relay registers the nickname to the client's identity key on first use, refuses
 * another key with {@link ErrorCode#NICKNAME_REGISTERED}, and, after its {@link Welcome}, delivers the messages it
 * stored for the client ({@link StoredEnvelope}). A relay older than accounts does not know this type and answers
 * {@code ErrorReply(0, MALFORMED_MESSAGE)}.
 *
 * @param nickname the wanted nickname; the relay applies the nickname rule
 * @param clientVersion free-form client description, at most {@link Limits#INFO_FIELD_MAX_BYTES} bytes
 */
public record AccountHello(String nickname, String clientVersion) implements Message {
    /**
     * Checks the fields.
     *
     * @param nickname the wanted nickname
     * @param clientVersion free-form client description
     * @throws IllegalArgumentException if a field is over its cap or not encodable
     */
    public AccountHello {
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Fields.string(clientVersion, "clientVersion", Limits.INFO_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ACCOUNT_HELLO;
    }
}
