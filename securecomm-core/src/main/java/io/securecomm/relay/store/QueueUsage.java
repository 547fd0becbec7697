package io.securecomm.relay.store;

/**
 * How much a recipient's queue holds.
 *
 * @param messages how many messages wait
 * @param bytes the sum of their envelopes' sizes
 */
public record QueueUsage(int messages, long bytes) {
    /**
     * Creates the record.
     *
     * @param messages the count, at least 0
     * @param bytes the size, at least 0
     * @throws IllegalArgumentException if either is negative
     */
    public QueueUsage {
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("usage must not be negative: " + messages + " messages, " + bytes
                    + " bytes");
        }
    }
}
