package io.securecomm.wire;

/**
 * Relay to client: the hello was accepted.
 *
 * @param clientId the client id the relay assigned to this connection, at least 1
 * @param nickname the nickname the client now has, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES}
 *     UTF-8 bytes
 * @param serverInfo free-form relay software name and version, at most
 *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
 */
public record Welcome(int clientId, String nickname, String serverInfo) implements Message {
    /**
     * Checks the fields.
     *
     * @param clientId the client id the relay assigned to this connection, at least 1
     * @param nickname the nickname the client now has, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES}
     *     UTF-8 bytes
     * @param serverInfo free-form relay software name and version, at most
     *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
     * @throws IllegalArgumentException if {@code clientId < 1} or a string is over its cap
     */
    public Welcome {
        Fields.clientId(clientId, "clientId");
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Fields.string(serverInfo, "serverInfo", Limits.INFO_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.WELCOME;
    }
}
