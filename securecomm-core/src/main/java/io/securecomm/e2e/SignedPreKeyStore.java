package io.securecomm.e2e;

import java.util.List;
import java.util.Optional;

/** Stores this client's signed pre-keys (as libsignal's {@code SignedPreKeyStore}). */
public interface SignedPreKeyStore {
    /**
     * Loads a signed pre-key.
     *
     * @param id its identifier
     * @return a fresh copy of the signed pre-key, which the caller owns and closes; or empty if unknown
     */
    Optional<SignedPreKeyRecord> loadSignedPreKey(int id);

    /**
     * Stores a copy of a signed pre-key (the caller keeps, and closes, its argument).
     *
     * @param record the signed pre-key
     */
    void storeSignedPreKey(SignedPreKeyRecord record);

    /**
     * Deletes a signed pre-key.
     *
     * @param id its identifier
     */
    void removeSignedPreKey(int id);

    /**
     * Lists the stored signed pre-keys.
     *
     * @return their identifiers, in no particular order
     */
    List<Integer> signedPreKeyIds();
}
