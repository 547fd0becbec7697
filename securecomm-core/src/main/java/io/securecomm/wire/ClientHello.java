package io.securecomm.wire;

/**
 * Client to relay, the first transport record after the handshake: the nickname the client wants.
 *
 * @param nickname the wanted nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes; the
 *     relay checks {@link Limits#isValidNickname(String)}
 * @param clientVersion free-form client software name and version, at most
 *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
 */
public record ClientHello(String nickname, String clientVersion) implements Message {
    /**
     * Checks the fields.
     *
     * @param nickname the wanted nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes; the
     *     relay checks {@link Limits#isValidNickname(String)}
     * @param clientVersion free-form client software name and version, at most
     *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
     * @throws IllegalArgumentException if a field is over its cap or has an unpaired surrogate
     */
    public ClientHello {
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Fields.string(clientVersion, "clientVersion", Limits.INFO_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.CLIENT_HELLO;
    }
}
