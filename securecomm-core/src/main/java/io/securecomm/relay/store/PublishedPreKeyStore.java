package io.securecomm.relay.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The public pre-keys each account has published, for others to start end-to-end sessions with it while it is
 * offline. Each {@link PreKeyKind} has its rule: a {@linkplain PreKeyKind.HandoutRule#KEPT kept} kind holds one
 * current record that every hand-out returns; a {@linkplain PreKeyKind.HandoutRule#CONSUMED consumed} kind holds
 * many, each handed out at most once and deleted in the same durable step, so a one-time pre-key is never given
 * to two requesters, even across a crash.
 *
 * <p>Pre-keys belong to an account: publishing for a nickname without one changes nothing, and releasing the
 * account deletes them. Stages fail with {@link StoreException} when the store cannot do the operation.
 */
public interface PublishedPreKeyStore {
    /**
     * Publishes pre-keys, all in one durable step: a record of a kept kind replaces the one held; records of a
     * consumed kind are added after those held, skipping key ids already held and any beyond
     * {@link StoreLimits#maxPreKeysPerKind()}.
     *
     * @param nickname the canonical nickname of the owner
     * @param records the records, in the order they should be handed out; at most one per kept kind
     * @return the counts now held, or empty if the nickname has no account (nothing stored)
     * @throws IllegalArgumentException if the nickname is empty, or two records of one kept kind are given
     */
    CompletionStage<Optional<PreKeyCounts>> publish(String nickname, List<PreKeyRecord> records);

    /**
     * Hands out one record of each requested kind, all in one durable step: a kept kind's current record, and
     * a consumed kind's oldest record, which is deleted.
     *
     * @param nickname the canonical nickname of the owner
     * @param kinds the kinds wanted (at least one)
     * @return the records and the counts left, or empty if the nickname has no account
     * @throws IllegalArgumentException if the nickname or the set of kinds is empty
     */
    CompletionStage<Optional<PreKeyHandout>> take(String nickname, Set<PreKeyKind> kinds);

    /**
     * Deletes named pre-keys of an account: the relay hands out an online client's one-time pre-keys from its own
     * memory, and withdraws each from the store as it does, so that the store never hands out a key twice. Ids not
     * held are ignored.
     *
     * @param nickname the account's canonical nickname
     * @param kind the kind of the keys
     * @param keyIds the ids to delete
     * @return how many were deleted (0 if the nickname has no account)
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<Integer> withdraw(String nickname, PreKeyKind kind, Collection<Integer> keyIds);

    /**
     * Counts an account's pre-keys.
     *
     * @param nickname the canonical nickname of the owner
     * @return the counts, or empty if the nickname has no account
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<Optional<PreKeyCounts>> count(String nickname);
}
