package io.securecomm.e2e;

import java.util.List;
import java.util.Optional;

/** Stores this client's one-time pre-keys until they are used (as libsignal's {@code PreKeyStore}). */
public interface PreKeyStore {
    /**
     * Loads a one-time pre-key.
     *
     * @param id its identifier
     * @return a fresh copy of the pre-key, which the caller owns and closes; or empty if unknown or used
     */
    Optional<OneTimePreKeyRecord> loadPreKey(int id);

    /**
     * Stores a copy of a one-time pre-key (the caller keeps, and closes, its argument).
     *
     * @param record the pre-key
     */
    void storePreKey(OneTimePreKeyRecord record);

    /**
     * Deletes a one-time pre-key (after its single use).
     *
     * @param id its identifier
     */
    void removePreKey(int id);

    /**
     * Tells whether a one-time pre-key id is in use.
     *
     * @param id the identifier
     * @return whether a pre-key with this id is stored
     */
    boolean containsPreKey(int id);

    /**
     * Lists the stored one-time pre-keys, so that {@link PreKeys} can bound how many are kept.
     *
     * @return their identifiers, in any order
     */
    List<Integer> preKeyIds();
}
