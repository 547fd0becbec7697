package io.securecomm.e2e;

import java.util.List;
import java.util.Optional;

/**
 * Stores this client's signed ML-KEM pre-keys, last-resort and one-time, until they are used or replaced (as
 * libsignal's {@code KyberPreKeyStore}). Both kinds share one space of identifiers.
 */
public interface KemPreKeyStore {
    /**
     * Loads a KEM pre-key.
     *
     * @param id its identifier
     * @return a fresh copy, which the caller owns and closes; or empty if unknown, used or deleted
     */
    Optional<KemPreKeyRecord> loadKemPreKey(int id);

    /**
     * Stores a copy of a KEM pre-key (the caller keeps, and closes, its argument).
     *
     * @param record the pre-key
     */
    void storeKemPreKey(KemPreKeyRecord record);

    /**
     * Deletes a KEM pre-key (a one-time one after its single use, a last-resort one after its grace period).
     *
     * @param id its identifier
     */
    void removeKemPreKey(int id);

    /**
     * Tells whether a KEM pre-key id is in use.
     *
     * @param id the identifier
     * @return whether a KEM pre-key with this id is stored
     */
    boolean containsKemPreKey(int id);

    /**
     * Lists the stored KEM pre-keys of both kinds.
     *
     * @return their identifiers, in any order
     */
    List<Integer> kemPreKeyIds();
}
