package io.securecomm.noise;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.noise.internal.ChaChaPolyProvider;
import io.securecomm.noise.internal.JcaRecordAead;
import io.securecomm.noise.internal.RecordAead;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Noise {@code CipherState} (revision 34, section 5.1): a cipher key {@code k}, possibly empty, and a
 * 64-bit counter {@code n} used as the nonce of every encryption.
 *
 * <p>The counter is unsigned: it runs from 0 to {@code 2^64-2}; the value {@code 2^64-1}
 * ({@link #MAX_NONCE}, {@code -1L} as a Java long) is reserved for {@link #rekey()}, and reaching it makes
 * every further encryption or decryption throw {@link NonceExhaustedException}. With an empty key,
 * encryption and decryption return their input unchanged (the handshake's first messages).
 *
 * <p>The cipher itself is the crypto layer's (AES-GCM from the JDK; ChaCha20-Poly1305 from the JDK or Bouncy
 * Castle's lightweight API, as the system property {@code securecomm.chachapoly} chooses); this class only encodes
 * the counter as the cipher's 12-byte nonce:
 *
 * <pre>
 *  ChaChaPoly: | 00 00 00 00 | n little-endian, 8 bytes |
 *  AESGCM:     | 00 00 00 00 | n big-endian, 8 bytes    |
 * </pre>
 *
 * <p>A secret: {@link #close()} forgets the key, {@link #toString()} is redacted. Not thread-safe.
 */
public final class CipherState implements AutoCloseable {
    /** The reserved nonce {@code 2^64-1}, as an unsigned Java long. */
    public static final long MAX_NONCE = -1L;

    private static final int NONCE_SIZE_BYTES = 12;

    private final NoiseCipher cipher;
    private RecordAead aead;
    private long n;

    /**
     * Creates a cipher state with an empty key ({@code InitializeKey(empty)}).
     *
     * @param cipher the cipher function
     */
    public CipherState(NoiseCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /**
     * {@code InitializeKey(key)}: sets {@code k = key} and {@code n = 0}.
     *
     * @param key 32 bytes; copied by the cipher, so the caller may wipe its array
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public void initializeKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != NoiseCipher.KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("a Noise cipher key is " + NoiseCipher.KEY_SIZE_BYTES
                    + " bytes, not " + key.length);
        }
        RecordAead fresh = newAead(key);
        closeAead();
        aead = fresh;
        n = 0;
    }

    /**
     * {@code HasKey()}: whether {@code k} is non-empty.
     *
     * @return true once a key was set
     */
    public boolean hasKey() {
        return aead != null;
    }

    /**
     * {@code SetNonce(nonce)}: sets {@code n}, for out-of-order transports and tests. securecomm's own
     * channel never calls it.
     *
     * @param nonce the new counter, unsigned
     */
    public void setNonce(long nonce) {
        n = nonce;
    }

    /**
     * Returns the counter {@code n}: the nonce the next encryption or decryption will use.
     *
     * @return the counter, unsigned
     */
    public long nonce() {
        return n;
    }

    /**
     * Returns the cipher function.
     *
     * @return the cipher
     */
    public NoiseCipher cipher() {
        return cipher;
    }

    /**
     * {@code EncryptWithAd(ad, plaintext)}: with a key, returns {@code ENCRYPT(k, n++, ad, plaintext)}
     * (the plaintext plus a 16-byte tag); without one, a copy of the plaintext.
     *
     * @param ad associated data
     * @param plaintext the plaintext
     * @return the ciphertext
     * @throws NonceExhaustedException if {@code n} has reached {@link #MAX_NONCE}
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] out = new byte[plaintext.length + (hasKey() ? NoiseCipher.TAG_SIZE_BYTES : 0)];
        encryptWithAd(ad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /**
     * {@code EncryptWithAd} into a caller's buffer, without allocating: the hot-path variant of
     * {@link #encryptWithAd(byte[], byte[])}. Input and output may be the same array only in place
     * ({@code inOff == outOff}).
     *
     * @param ad associated data
     * @param in the array holding the plaintext
     * @param inOff where the plaintext starts
     * @param inLen the plaintext length
     * @param out receives the ciphertext: {@code inLen + 16} bytes with a key, {@code inLen} without
     * @param outOff where to write
     * @return the number of bytes written
     * @throws NonceExhaustedException if {@code n} has reached {@link #MAX_NONCE}
     * @throws IndexOutOfBoundsException if a range is out of bounds
     */
    public int encryptWithAd(byte[] ad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        if (aead == null) {
            Objects.checkFromIndexSize(outOff, inLen, out.length);
            System.arraycopy(in, inOff, out, outOff, inLen);
            return inLen;
        }
        checkNonce();
        int written = aead.seal(nonceBytes(n), ad, in, inOff, inLen, out, outOff);
        n++;
        return written;
    }

    /**
     * {@code DecryptWithAd(ad, ciphertext)}: with a key, returns {@code DECRYPT(k, n++, ad, ciphertext)};
     * without one, a copy of the ciphertext. On failure {@code n} is not incremented.
     *
     * @param ad associated data
     * @param ciphertext ciphertext and 16-byte tag
     * @return the plaintext
     * @throws AeadAuthenticationException if the ciphertext does not authenticate or is shorter than a tag
     * @throws NonceExhaustedException if {@code n} has reached {@link #MAX_NONCE}
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws AeadAuthenticationException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        int tag = hasKey() ? NoiseCipher.TAG_SIZE_BYTES : 0;
        byte[] out = new byte[Math.max(0, ciphertext.length - tag)];
        decryptWithAd(ad, ciphertext, 0, ciphertext.length, out, 0);
        return out;
    }

    /**
     * {@code DecryptWithAd} into a caller's buffer, without allocating: the hot-path variant of
     * {@link #decryptWithAd(byte[], byte[])}. Input and output may be the same array only in place
     * ({@code inOff == outOff}). On failure {@code n} is unchanged and no unauthenticated plaintext is
     * left in {@code out}.
     *
     * @param ad associated data
     * @param in the array holding ciphertext and tag
     * @param inOff where the ciphertext starts
     * @param inLen the length of ciphertext and tag
     * @param out receives the plaintext: {@code inLen - 16} bytes with a key, {@code inLen} without
     * @param outOff where to write
     * @return the number of bytes written
     * @throws AeadAuthenticationException if the ciphertext does not authenticate or is shorter than a tag
     * @throws NonceExhaustedException if {@code n} has reached {@link #MAX_NONCE}
     * @throws IndexOutOfBoundsException if a range is out of bounds
     */
    public int decryptWithAd(byte[] ad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AeadAuthenticationException {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        if (aead == null) {
            Objects.checkFromIndexSize(outOff, inLen, out.length);
            System.arraycopy(in, inOff, out, outOff, inLen);
            return inLen;
        }
        checkNonce();
        if (inLen < NoiseCipher.TAG_SIZE_BYTES) {
            throw new AeadAuthenticationException("ciphertext of " + inLen
                    + " bytes is shorter than the " + NoiseCipher.TAG_SIZE_BYTES + "-byte tag");
        }
        int written = aead.open(nonceBytes(n), ad, in, inOff, inLen, out, outOff);
        n++;
        return written;
    }

    /**
     * {@code Rekey()}: sets {@code k = REKEY(k)}, the first 32 bytes of
     * {@code ENCRYPT(k, 2^64-1, zerolen, zeros)} with 32 zero bytes (section 4.2). {@code n} is unchanged.
     *
     * @throws IllegalStateException if there is no key
     */
    public void rekey() {
        if (aead == null) {
            throw new IllegalStateException("Rekey() needs a key, and this cipher state has none");
        }
        byte[] out = new byte[NoiseCipher.KEY_SIZE_BYTES + NoiseCipher.TAG_SIZE_BYTES];
        aead.seal(nonceBytes(MAX_NONCE), new byte[0], new byte[NoiseCipher.KEY_SIZE_BYTES], 0,
                NoiseCipher.KEY_SIZE_BYTES, out, 0);
        byte[] key = Arrays.copyOf(out, NoiseCipher.KEY_SIZE_BYTES);
        try {
            RecordAead fresh = newAead(key);
            closeAead();
            aead = fresh;
        } finally {
            Arrays.fill(out, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Forgets the key (best effort wiping); the cipher state then has an empty key. */
    @Override
    public void close() {
        closeAead();
    }

    /**
     * Returns a redacted description.
     *
     * @return the cipher, whether a key is set, and the counter
     */
    @Override
    public String toString() {
        return "CipherState[" + cipher.specName() + ", key " + (aead == null ? "empty" : "redacted")
                + ", n=" + Long.toUnsignedString(n) + "]";
    }

    private void checkNonce() {
        if (n == MAX_NONCE) {
            throw new NonceExhaustedException("the Noise nonce reached 2^64-1; this cipher state may not"
                    + " be used any more: start a new session");
        }
    }

    private void closeAead() {
        if (aead != null) {
            aead.close();
            aead = null;
        }
    }

    private RecordAead newAead(byte[] key) {
        return cipher == NoiseCipher.CHACHA_POLY
                ? ChaChaPolyProvider.selected().create(key)
                : new JcaRecordAead(AeadAlgorithm.AES_256_GCM, key);
    }

    private byte[] nonceBytes(long counter) {
        byte[] nonce = new byte[NONCE_SIZE_BYTES];
        for (int i = 0; i < 8; i++) {
            byte b = (byte) (counter >>> (8 * i));
            if (cipher == NoiseCipher.CHACHA_POLY) {
                nonce[4 + i] = b;
            } else {
                nonce[NONCE_SIZE_BYTES - 1 - i] = b;
            }
        }
        return nonce;
    }
}
