package io.securecomm.wire;

import java.util.Objects;

/**
 * Either direction: the sender is closing the session; it sends nothing after this and closes the
 * connection.
 *
 * @param reason why
 * @param detail a short explanation for people, at most {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes;
 *     may be empty
 */
public record Bye(ByeReason reason, String detail) implements Message {
    /**
     * Checks the fields.
     *
     * @param reason why
     * @param detail a short explanation for people, at most {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes;
     *     may be empty
     * @throws IllegalArgumentException if {@code detail} is over its cap
     */
    public Bye {
        Objects.requireNonNull(reason, "reason");
        Fields.string(detail, "detail", Limits.INFO_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.BYE;
    }
}
