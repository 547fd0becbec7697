package io.securecomm.e2e;

/**
 * The two kinds of signed ML-KEM pre-key of PQXDH (Signal's PQXDH specification, section 3.2), each with the byte
 * that encodes it and that its owner's signature covers, so that a relay cannot pass one kind off as the other.
 */
public enum KemPreKeyKind {
    /**
     * The signed last-resort KEM pre-key: one current key, handed out whenever no one-time KEM pre-key is left and
     * not deleted after use; replaced on a schedule (as the signed curve pre-key is) and deleted after a grace
     * period.
     */
    LAST_RESORT(1),
    /** A signed one-time KEM pre-key: handed out once by the relay, deleted by its owner after its first use. */
    ONE_TIME(2);

    private final int code;

    KemPreKeyKind(int code) {
        this.code = code;
    }

    /**
     * The byte that encodes this kind.
     *
     * @return 1 or 2
     */
    public int code() {
        return code;
    }

    /**
     * Finds the kind of a code.
     *
     * @param code the byte read
     * @return the kind
     * @throws InvalidEncodingException if no kind has that code
     */
    static KemPreKeyKind ofCode(int code) throws InvalidEncodingException {
        for (KemPreKeyKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new InvalidEncodingException("unknown KEM pre-key kind " + code + " (1 last-resort, 2 one-time)");
    }
}
