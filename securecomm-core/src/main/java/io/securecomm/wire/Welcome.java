package io.securecomm.wire;

/**
 * Relay to client: the hello was accepted, and the relay's rate limit, so the client can pace itself to it.
 *
 * @param clientId the client id the relay assigned to this connection, at least 1
 * @param nickname the nickname the client now has, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES}
 *     UTF-8 bytes
 * @param serverInfo free-form relay software name and version, at most
 *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
 * @param requestsPerSecond the sustained rate of requests the relay serves this client, 1 to
 *     {@link Limits#RATE_MAX_REQUESTS}; beyond it the relay holds requests back (docs/PROTOCOL.md 9.2)
 * @param requestBurst the requests the relay serves at once after a quiet spell, 1 to {@link Limits#RATE_MAX_REQUESTS}
 */
public record Welcome(int clientId, String nickname, String serverInfo, int requestsPerSecond, int requestBurst)
        implements Message {
    /**
     * Checks the fields.
     *
     * @param clientId the client id the relay assigned to this connection, at least 1
     * @param nickname the nickname the client now has, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES}
     *     UTF-8 bytes
     * @param serverInfo free-form relay software name and version, at most
     *     {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes
     * @param requestsPerSecond the relay's sustained rate for this client, 1 to {@link Limits#RATE_MAX_REQUESTS}
     * @param requestBurst the relay's burst for this client, 1 to {@link Limits#RATE_MAX_REQUESTS}
     * @throws IllegalArgumentException if {@code clientId < 1}, a string is over its cap, or a rate is out of range
     */
    public Welcome {
        Fields.clientId(clientId, "clientId");
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Fields.string(serverInfo, "serverInfo", Limits.INFO_FIELD_MAX_BYTES);
        Fields.rate(requestsPerSecond, "requestsPerSecond");
        Fields.rate(requestBurst, "requestBurst");
    }

    @Override
    public MessageType type() {
        return MessageType.WELCOME;
    }
}
