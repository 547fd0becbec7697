package io.securecomm.relay.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link MessageQueueStore#enqueue} did: the message is stored durably, or it was refused and nothing was
 * stored. (A store that cannot work at all fails the stage with {@link StoreException} instead.)
 */
public sealed interface EnqueueResult {
    /**
     * The message is stored (durably, for a durable store) and will be delivered until acknowledged.
     *
     * @param messageId the id the store assigned
     * @param sentAt the time recorded for it, by the store's clock
     */
    record Stored(long messageId, Instant sentAt) implements EnqueueResult {
        /**
         * Creates the record.
         *
         * @param messageId the id, positive
         * @param sentAt the time recorded
         * @throws IllegalArgumentException if the id is not positive
         */
        public Stored {
            if (messageId <= 0) {
                throw new IllegalArgumentException("messageId must be positive, was " + messageId);
            }
            Objects.requireNonNull(sentAt, "sentAt");
        }
    }

    /**
     * The message was refused: nothing was stored, and the sender should be told why.
     *
     * @param reason why
     * @param limit the limit that would have been exceeded (messages or bytes; 0 for
     *     {@link RefusalReason#NO_SUCH_RECIPIENT})
     */
    record Refused(RefusalReason reason, long limit) implements EnqueueResult {
        /**
         * Creates the record.
         *
         * @param reason why
         * @param limit the limit concerned
         */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * One line for the sender.
         *
         * @param recipient the recipient's nickname, as the sender knows it
         * @return the explanation, naming the limit
         */
        public String describe(String recipient) {
            return switch (reason) {
                case NO_SUCH_RECIPIENT -> "no account is registered as '" + recipient + "'";
                case TOO_MANY_MESSAGES -> "'" + recipient + "' already has " + limit
                        + " messages waiting (the most the relay keeps)";
                case TOO_MANY_BYTES -> "'" + recipient + "' has too much waiting: the relay keeps at most "
                        + limit + " bytes per recipient";
            };
        }
    }

    /** Why an enqueue was refused. */
    enum RefusalReason {
        /** The recipient has no account (never registered, or released). */
        NO_SUCH_RECIPIENT,
        /** The recipient's queue holds {@link StoreLimits#maxQueuedMessagesPerRecipient()} messages already. */
        TOO_MANY_MESSAGES,
        /** The message would take the recipient's queue past {@link StoreLimits#maxQueuedBytesPerRecipient()}. */
        TOO_MANY_BYTES
    }
}
