package io.securecomm.internal.netty;

import io.securecomm.wire.ByeReason;
import java.util.Objects;

/**
 * A user event by which a policy handler (keep-alive, rate limit, back-pressure) asks the relay logic to end a
 * session: the relay logic owns membership, so it alone removes the client, announces its departure, says
 * {@code Bye} and closes.
 *
 * @param reason the reason the {@code Bye} carries
 * @param detail one line for people, naming the limit
 */
record Disconnect(ByeReason reason, String detail) {
    Disconnect {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
