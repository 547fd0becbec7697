package io.securecomm.relay.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The bounds a store keeps per account. Immutable; start from {@link #defaults()} and change what you need with
 * the {@code with...} methods.
 *
 * <p>Why the defaults are what they are:
 * <ul>
 *   <li><b>{@value #DEFAULT_MAX_QUEUED_MESSAGES_PER_RECIPIENT} messages per recipient.</b> A week away from a
 *       busy conversation is one to two hundred private messages a day; a thousand covers that with room to
 *       spare, while a sender flooding one offline recipient is stopped (and told so) long before the disk
 *       notices.</li>
 *   <li><b>8 MiB per recipient.</b> The largest envelope the wire carries is 8 KiB
 *       ({@code Limits.ENVELOPE_FIELD_MAX_BYTES}), so 8 MiB holds a full queue of the largest messages and the
 *       count bound is the one that binds today; the byte bound keeps the promise if envelopes grow (post-quantum
 *       pre-key messages are larger). Worst case on disk is this times the number of accounts: 1,000 accounts,
 *       8 GiB; lower it, or cap the whole database, on a small disk.</li>
 *   <li><b>30 days.</b> A message nobody has fetched in a month most likely never will be; the large messengers
 *       keep undelivered messages about that long. The time counts from when the relay stored the message.</li>
 *   <li><b>{@value #DEFAULT_MAX_PRE_KEYS_PER_KIND} pre-keys of each consumed kind per account</b>, the most one
 *       upload carries ({@code PreKeyUpload.MAX_ONE_TIME_PRE_KEYS}): a client that publishes a full batch has
 *       all of it kept.</li>
 * </ul>
 *
 * @param maxQueuedMessagesPerRecipient the most messages one recipient's queue holds
 * @param maxQueuedBytesPerRecipient the most envelope bytes one recipient's queue holds
 * @param maxQueuedMessageAge how long a queued message is kept, from when it was stored
 * @param maxPreKeysPerKind the most records one account holds of each consumed pre-key kind
 */
public record StoreLimits(int maxQueuedMessagesPerRecipient, long maxQueuedBytesPerRecipient,
        Duration maxQueuedMessageAge, int maxPreKeysPerKind) {

    /** The default for {@link #maxQueuedMessagesPerRecipient()}. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES_PER_RECIPIENT = 1000;

    /** The default for {@link #maxQueuedBytesPerRecipient()}: 8 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES_PER_RECIPIENT = 8L * 1024 * 1024;

    /** The default for {@link #maxQueuedMessageAge()}: 30 days. */
    public static final Duration DEFAULT_MAX_QUEUED_MESSAGE_AGE = Duration.ofDays(30);

    /** The default for {@link #maxPreKeysPerKind()}. */
    public static final int DEFAULT_MAX_PRE_KEYS_PER_KIND = 1000;

    /**
     * Creates the limits.
     *
     * @param maxQueuedMessagesPerRecipient at least 1
     * @param maxQueuedBytesPerRecipient at least 1
     * @param maxQueuedMessageAge positive
     * @param maxPreKeysPerKind at least 1
     * @throws IllegalArgumentException if a bound is out of range
     */
    public StoreLimits {
        Objects.requireNonNull(maxQueuedMessageAge, "maxQueuedMessageAge");
        if (maxQueuedMessagesPerRecipient < 1) {
            throw new IllegalArgumentException("maxQueuedMessagesPerRecipient must be at least 1, was "
                    + maxQueuedMessagesPerRecipient);
        }
        if (maxQueuedBytesPerRecipient < 1) {
            throw new IllegalArgumentException("maxQueuedBytesPerRecipient must be at least 1, was "
                    + maxQueuedBytesPerRecipient);
        }
        if (maxQueuedMessageAge.isNegative() || maxQueuedMessageAge.isZero()) {
            throw new IllegalArgumentException("maxQueuedMessageAge must be positive, was " + maxQueuedMessageAge);
        }
        if (maxPreKeysPerKind < 1) {
            throw new IllegalArgumentException("maxPreKeysPerKind must be at least 1, was " + maxPreKeysPerKind);
        }
    }

    /**
     * The defaults, argued in the class description.
     *
     * @return 1,000 messages and 8 MiB per recipient, 30 days, 1,000 pre-keys per kind
     */
    public static StoreLimits defaults() {
        return new StoreLimits(DEFAULT_MAX_QUEUED_MESSAGES_PER_RECIPIENT, DEFAULT_MAX_QUEUED_BYTES_PER_RECIPIENT,
                DEFAULT_MAX_QUEUED_MESSAGE_AGE, DEFAULT_MAX_PRE_KEYS_PER_KIND);
    }

    /**
     * A copy with another message count bound.
     *
     * @param messages at least 1
     * @return the new limits
     */
    public StoreLimits withMaxQueuedMessagesPerRecipient(int messages) {
        return new StoreLimits(messages, maxQueuedBytesPerRecipient, maxQueuedMessageAge, maxPreKeysPerKind);
    }

    /**
     * A copy with another byte bound.
     *
     * @param bytes at least 1
     * @return the new limits
     */
    public StoreLimits withMaxQueuedBytesPerRecipient(long bytes) {
        return new StoreLimits(maxQueuedMessagesPerRecipient, bytes, maxQueuedMessageAge, maxPreKeysPerKind);
    }

    /**
     * A copy with another age limit.
     *
     * @param age positive
     * @return the new limits
     */
    public StoreLimits withMaxQueuedMessageAge(Duration age) {
        return new StoreLimits(maxQueuedMessagesPerRecipient, maxQueuedBytesPerRecipient, age, maxPreKeysPerKind);
    }

    /**
     * A copy with another pre-key bound.
     *
     * @param preKeys at least 1
     * @return the new limits
     */
    public StoreLimits withMaxPreKeysPerKind(int preKeys) {
        return new StoreLimits(maxQueuedMessagesPerRecipient, maxQueuedBytesPerRecipient, maxQueuedMessageAge,
                preKeys);
    }

    /**
     * Whether a message stored at {@code sentAt} has expired at {@code now}.
     *
     * @param sentAtMillis when it was stored, in epoch milliseconds
     * @param nowMillis the current time, in epoch milliseconds
     * @return {@code true} once its age reaches {@link #maxQueuedMessageAge()}
     */
    public boolean expired(long sentAtMillis, long nowMillis) {
        return sentAtMillis <= expiryCutoffMillis(nowMillis);
    }

    /**
     * The newest stored time that has expired at {@code now}: messages stored at or before it are expired.
     *
     * @param nowMillis the current time, in epoch milliseconds
     * @return the cutoff, in epoch milliseconds
     */
    public long expiryCutoffMillis(long nowMillis) {
        return nowMillis - maxQueuedMessageAge.toMillis();
    }

    /**
     * Judges an enqueue against the per-recipient bounds.
     *
     * @param current what the recipient's queue holds now
     * @param envelopeBytes the size of the message to add
     * @return the refusal if the message would take the queue past a bound, or empty if it fits
     */
    public Optional<EnqueueResult.Refused> refusal(QueueUsage current, int envelopeBytes) {
        Objects.requireNonNull(current, "current");
        if (current.messages() >= maxQueuedMessagesPerRecipient) {
            return Optional.of(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_MESSAGES,
                    maxQueuedMessagesPerRecipient));
        }
        if (current.bytes() + envelopeBytes > maxQueuedBytesPerRecipient) {
            return Optional.of(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES,
                    maxQueuedBytesPerRecipient));
        }
        return Optional.empty();
    }
}
