package io.securecomm.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A stable, human-comparable fingerprint of a public key, displayed as 12 groups of 5 decimal digits, the way
 * safety numbers are shown: {@code 05321 88710 ...}. An immutable value.
 *
 * <p>Derivation (version 1): {@code h = SHA-512("securecomm-fingerprint-v1" || key)}, then {@value #ITERATIONS}
 * - 1 more rounds of {@code h = SHA-512(h || key)}; iterating makes a search for a second key with the same
 * displayed digits costlier. Each of the 12 groups is a 5-byte big-endian chunk of {@code h} (bytes 0..59)
 * reduced mod 100000. The 60 digits carry about 199 bits.
 *
 * <p>Comparing two fingerprints by {@link #matches(Fingerprint)} (or {@link #equals(Object)}) is constant-time.
 */
public final class Fingerprint {
    /** Number of SHA-512 rounds. */
    public static final int ITERATIONS = 5200;
    /** Number of 5-digit groups in {@link #displayString()}. */
    public static final int GROUPS = 12;

    private static final byte[] DOMAIN = "securecomm-fingerprint-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int BYTES_PER_GROUP = 5;

    private final byte[] digest;
    private final String display;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
        StringBuilder sb = new StringBuilder(GROUPS * 6);
        for (int g = 0; g < GROUPS; g++) {
            long chunk = 0;
            for (int i = 0; i < BYTES_PER_GROUP; i++) {
                chunk = (chunk << 8) | (digest[g * BYTES_PER_GROUP + i] & 0xff);
            }
            if (g > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%05d", chunk % 100_000));
        }
        this.display = sb.toString();
    }

    /**
     * Computes the fingerprint of an encoded public key (for example {@link KeyExchangePublicKey#encoded()}).
     *
     * @param publicKeyEncoding the public key bytes; must not be empty
     * @return the fingerprint
     * @throws IllegalArgumentException if the encoding is empty
     */
    public static Fingerprint of(byte[] publicKeyEncoding) {
        Objects.requireNonNull(publicKeyEncoding, "publicKeyEncoding");
        if (publicKeyEncoding.length == 0) {
            throw new IllegalArgumentException("public key encoding must not be empty");
        }
        MessageDigest sha512 = JcaSupport.digest("SHA-512");
        sha512.update(DOMAIN);
        byte[] h = sha512.digest(publicKeyEncoding);
        for (int i = 1; i < ITERATIONS; i++) {
            sha512.update(h);
            h = sha512.digest(publicKeyEncoding);
        }
        return new Fingerprint(h);
    }

    /**
     * Returns the 12 groups of 5 digits separated by single spaces.
     *
     * @return the display string, 71 characters
     */
    public String displayString() {
        return display;
    }

    /**
     * Compares with another fingerprint in constant time.
     *
     * @param other the other fingerprint
     * @return whether both were computed from the same public key encoding
     */
    public boolean matches(Fingerprint other) {
        Objects.requireNonNull(other, "other");
        return MessageDigest.isEqual(digest, other.digest);
    }

    /**
     * Returns the full SHA-512 output the digits are taken from.
     *
     * @return a fresh copy of the 64-byte digest
     */
    public byte[] digest() {
        return digest.clone();
    }

    /**
     * Compares in constant time, like {@link #matches(Fingerprint)}.
     *
     * @param o another object
     * @return whether {@code o} is a matching fingerprint
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint other && matches(other);
    }

    /**
     * Hashes the display string.
     *
     * @return a hash code consistent with {@link #equals(Object)}
     */
    @Override
    public int hashCode() {
        return display.hashCode();
    }

    /**
     * Returns the display string (a fingerprint is public).
     *
     * @return {@link #displayString()}
     */
    @Override
    public String toString() {
        return display;
    }
}
