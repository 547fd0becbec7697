package io.securecomm.wire;

import java.util.Objects;

/**
 * Relay to client: another client left the room.
 *
 * @param clientId the departed client's id, at least 1
 * @param nickname its nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
 * @param reason why it left
 */
public record Left(int clientId, String nickname, LeaveReason reason) implements Message {
    /**
     * Checks the fields.
     *
     * @param clientId the departed client's id, at least 1
     * @param nickname its nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
     * @param reason why it left
     * @throws IllegalArgumentException if {@code clientId < 1} or the nickname is over its cap
     */
    public Left {
        Fields.clientId(clientId, "clientId");
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public MessageType type() {
        return MessageType.LEFT;
    }
}
