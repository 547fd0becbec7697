package io.securecomm.internal.client;

import io.securecomm.wire.AckStored;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The acknowledgements of the messages the relay stored for this client (docs/E2E.md, "Offline delivery"): which
 * ones this connection already processed (one the relay sends again is not shown twice), and the {@link AckStored}
 * that tell the relay to delete them, gathered into batches of up to {@value #ACK_BATCH} that wait at most
 * {@link #ACK_DELAY} for each other, each within {@link Limits#ACK_MAX_MESSAGE_IDS}.
 *
 * <p>Sans I/O, time from the client's {@link Clock}. Not thread-safe: confined to the client's thread.
 */
final class StoredAcks {
    /** How many stored messages' acknowledgements are gathered into one {@link AckStored}. */
    static final int ACK_BATCH = 64;
    /** How long a stored message's acknowledgement may wait for others to go with it. */
    static final Duration ACK_DELAY = Duration.ofMillis(20);

    private final Clock clock;
    private final Consumer<Message> send;
    /** The ids of the stored messages this connection processed: one the relay sends again is dropped. */
    private final Set<Long> seen = new HashSet<>();
    private final List<Long> pending = new ArrayList<>();
    private Instant acknowledgeBy;

    /**
     * Creates the acknowledgements of one connection.
     *
     * @param clock the client's clock
     * @param send sends a message to the relay (in the chat lane, not as a request)
     */
    StoredAcks(Clock clock, Consumer<Message> send) {
        this.clock = clock;
        this.send = send;
    }

    /**
     * Whether a stored message is new to this connection; it counts as seen from now on.
     *
     * @param messageId the relay's id of the stored message
     * @return {@code true} the first time, {@code false} for a message the relay sent again
     */
    boolean firstTime(long messageId) {
        return seen.add(messageId);
    }

    /**
     * A stored message was processed (shown or reported): its acknowledgement goes with the next batch, which leaves
     * at once if it is full.
     *
     * @param messageId the relay's id of the stored message
     */
    void processed(long messageId) {
        pending.add(messageId);
        if (pending.size() >= ACK_BATCH) {
            flush();
        } else if (acknowledgeBy == null) {
            acknowledgeBy = clock.instant().plus(ACK_DELAY);
        }
    }

    /**
     * When the waiting acknowledgements are due.
     *
     * @return the time, or empty if none waits
     */
    Optional<Instant> pollTimeout() {
        return Optional.ofNullable(acknowledgeBy);
    }

    /**
     * Sends the waiting acknowledgements if they are due.
     *
     * @param now the client's time
     */
    void handleTimeout(Instant now) {
        if (acknowledgeBy != null && !now.isBefore(acknowledgeBy)) {
            flush();
        }
    }

    private void flush() {
        acknowledgeBy = null;
        for (int from = 0; from < pending.size(); from += Limits.ACK_MAX_MESSAGE_IDS) {
            List<Long> batch = pending.subList(from, Math.min(pending.size(), from + Limits.ACK_MAX_MESSAGE_IDS));
            send.accept(new AckStored(batch.stream().mapToLong(Long::longValue).toArray()));
        }
        pending.clear();
    }
}
