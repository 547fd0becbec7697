package io.securecomm.crypto;

/**
 * Diffie-Hellman key agreement: generate a key pair, encode and decode public keys, agree on a shared secret.
 *
 * <pre>{@code
 * KeyExchange x25519 = KeyExchange.x25519();
 * try (KeyExchangeKeyPair mine = x25519.generateKeyPair()) {
 *     byte[] myPublic = mine.publicKey().encoded();             // send this to the peer
 *     byte[] shared = x25519.agree(mine, theirEncodedPublicKey);  // decodes and validates theirs
 *     try (AeadKey key = AeadKey.deriveFromSharedSecret(AeadAlgorithm.CHACHA20_POLY1305, shared, null, info);
 *             Aead aead = Aead.create(key)) {
 *         ...
 *     } finally {
 *         Arrays.fill(shared, (byte) 0);
 *     }
 * }
 * }</pre>
 *
 * <p>A public key has one encoding, {@link KeyExchangePublicKey#encoded()}; {@link #decodePublicKey} (or
 * {@link #agree(KeyExchangeKeyPair, byte[])}, which calls it) turns a peer's encoding back into a validated key.
 *
 * <p>Implementations (X25519 on Bouncy Castle's lightweight {@code org.bouncycastle.math.ec.rfc7748} code by
 * default, or on the JDK's XDH provider when the system property {@code securecomm.curve25519} is {@code jca} at
 * first use; the others on the JDK's JCA):
 * <ul>
 *   <li>{@link #x25519()}, the default, and {@link #x448()}: RFC 7748, public keys and private keys are the raw
 *       little-endian byte strings of the RFC. A peer key that yields the all-zero shared secret (a low-order
 *       point) is rejected with {@link LowOrderPointException}; the all-zero value is never returned.</li>
 *   <li>{@link #ffdhe2048()} and {@link #ffdhe3072()}: finite-field Diffie-Hellman over the RFC 7919 safe-prime
 *       groups, generator 2. Public values are encoded big-endian, left-padded to the length of p (as TLS 1.3
 *       does); a peer's value is accepted only if it lies in 2..p-2 and in the prime-order subgroup
 *       (y^q = 1 mod p, q = (p-1)/2).</li>
 * </ul>
 * The original toy's small-prime Diffie-Hellman is deliberately NOT an implementation of this interface: it
 * lives in {@code io.securecomm.crypto.insecure} with its own API, so it can never be plugged in here by
 * accident.
 *
 * <p>Implementations are immutable and thread-safe. Key agreement provides no authentication by itself: bind
 * the public keys into a handshake (Noise) or compare {@link Fingerprint}s.
 */
public sealed interface KeyExchange permits AbstractKeyExchange {

    /**
     * X25519 (RFC 7748), the default.
     *
     * @return the X25519 key exchange
     */
    static KeyExchange x25519() {
        return XdhKeyExchange.X25519;
    }

    /**
     * X448 (RFC 7748), the Noise specification's "448".
     *
     * @return the X448 key exchange
     */
    static KeyExchange x448() {
        return XdhKeyExchange.X448;
    }

    /**
     * Finite-field DH over the RFC 7919 group ffdhe2048 (about 103-bit security). Slow; prefer X25519.
     *
     * @return the ffdhe2048 key exchange
     */
    static KeyExchange ffdhe2048() {
        return FfdheKeyExchange.FFDHE2048;
    }

    /**
     * Finite-field DH over the RFC 7919 group ffdhe3072 (about 125-bit security). Slow; prefer X25519.
     *
     * @return the ffdhe3072 key exchange
     */
    static KeyExchange ffdhe3072() {
        return FfdheKeyExchange.FFDHE3072;
    }

    /**
     * Returns the name.
     *
     * @return the algorithm name: {@code X25519}, {@code X448}, {@code ffdhe2048} or {@code ffdhe3072}
     */
    String name();

    /**
     * Returns the public key length.
     *
     * @return the length of an encoded public key, in bytes (32, 56, 256 or 384)
     */
    int publicKeySizeBytes();

    /**
     * Returns the private key length.
     *
     * @return the length of a raw private key as {@link KeyExchangeKeyPair#exportPrivateKeyBytes()} returns it
     */
    int privateKeySizeBytes();

    /**
     * Returns the shared secret length.
     *
     * @return the length of the output of {@link #agree}, in bytes
     */
    int sharedSecretSizeBytes();

    /**
     * Generates a fresh key pair with the JDK's {@link java.security.SecureRandom}: for X25519 and X448 the
     * private key is that many random bytes (RFC 7748 section 6).
     *
     * @return a new key pair, which the caller must close
     */
    KeyExchangeKeyPair generateKeyPair();

    /**
     * Rebuilds a key pair from raw private key bytes (a key file, or a test vector), computing its public key.
     * The array is copied; wipe yours. For X25519/X448 every byte string of the right length is a private key
     * (RFC 7748 clamps it); for FFDHE it is the exponent x, big-endian and left-padded to the length of p, which
     * must lie in 1..p-2.
     *
     * @param privateKey the raw private key, {@link #privateKeySizeBytes()} long
     * @return a new key pair, which the caller must close
     * @throws IllegalArgumentException if the length or range is wrong
     */
    KeyExchangeKeyPair keyPairFromPrivateKey(byte[] privateKey);

    /**
     * Decodes and validates a peer's public key.
     *
     * @param encoded the encoding, {@link #publicKeySizeBytes()} long
     * @return the public key
     * @throws InvalidPublicKeyException if the length is wrong or (FFDHE) the value is out of range or outside
     *     the prime-order subgroup
     */
    KeyExchangePublicKey decodePublicKey(byte[] encoded) throws InvalidPublicKeyException;

    /**
     * Computes the shared secret between our key pair and the peer's public key.
     *
     * @param ours our key pair, of this algorithm
     * @param theirs the peer's public key, of this algorithm
     * @return the shared secret, {@link #sharedSecretSizeBytes()} long; the caller owns and should wipe it
     * @throws LowOrderPointException if (X25519/X448) the result would be all zeros
     * @throws InvalidPublicKeyException if the JCA rejects the peer's key
     * @throws IllegalArgumentException if a key belongs to another algorithm
     * @throws IllegalStateException if the key pair is closed
     */
    byte[] agree(KeyExchangeKeyPair ours, KeyExchangePublicKey theirs) throws InvalidPublicKeyException;

    /**
     * Decodes the peer's public key and computes the shared secret: {@code agree(ours, decodePublicKey(theirs))}.
     *
     * @param ours our key pair, of this algorithm
     * @param theirs the peer's encoded public key
     * @return the shared secret; the caller owns and should wipe it
     * @throws InvalidPublicKeyException if the peer's key is invalid, or (X25519/X448) a low-order point
     * @throws IllegalArgumentException if our key pair belongs to another algorithm
     * @throws IllegalStateException if the key pair is closed
     */
    default byte[] agree(KeyExchangeKeyPair ours, byte[] theirs) throws InvalidPublicKeyException {
        return agree(ours, decodePublicKey(theirs));
    }
}
