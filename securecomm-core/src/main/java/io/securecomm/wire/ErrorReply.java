package io.securecomm.wire;

import java.util.Objects;

/**
 * Relay to client: a request, or the hello, was refused.
 *
 * <p>With a non-zero {@code requestId} only that request was refused and the session goes on; with
 * {@code requestId} 0 the reply says why the relay is closing the connection.
 *
 * @param requestId the {@code requestId} of the refused request, or 0 when the error is not tied to a
 *     request (a refused {@link ClientHello}, a malformed message)
 * @param code why
 * @param detail a short explanation for people, at most {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes;
 *     may be empty
 */
public record ErrorReply(long requestId, ErrorCode code, String detail) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the {@code requestId} of the refused request, or 0 when the error is not tied to a
     *     request (a refused {@link ClientHello}, a malformed message)
     * @param code why
     * @param detail a short explanation for people, at most {@link Limits#INFO_FIELD_MAX_BYTES} UTF-8 bytes;
     *     may be empty
     * @throws IllegalArgumentException if {@code requestId < 0} or {@code detail} is over its cap
     */
    public ErrorReply {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId must be >= 0, got " + requestId);
        }
        Objects.requireNonNull(code, "code");
        Fields.string(detail, "detail", Limits.INFO_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ERROR_REPLY;
    }
}
