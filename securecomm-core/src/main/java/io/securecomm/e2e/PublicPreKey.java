package io.securecomm.e2e;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The public half of a one-time pre-key, as published to the relay and handed out in a
 * {@link PreKeyBundle}. Immutable; the array is copied in and out.
 *
 * @param id the pre-key's identifier, chosen by its owner
 * @param publicKey the 32-byte X25519 public key
 */
public record PublicPreKey(int id, byte[] publicKey) {
    /**
     * Creates the record.
     *
     * @param id the identifier
     * @param publicKey the 32-byte X25519 public key
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public PublicPreKey {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != X25519.KEY_BYTES) {
            throw new IllegalArgumentException("pre-key must be 32 bytes, was " + publicKey.length);
        }
        publicKey = publicKey.clone();
    }

    /**
     * Returns a copy of the public key.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Equal when the id and key are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PublicPreKey p && p.id == id && MessageDigest.isEqual(p.publicKey, publicKey);
    }

    /**
     * Hashes id and key.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    /**
     * Shows the id and the key in hex.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "PublicPreKey[id=" + id + ", publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
