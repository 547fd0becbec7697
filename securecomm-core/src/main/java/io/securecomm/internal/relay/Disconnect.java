package io.securecomm.internal.relay;

import io.securecomm.wire.ByeReason;
import java.util.Objects;

/**
 * A limit's demand that a session end (the client reads too slowly, sends too fast, or has gone quiet), fed to
 * {@link RelaySession#handlePolicyDisconnect}: the session owns membership, so it alone removes the client,
 * announces its departure, says {@code Bye} and closes.
 *
 * @param reason the reason the {@code Bye} carries: {@link ByeReason#TOO_SLOW}, {@link ByeReason#RATE_LIMITED}
 *     or {@link ByeReason#IDLE_TIMEOUT}
 * @param detail one line for people, naming the limit
 */
public record Disconnect(ByeReason reason, String detail) {
    /**
     * Checks the components.
     *
     * @param reason a limit's reason
     * @param detail one line for people
     * @throws IllegalArgumentException if the reason is not one of a limit
     */
    public Disconnect {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (reason != ByeReason.TOO_SLOW && reason != ByeReason.RATE_LIMITED && reason != ByeReason.IDLE_TIMEOUT) {
            throw new IllegalArgumentException("a limit ends a session as TOO_SLOW, RATE_LIMITED or IDLE_TIMEOUT, not "
                    + reason);
        }
    }
}
