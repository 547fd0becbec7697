package io.securecomm.relay.store;

import java.util.Objects;

/**
 * The kinds of pre-key a client publishes for PQXDH, each with its hand-out rule: the signed curve pre-key and the
 * signed last-resort ML-KEM pre-key are kept, one-time pre-keys of both kinds are consumed. A further kind is one more
 * constant here with its rule and a new {@link #code()}; stores keep records by code and apply the rule, so they need
 * no other change. A bundle takes {@link #SIGNED}, {@link #ONE_TIME}, {@link #ONE_TIME_KEM} and
 * {@link #LAST_RESORT_KEM}, and uses the one-time KEM record when there was one, the last-resort one otherwise.
 */
public enum PreKeyKind {
    /** The signed (curve) pre-key: one current record, replaced by a newer publication, handed out every time. */
    SIGNED("signed", HandoutRule.KEPT),
    /** One-time (curve) pre-keys: many records, each handed out once, oldest first, and deleted as it is handed out. */
    ONE_TIME("one-time", HandoutRule.CONSUMED),
    /**
     * The signed last-resort ML-KEM pre-key: one current record, replaced by a newer publication (the owner rotates it
     * as it rotates the signed pre-key), handed out whenever no one-time ML-KEM pre-key is left.
     */
    LAST_RESORT_KEM("last-resort-kem", HandoutRule.KEPT),
    /**
     * Signed one-time ML-KEM pre-keys: many records, each handed out once, oldest first, and deleted as it is handed
     * out, as the one-time curve pre-keys are.
     */
    ONE_TIME_KEM("one-time-kem", HandoutRule.CONSUMED);

    /** How records of a kind are kept and handed out. */
    public enum HandoutRule {
        /**
         * At most one record is held; publishing another replaces it; handing it out leaves it in place (the
         * last resort when no consumable key is left).
         */
        KEPT,
        /**
         * Many records are held, up to {@link StoreLimits#maxPreKeysPerKind()}, in publication order; each is
         * handed out at most once and deleted in the same durable step. Publishing a key id that is already
         * held keeps the held record.
         */
        CONSUMED
    }

    private final String code;
    private final HandoutRule rule;

    PreKeyKind(String code, HandoutRule rule) {
        this.code = code;
        this.rule = rule;
    }

    /**
     * The stable name a durable store writes for this kind (never the ordinal, so kinds can be added in any
     * order).
     *
     * @return the code, such as {@code "one-time"}
     */
    public String code() {
        return code;
    }

    /**
     * How records of this kind are kept and handed out.
     *
     * @return the rule
     */
    public HandoutRule rule() {
        return rule;
    }

    /**
     * Finds the kind with a code.
     *
     * @param code a code that {@link #code()} returned
     * @return the kind
     * @throws IllegalArgumentException if no kind has that code
     */
    public static PreKeyKind ofCode(String code) {
        Objects.requireNonNull(code, "code");
        for (PreKeyKind k : values()) {
            if (k.code.equals(code)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown pre-key kind '" + code + "'");
    }
}
