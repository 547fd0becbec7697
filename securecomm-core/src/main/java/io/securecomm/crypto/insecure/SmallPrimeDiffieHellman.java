package io.securecomm.crypto.insecure;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * INSECURE Diffie-Hellman over a 32-bit prime, the original toy's key exchange, kept for teaching.
 *
 * <p>The protocol: both sides pick a private value {@code a} in 2..p-2, send {@code A = g^a mod p}, and compute
 * the shared secret {@code B^a mod p = g^(ab) mod p}. Default group: {@code p = }{@value #DEFAULT_P} (the largest
 * prime below 2^32), {@code g = }{@value #DEFAULT_G} (a primitive root mod p).
 *
 * <p>Why it is broken:
 * <ul>
 *   <li><b>Tiny group</b>: with p below 2^32, anyone who sees {@code A} recovers {@code a} by baby-step
 *       giant-step in about 2^16 steps (milliseconds), or Pohlig-Hellman using the small factors of p - 1 =
 *       2 * 5 * 19 * 22605091. Real finite-field groups need p of 2048 bits or more (RFC 7919).</li>
 *   <li><b>No authentication</b>: nothing binds {@code A} or {@code B} to a person, so a man in the middle runs
 *       one exchange with each side and reads everything.</li>
 *   <li><b>No key validation</b>: {@link #sharedSecret(long, long)} accepts any peer value, including 0, 1 and
 *       p - 1, which force the shared secret into {0, 1, p - 1}.</li>
 *   <li><b>Weak key derivation</b>: {@link #deriveXorKey(long, int)} hashes a 32-bit secret, so the derived
 *       key has at most 32 bits of entropy whatever its length, and it feeds {@link RepeatingKeyXorCipher}.</li>
 * </ul>
 * Nothing outside {@code io.securecomm.crypto.insecure} uses this; it deliberately does not implement {@code
 * io.securecomm.crypto.KeyExchange}, so it can never be plugged in by accident. Use {@code KeyExchange.x25519()}
 * inside an authenticated handshake.
 *
 * <p>Values are plain {@code long}s so the teaching attacks can work on them. Immutable and thread-safe.
 *
 * @param p the prime modulus, below 2^32
 * @param g the generator
 */
public record SmallPrimeDiffieHellman(long p, long g) {
    /** The default modulus: 2^32 - 5, the largest prime below 2^32. */
    public static final long DEFAULT_P = 4_294_967_291L;
    /** The default generator, a primitive root modulo {@link #DEFAULT_P}. */
    public static final long DEFAULT_G = 2;

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Checks the parameters.
     *
     * @param p the prime modulus, below 2^32
     * @param g the generator
     * @throws IllegalArgumentException if p is not a probable prime in 5..2^32 or g is not in 2..p-2
     */
    public SmallPrimeDiffieHellman {
        if (p < 5 || p > (1L << 32) || !BigInteger.valueOf(p).isProbablePrime(40)) {
            throw new IllegalArgumentException("p must be a prime in 5..2^32, got " + p);
        }
        if (g < 2 || g > p - 2) {
            throw new IllegalArgumentException("g must be in 2..p-2, got " + g);
        }
    }

    /**
     * The toy's default group.
     *
     * @return {@code p = }{@value #DEFAULT_P}, {@code g = }{@value #DEFAULT_G}
     */
    public static SmallPrimeDiffieHellman defaults() {
        return new SmallPrimeDiffieHellman(DEFAULT_P, DEFAULT_G);
    }

    /**
     * Returns p as a {@link BigInteger}.
     *
     * @return the modulus
     */
    public BigInteger modulus() {
        return BigInteger.valueOf(p);
    }

    /**
     * Picks a random private value.
     *
     * @return a uniformly random value in 2..p-2
     */
    public long generatePrivateValue() {
        return 2 + Math.floorMod(RANDOM.nextLong(), p - 3);
    }

    /**
     * Computes the public value {@code g^privateValue mod p}.
     *
     * @param privateValue the private value
     * @return the public value
     */
    public long publicValue(long privateValue) {
        return modPow(g, privateValue);
    }

    /**
     * Computes the shared secret {@code peerPublicValue^privateValue mod p}, WITHOUT validating the peer's value
     * (see the class documentation).
     *
     * @param privateValue our private value
     * @param peerPublicValue the peer's public value, unchecked
     * @return the shared secret
     */
    public long sharedSecret(long privateValue, long peerPublicValue) {
        return modPow(peerPublicValue, privateValue);
    }

    /**
     * The toy's key derivation: the first {@code lengthBytes} bytes of SHA-256 of the shared secret as an 8-byte
     * big-endian integer. INSECURE: the result has at most 32 bits of entropy.
     *
     * @param sharedSecret the shared secret
     * @param lengthBytes the key length, 1..32
     * @return the derived key for {@link RepeatingKeyXorCipher}
     * @throws IllegalArgumentException if the length is out of range
     */
    public static byte[] deriveXorKey(long sharedSecret, int lengthBytes) {
        if (lengthBytes < 1 || lengthBytes > 32) {
            throw new IllegalArgumentException("key length must be 1..32 bytes, got " + lengthBytes);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ByteBuffer.allocate(Long.BYTES).putLong(sharedSecret).array());
            byte[] key = Arrays.copyOf(digest, lengthBytes);
            Arrays.fill(digest, (byte) 0);
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private long modPow(long base, long exponent) {
        return BigInteger.valueOf(base).modPow(BigInteger.valueOf(exponent), BigInteger.valueOf(p)).longValueExact();
    }
}
