package io.securecomm.relay.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What every recipient's queue holds together, for an operator's metrics: how many messages wait, their size,
 * and when the oldest was sent. Nothing about any one recipient.
 *
 * @param messages how many messages wait in all queues, expired ones not yet purged included
 * @param bytes the sum of their envelopes' sizes
 * @param oldestSentAt when the oldest waiting message was stored; empty when no message waits
 */
public record QueueTotals(long messages, long bytes, Optional<Instant> oldestSentAt) {
    /**
     * Checks the components.
     *
     * @param messages the count, at least 0
     * @param bytes the size, at least 0
     * @param oldestSentAt when the oldest was stored, present exactly when {@code messages} is not 0
     * @throws IllegalArgumentException if a count is negative, or the oldest time does not match the count
     */
    public QueueTotals {
        Objects.requireNonNull(oldestSentAt, "oldestSentAt");
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("totals must not be negative: " + messages + " messages, " + bytes
                    + " bytes");
        }
        if ((messages == 0) != oldestSentAt.isEmpty()) {
            throw new IllegalArgumentException("the oldest message's time must be given exactly when messages wait: "
                    + messages + " messages, oldest " + oldestSentAt);
        }
    }
}
