package io.securecomm.relay.store;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The argument rules of the store interfaces, in one place for every implementation: each method throws what
 * the interfaces document for a caller's mistake ({@link NullPointerException},
 * {@link IllegalArgumentException}) and returns a defensive copy where the argument is mutable.
 */
public final class StoreArguments {
    private StoreArguments() {}

    /**
     * Checks a nickname (or sender name): non-null and not empty.
     *
     * @param nickname the value
     * @param name the parameter's name, for the message
     * @return the nickname
     * @throws IllegalArgumentException if it is empty
     */
    public static String requireNickname(String nickname, String name) {
        Objects.requireNonNull(nickname, name);
        if (nickname.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return nickname;
    }

    /**
     * Checks an array of bytes (a key, a record, an envelope): non-null and not empty.
     *
     * @param bytes the value
     * @param name the parameter's name, for the message
     * @return a copy
     * @throws IllegalArgumentException if it is empty
     */
    public static byte[] requireBytes(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, name);
        if (bytes.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return bytes.clone();
    }

    /**
     * Checks a publication for {@link PublishedPreKeyStore#publish}: no null record, at most one record per
     * {@linkplain PreKeyKind.HandoutRule#KEPT kept} kind.
     *
     * @param records the records
     * @return an immutable copy
     * @throws IllegalArgumentException if a kept kind appears twice
     */
    public static List<PreKeyRecord> requirePublication(List<PreKeyRecord> records) {
        List<PreKeyRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
        EnumSet<PreKeyKind> kept = EnumSet.noneOf(PreKeyKind.class);
        for (PreKeyRecord r : copy) {
            if (r.kind().rule() == PreKeyKind.HandoutRule.KEPT && !kept.add(r.kind())) {
                throw new IllegalArgumentException("at most one " + r.kind() + " pre-key may be published at once");
            }
        }
        return copy;
    }

    /**
     * Checks the kinds for {@link PublishedPreKeyStore#take}: at least one.
     *
     * @param kinds the kinds
     * @return an immutable copy, in declaration order
     * @throws IllegalArgumentException if empty
     */
    public static Set<PreKeyKind> requireKinds(Set<PreKeyKind> kinds) {
        Objects.requireNonNull(kinds, "kinds");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("at least one pre-key kind must be requested");
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    /**
     * Checks the paging arguments of {@link MessageQueueStore#fetch}.
     *
     * @param afterMessageId at least 0
     * @param maxMessages at least 1
     * @throws IllegalArgumentException if either is out of range
     */
    public static void requireFetch(long afterMessageId, int maxMessages) {
        if (afterMessageId < 0) {
            throw new IllegalArgumentException("afterMessageId must be at least 0, was " + afterMessageId);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
        }
    }

    /**
     * Checks the ids of {@link MessageQueueStore#acknowledge}: no null id.
     *
     * @param messageIds the ids
     * @return an immutable copy
     */
    public static List<Long> requireIds(Collection<Long> messageIds) {
        return List.copyOf(Objects.requireNonNull(messageIds, "messageIds"));
    }
}
