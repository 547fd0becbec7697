package io.securecomm.relay.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pre-keys handed out for one bundle request, and what the account holds afterwards. Immutable.
 *
 * @param records at most one record per requested kind; a kind with nothing left is absent
 * @param remaining the account's counts after the hand-out (consumed records already deleted)
 */
public record PreKeyHandout(Map<PreKeyKind, PreKeyRecord> records, PreKeyCounts remaining) {
    /**
     * Creates the record.
     *
     * @param records the handed-out records by kind
     * @param remaining the counts afterwards
     * @throws IllegalArgumentException if a record is filed under another kind than its own
     */
    public PreKeyHandout {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(remaining, "remaining");
        EnumMap<PreKeyKind, PreKeyRecord> copy = new EnumMap<>(PreKeyKind.class);
        records.forEach((k, r) -> {
            if (r.kind() != k) {
                throw new IllegalArgumentException("a " + r.kind() + " record filed under " + k);
            }
            copy.put(k, r);
        });
        records = Map.copyOf(copy);
    }

    /**
     * The record handed out for one kind.
     *
     * @param kind the kind
     * @return the record, or empty if the account held none of that kind (or it was not requested)
     */
    public Optional<PreKeyRecord> record(PreKeyKind kind) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(kind, "kind")));
    }
}
