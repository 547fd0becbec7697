package io.securecomm.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A validated ML-KEM-1024 encapsulation (public) key: an immutable value.
 *
 * <p>Only {@link MlKem1024} creates instances (by generating or deriving a key pair, or by
 * {@linkplain MlKem1024#publicKey(byte[]) decoding} an encoding that passes FIPS 203's input check), so holding one
 * means the check has passed. The {@value MlKem1024#PUBLIC_KEY_BYTES}-byte encoding is copied in and out; equality
 * compares it.
 */
public final class MlKemPublicKey {
    private final byte[] encoded;

    MlKemPublicKey(byte[] encoded) {
        this.encoded = encoded.clone();
    }

    /**
     * Returns the encoding, FIPS 203's {@code ek}.
     *
     * @return a fresh copy of the {@value MlKem1024#PUBLIC_KEY_BYTES} bytes
     */
    public byte[] encoded() {
        return encoded.clone();
    }

    byte[] encodedNoCopy() {
        return encoded;
    }

    /**
     * Compares encodings.
     *
     * @param o another object
     * @return whether {@code o} is an ML-KEM-1024 public key with the same encoding
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MlKemPublicKey other && Arrays.equals(encoded, other.encoded);
    }

    /**
     * Hashes the encoding.
     *
     * @return a hash code consistent with {@link #equals(Object)}
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    /**
     * Describes the key by the first 8 bytes of its (public) encoding in hex.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "ML-KEM-1024 public key " + HexFormat.of().formatHex(encoded, 0, 8) + "...";
    }
}
