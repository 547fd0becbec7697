package io.securecomm.crypto;

import java.util.Arrays;
import java.util.Objects;

/** {@link Aead} over {@link ExplicitNonceAead} with random prepended nonces; synchronized for thread safety. */
final class RandomNonceAead implements Aead, AutoCloseable {
    private static final long MAX_MESSAGES = 1L << 32;

    private final ExplicitNonceAead aead;
    private long messages;

    RandomNonceAead(ExplicitNonceAead aead) {
        this.aead = aead;
    }

    @Override
    public AeadAlgorithm algorithm() {
        return aead.algorithm();
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] out = new byte[plaintext.length + OVERHEAD_BYTES];
        encrypt(plaintext, 0, plaintext.length, associatedData, out, 0);
        return out;
    }

    @Override
    public synchronized int encrypt(
            byte[] plaintext, int offset, int length, byte[] associatedData, byte[] out, int outOffset) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        Objects.checkFromIndexSize(outOffset, length + OVERHEAD_BYTES, out.length);
        if (messages >= MAX_MESSAGES) {
            throw new IllegalStateException("this key has encrypted 2^32 messages under random nonces; use a new key");
        }
        messages++;
        byte[] nonce = new byte[AeadAlgorithm.NONCE_SIZE_BYTES];
        JcaSupport.random().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, outOffset, nonce.length);
        return nonce.length + aead.seal(nonce, associatedData, plaintext, offset, length, out,
                outOffset + nonce.length);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws AeadAuthenticationException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (ciphertext.length < OVERHEAD_BYTES) {
            throw tooShort(ciphertext.length);
        }
        byte[] out = new byte[ciphertext.length - OVERHEAD_BYTES];
        decrypt(ciphertext, 0, ciphertext.length, associatedData, out, 0);
        return out;
    }

    @Override
    public synchronized int decrypt(
            byte[] ciphertext, int offset, int length, byte[] associatedData, byte[] out, int outOffset)
            throws AeadAuthenticationException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.checkFromIndexSize(offset, length, ciphertext.length);
        if (length < OVERHEAD_BYTES) {
            throw tooShort(length);
        }
        byte[] nonce = Arrays.copyOfRange(ciphertext, offset, offset + AeadAlgorithm.NONCE_SIZE_BYTES);
        return aead.open(nonce, associatedData, ciphertext, offset + nonce.length, length - nonce.length, out,
                outOffset);
    }

    @Override
    public synchronized void close() {
        aead.close();
    }

    @Override
    public String toString() {
        return "Aead[" + aead.algorithm() + ", random nonces, key=<redacted>]";
    }

    private AeadAuthenticationException tooShort(int length) {
        return new AeadAuthenticationException(aead.algorithm() + " message of " + length
                + " bytes is shorter than nonce and tag (" + OVERHEAD_BYTES + " bytes)");
    }
}
