package io.securecomm.crypto;

import java.util.Objects;

/**
 * The skeleton every {@link KeyExchange} shares: its name and sizes (public key, private key and shared secret
 * all have one length), the length checks on raw keys, the algorithm checks on typed keys, and
 * {@code toString}. A subclass supplies only what its specification defines: key generation and derivation,
 * validation of a peer's public value, and the agreement itself.
 *
 * <p>Immutable and thread-safe, as subclasses must be too.
 */
abstract sealed class AbstractKeyExchange implements KeyExchange permits XdhKeyExchange, FfdheKeyExchange {
    private final String name;
    private final int sizeBytes;
    private final String publicKeyNoun;

    /**
     * Creates the skeleton.
     *
     * @param name the algorithm name, also the {@link KeyExchangePublicKey#algorithm()} of its keys
     * @param sizeBytes the length of public keys, private keys and shared secrets
     * @param publicKeyNoun what the specification calls a public key, for error messages: RFC 7748 says
     *     "public key", RFC 7919 (like TLS) "public value"
     */
    AbstractKeyExchange(String name, int sizeBytes, String publicKeyNoun) {
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.publicKeyNoun = publicKeyNoun;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int publicKeySizeBytes() {
        return sizeBytes;
    }

    @Override
    public final int privateKeySizeBytes() {
        return sizeBytes;
    }

    @Override
    public final int sharedSecretSizeBytes() {
        return sizeBytes;
    }

    /**
     * Returns the one length of public keys, private keys and shared secrets, for the subclasses' codecs.
     *
     * @return the length in bytes
     */
    final int sizeBytes() {
        return sizeBytes;
    }

    @Override
    public final KeyExchangeKeyPair keyPairFromPrivateKey(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != sizeBytes) {
            throw new IllegalArgumentException(
                    name + " private key must be " + sizeBytes + " bytes, got " + privateKey.length);
        }
        return deriveKeyPair(privateKey);
    }

    /**
     * Validates the private key as the specification requires and derives its public key.
     *
     * @param privateKey the caller's array, of the right length; copy it before keeping it
     * @return the key pair, owning its own copy of the private key
     * @throws IllegalArgumentException if the specification rejects the value
     */
    abstract KeyExchangeKeyPair deriveKeyPair(byte[] privateKey);

    @Override
    public final KeyExchangePublicKey decodePublicKey(byte[] encoded) throws InvalidPublicKeyException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length != sizeBytes) {
            throw new InvalidPublicKeyException(
                    name + " " + publicKeyNoun + " must be " + sizeBytes + " bytes, got " + encoded.length);
        }
        validatePublicKey(encoded);
        return new KeyExchangePublicKey(name, encoded);
    }

    /**
     * Checks a peer's encoded public key, of the right length, as the specification requires before use.
     *
     * @param encoded the encoding; not kept
     * @throws InvalidPublicKeyException if the specification rejects the value
     */
    abstract void validatePublicKey(byte[] encoded) throws InvalidPublicKeyException;

    @Override
    public final byte[] agree(KeyExchangeKeyPair ours, KeyExchangePublicKey theirs)
            throws InvalidPublicKeyException {
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(theirs, "theirs");
        checkAlgorithm(ours.algorithm());
        checkAlgorithm(theirs.algorithm());
        return computeSharedSecret(ours.privateKeyNoCopy(), theirs.encodedNoCopy());
    }

    /**
     * Computes the shared secret; both keys are of this algorithm, and the peer's passed
     * {@link #validatePublicKey} when it was decoded.
     *
     * @param privateKey our raw private key; not modified or kept
     * @param peerPublicKey the peer's encoded public key; not modified or kept
     * @return the shared secret, {@link #sharedSecretSizeBytes()} long
     * @throws InvalidPublicKeyException if the specification or the JCA rejects the result or the peer's key
     */
    abstract byte[] computeSharedSecret(byte[] privateKey, byte[] peerPublicKey) throws InvalidPublicKeyException;

    private void checkAlgorithm(String algorithm) {
        if (!name.equals(algorithm)) {
            throw new IllegalArgumentException("expected a " + name + " key, got " + algorithm);
        }
    }

    @Override
    public final String toString() {
        return "KeyExchange[" + name + "]";
    }
}
