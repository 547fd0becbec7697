package io.securecomm.relay.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The queues of private messages waiting for their recipients. Each recipient has one queue, ordered by the
 * message ids the store assigns. A message stays until its recipient acknowledges it (so it is delivered again
 * after a lost connection: at least once), until it expires ({@link StoreLimits#maxQueuedMessageAge()}), or
 * until the recipient's account is released. Nothing else deletes it.
 *
 * <p>Bounds are checked when a message is enqueued, so the sender learns at once that it was refused
 * ({@link EnqueueResult.Refused}). Stages fail with {@link StoreException} when the store cannot do the
 * operation; a failed enqueue stored nothing.
 */
public interface MessageQueueStore {
    /**
     * How many ids a store may assign per millisecond of its creation time before it could reach the ids of a
     * store created later: see {@link #firstMessageId}.
     */
    long MESSAGE_IDS_PER_MILLISECOND = 1000;

    /**
     * The first message id a new store assigns: its creation time in epoch milliseconds times
     * {@value #MESSAGE_IDS_PER_MILLISECOND}. A client drops a message whose id it has seen, so ids must not
     * start over when a store does (a restarted in-memory relay, a deleted database file): a store created
     * later starts above every id an earlier one assigned, unless the earlier one assigned more than
     * {@value #MESSAGE_IDS_PER_MILLISECOND} ids per millisecond of the time between them. Ids stay below
     * 2<sup>53</sup> (exact in a JSON number) until the year 2255.
     *
     * @param createdAtMillis when the store was created, in epoch milliseconds
     * @return the first id, at least 1
     */
    static long firstMessageId(long createdAtMillis) {
        return Math.max(1, Math.max(0, createdAtMillis) * MESSAGE_IDS_PER_MILLISECOND);
    }

    /**
     * Stores a message for a recipient who has an account. The stage completes only once the message is
     * durable (as the implementation defines it); then it will be handed out by {@link #fetch} until
     * acknowledged or expired.
     *
     * @param recipient the recipient's canonical nickname
     * @param sender the sender, as it should be shown to the recipient (opaque to the store)
     * @param envelope the end-to-end ciphertext envelope (copied)
     * @return {@link EnqueueResult.Stored} with the id and time recorded, or {@link EnqueueResult.Refused} if the
     *     recipient has no account or a bound would be exceeded (nothing stored)
     * @throws IllegalArgumentException if a string or the envelope is empty
     */
    CompletionStage<EnqueueResult> enqueue(String recipient, String sender, byte[] envelope);

    /**
     * Reads a recipient's queued messages in order, without removing them. Expired messages are never
     * returned. To redeliver everything unacknowledged (after a reconnection) start from 0; to page through a
     * long queue pass the last id already read.
     *
     * @param recipient the recipient's canonical nickname
     * @param afterMessageId only messages with a larger id are returned; 0 for the start of the queue
     * @param maxMessages the most to return, at least 1
     * @return up to {@code maxMessages} messages in id order (empty if none, or no account)
     * @throws IllegalArgumentException if the nickname is empty, {@code afterMessageId} is negative or
     *     {@code maxMessages} is less than 1
     */
    CompletionStage<List<StoredMessage>> fetch(String recipient, long afterMessageId, int maxMessages);

    /**
     * Deletes acknowledged messages: the recipient has them. Only the recipient's own messages are deleted;
     * ids that are not (or no longer) in its queue are ignored, so a repeated acknowledgement is harmless.
     *
     * @param recipient the recipient's canonical nickname
     * @param messageIds the ids acknowledged
     * @return how many messages were deleted
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<Integer> acknowledge(String recipient, Collection<Long> messageIds);

    /**
     * Measures a recipient's queue, expired messages not yet purged included.
     *
     * @param recipient the recipient's canonical nickname
     * @return the count and bytes held (zero if none, or no account)
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<QueueUsage> usage(String recipient);

    /**
     * Deletes every message that has expired by the store's clock. Expired messages are already invisible to
     * {@link #fetch} and are purged from a recipient's queue when it reaches a bound; calling this now and then
     * (the relay does, on a timer) returns their space.
     *
     * @return how many messages were deleted
     */
    CompletionStage<Integer> purgeExpired();

    /**
     * Measures every queue together, for an operator's metrics. A store that cannot tell cheaply returns
     * empty; the default does.
     *
     * @return the totals, or empty if this store does not measure them
     */
    default CompletionStage<Optional<QueueTotals>> totals() {
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
