package io.securecomm.relay.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One published pre-key: its kind, the id its owner gave it, and its public record in whatever encoding the
 * caller uses (the store does not interpret it; for a signed pre-key it carries the signature). Immutable; the
 * array is copied in and out.
 *
 * @param kind the kind, which decides how the record is handed out
 * @param keyId the owner's id for the key; unique per account and kind
 * @param publicRecord the encoded public pre-key, at least one byte
 */
public record PreKeyRecord(PreKeyKind kind, int keyId, byte[] publicRecord) {
    /**
     * Creates the record.
     *
     * @param kind the kind
     * @param keyId the owner's id
     * @param publicRecord the encoded public pre-key
     * @throws IllegalArgumentException if the public record is empty
     */
    public PreKeyRecord {
        Objects.requireNonNull(kind, "kind");
        publicRecord = StoreArguments.requireBytes(publicRecord, "publicRecord");
    }

    /**
     * Returns a copy of the public record.
     *
     * @return the encoded public pre-key
     */
    @Override
    public byte[] publicRecord() {
        return publicRecord.clone();
    }

    /**
     * Equal when kind, id and record bytes are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PreKeyRecord r && r.kind == kind && r.keyId == keyId
                && Arrays.equals(r.publicRecord, publicRecord);
    }

    /**
     * Hashes kind, id and record.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(kind, keyId, Arrays.hashCode(publicRecord));
    }

    /**
     * Shows kind, id and the record's length.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "PreKeyRecord[kind=" + kind + ", keyId=" + keyId + ", " + publicRecord.length + " bytes]";
    }
}
