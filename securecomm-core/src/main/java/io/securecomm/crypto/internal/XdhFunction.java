package io.securecomm.crypto.internal;

/**
 * The X25519 or X448 function of RFC 7748 on raw little-endian byte strings: scalars (private keys) and
 * u-coordinates (public keys and shared secrets) are all {@link #sizeBytes()} long. Scalars are clamped and
 * u-coordinates decoded exactly as the RFC says (X25519 ignores bit 255; values of at least p are reduced).
 *
 * <p>Implementations are stateless and thread-safe; they never keep or modify the arrays they are given.
 */
public interface XdhFunction {

    /**
     * Returns the length of scalars and u-coordinates.
     *
     * @return 32 for X25519, 56 for X448
     */
    int sizeBytes();

    /**
     * Computes {@code X(k, u)} into {@code out}, and tells whether it is all zeros (RFC 7748 section 6: the peer's
     * u is a low-order point, and the result must not be used).
     *
     * @param scalar k, {@link #sizeBytes()} long
     * @param u the peer's u-coordinate, {@link #sizeBytes()} long
     * @param out receives the result, {@link #sizeBytes()} long; all zeros or unspecified when this returns false
     * @return false if the result is all zeros
     */
    boolean scalarMult(byte[] scalar, byte[] u, byte[] out);

    /**
     * Computes the public key {@code X(k, base point)} into {@code out}.
     *
     * @param scalar k, {@link #sizeBytes()} long
     * @param out receives the public key, {@link #sizeBytes()} long
     */
    void scalarMultBase(byte[] scalar, byte[] out);
}
