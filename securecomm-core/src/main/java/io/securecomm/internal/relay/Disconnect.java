package io.securecomm.internal.relay;

import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
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

    /**
     * The limit, as the operator's meter counts it.
     *
     * @return the meter's name of this limit
     */
    public RelayMeter.LimitDisconnect limit() {
        return switch (reason) {
            case TOO_SLOW -> RelayMeter.LimitDisconnect.SLOW_READER;
            case RATE_LIMITED -> RelayMeter.LimitDisconnect.RATE_LIMITED;
            default -> RelayMeter.LimitDisconnect.IDLE_TIMEOUT;
        };
    }

    /**
     * The client's departure, as the listener hears of it.
     *
     * @return why the client left
     */
    public DepartureReason departure() {
        return switch (reason) {
            case TOO_SLOW -> DepartureReason.TOO_SLOW;
            case RATE_LIMITED -> DepartureReason.RATE_LIMITED;
            default -> DepartureReason.TIMED_OUT;
        };
    }
}
