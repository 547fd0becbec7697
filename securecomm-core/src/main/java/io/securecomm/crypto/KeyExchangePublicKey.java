package io.securecomm.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A decoded, validated public key of one {@link KeyExchange} algorithm: an immutable value.
 *
 * <p>Only a {@link KeyExchange} creates instances (by generating a key pair or decoding and validating an
 * encoding), so holding one means its checks have passed. The encoding is copied on the way in and out.
 * Equality compares the algorithm and encoding.
 */
public final class KeyExchangePublicKey {
    private final String algorithm;
    private final byte[] encoded;

    KeyExchangePublicKey(String algorithm, byte[] encoded) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.encoded = encoded.clone();
    }

    /**
     * Returns the algorithm name.
     *
     * @return the {@link KeyExchange#name()} this key belongs to
     */
    public String algorithm() {
        return algorithm;
    }

    /**
     * Returns the encoding, the one form a public key travels in: for X25519 and X448 the raw bytes of RFC 7748,
     * for FFDHE the big-endian value left-padded to the length of p. The peer decodes it with
     * {@link KeyExchange#decodePublicKey(byte[])}.
     *
     * @return a fresh copy of the encoded public key, {@link KeyExchange#publicKeySizeBytes()} long
     */
    public byte[] encoded() {
        return encoded.clone();
    }

    byte[] encodedNoCopy() {
        return encoded;
    }

    /**
     * Compares algorithm and encoding.
     *
     * @param o another object
     * @return whether {@code o} is a public key of the same algorithm with the same encoding
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyExchangePublicKey other
                && algorithm.equals(other.algorithm)
                && Arrays.equals(encoded, other.encoded);
    }

    /**
     * Hashes algorithm and encoding.
     *
     * @return a hash code consistent with {@link #equals(Object)}
     */
    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(encoded);
    }

    /**
     * Describes the key: the algorithm and the first 8 bytes of the (public) encoding in hex.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        int n = Math.min(8, encoded.length);
        return algorithm + " public key " + HexFormat.of().formatHex(encoded, 0, n) + "...";
    }
}
