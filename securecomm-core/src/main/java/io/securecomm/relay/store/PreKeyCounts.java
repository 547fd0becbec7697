package io.securecomm.relay.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many pre-keys of each kind an account holds. Immutable.
 *
 * @param counts the count per kind; kinds that are absent count zero
 */
public record PreKeyCounts(Map<PreKeyKind, Integer> counts) {
    /**
     * Creates the record.
     *
     * @param counts the count per kind, each at least zero
     * @throws IllegalArgumentException if a count is negative
     */
    public PreKeyCounts {
        Objects.requireNonNull(counts, "counts");
        EnumMap<PreKeyKind, Integer> copy = new EnumMap<>(PreKeyKind.class);
        for (PreKeyKind k : PreKeyKind.values()) {
            int n = counts.getOrDefault(k, 0);
            if (n < 0) {
                throw new IllegalArgumentException("count of " + k + " must be at least 0, was " + n);
            }
            copy.put(k, n);
        }
        counts = Map.copyOf(copy);
    }

    /**
     * The count of one kind.
     *
     * @param kind the kind
     * @return how many records of that kind are held
     */
    public int count(PreKeyKind kind) {
        return counts.get(Objects.requireNonNull(kind, "kind"));
    }
}
