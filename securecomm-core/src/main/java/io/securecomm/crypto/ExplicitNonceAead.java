package io.securecomm.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AEAD with caller-chosen nonces: the caller MUST NEVER reuse a nonce with the same key, or confidentiality
 * and integrity are lost.
 *
 * <p>This is the raw {@code ENCRYPT(k, n, ad, plaintext)} / {@code DECRYPT(k, n, ad, ciphertext)} of the Noise
 * specification (section 4.2), where a counter guarantees unique nonces. Anything else should use the
 * nonce-managing {@link Aead}.
 *
 * <p>Output layout of {@code seal} (input of {@code open}):
 * <pre>
 * +---------------------------+------------------+
 * | ciphertext (= plaintext   | tag (16 bytes)   |
 * |  length)                  |                  |
 * +---------------------------+------------------+
 * </pre>
 *
 * <p>The JCA {@link Cipher}s (one for sealing, one for opening) are created once per instance, because {@code
 * Cipher.getInstance} is expensive and this is the transport hot path. As a safety net the JDK refuses to
 * encrypt twice in a row with the same nonce; that surfaces here as an {@link IllegalArgumentException}.
 * Opening twice with the same nonce (a retry after a failed authentication) works.
 *
 * <p>Not thread-safe: confine an instance to one thread (one Noise {@code CipherState}). {@link #close()} wipes
 * this instance's copy of the key (best effort on the JVM: the JCA provider and the garbage collector may hold
 * copies that cannot be reached).
 */
public final class ExplicitNonceAead implements AutoCloseable {
    private final AeadAlgorithm algorithm;
    private final byte[] key;
    private final SecretKeySpec keySpec;
    private Cipher encryptCipher;
    private Cipher decryptCipher;
    private boolean closed;

    private ExplicitNonceAead(AeadAlgorithm algorithm, byte[] key) {
        this.algorithm = algorithm;
        this.key = key.clone();
        this.keySpec = new SecretKeySpec(this.key, algorithm.jcaKeyAlgorithm());
    }

    /**
     * Creates an AEAD with a caller-supplied key. The key array is copied.
     *
     * @param algorithm the AEAD algorithm
     * @param key the key, exactly {@link AeadAlgorithm#KEY_SIZE_BYTES} bytes
     * @return a new instance, which the caller must close
     * @throws IllegalArgumentException if the key has the wrong length
     */
    public static ExplicitNonceAead create(AeadAlgorithm algorithm, byte[] key) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        if (key.length != algorithm.keySizeBytes()) {
            throw new IllegalArgumentException(
                    algorithm + " key must be " + algorithm.keySizeBytes() + " bytes, got " + key.length);
        }
        return new ExplicitNonceAead(algorithm, key);
    }

    /**
     * Returns the algorithm.
     *
     * @return the AEAD algorithm of this instance
     */
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Encrypts and authenticates. The caller must never use the same nonce twice with this key.
     *
     * @param nonce the nonce, exactly {@link AeadAlgorithm#NONCE_SIZE_BYTES} bytes, never reused with this key
     * @param associatedData data authenticated but not encrypted; may be empty
     * @param plaintext the plaintext; may be empty
     * @return ciphertext followed by the 16-byte tag
     * @throws IllegalArgumentException if the nonce has the wrong length, or equals the previous encryption's
     *     nonce
     * @throws IllegalStateException if this instance is closed
     */
    public byte[] seal(byte[] nonce, byte[] associatedData, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] out = new byte[plaintext.length + AeadAlgorithm.TAG_SIZE_BYTES];
        seal(nonce, associatedData, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /**
     * Encrypts and authenticates into a caller's buffer, without allocating. Input and output may be the same
     * array (in place, {@code inOff == outOff}).
     *
     * @param nonce the nonce, exactly {@link AeadAlgorithm#NONCE_SIZE_BYTES} bytes, never reused with this key
     * @param associatedData data authenticated but not encrypted; may be empty
     * @param in the array holding the plaintext
     * @param inOff where the plaintext starts
     * @param inLen the plaintext length
     * @param out the array receiving ciphertext and tag; needs {@code inLen + 16} bytes from {@code outOff}
     * @param outOff where to write
     * @return the number of bytes written, {@code inLen + 16}
     * @throws IllegalArgumentException if the nonce has the wrong length or equals the previous encryption's
     *     nonce, or a range is out of bounds
     * @throws IllegalStateException if this instance is closed
     */
    public int seal(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        checkArguments(nonce, associatedData, in, inOff, inLen);
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, inLen + AeadAlgorithm.TAG_SIZE_BYTES, out.length);
        Cipher cipher = initEncrypt(nonce);
        try {
            if (associatedData.length > 0) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too short: need " + (inLen + 16) + " bytes", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " encryption failed in the JCA provider", e);
        }
    }

    /**
     * Authenticates and decrypts.
     *
     * @param nonce the nonce used to seal, exactly {@link AeadAlgorithm#NONCE_SIZE_BYTES} bytes
     * @param associatedData the associated data used to seal; may be empty
     * @param ciphertextAndTag ciphertext followed by the 16-byte tag
     * @return the plaintext
     * @throws AeadAuthenticationException if anything was modified, the key is wrong or the input is shorter
     *     than a tag; no plaintext is released
     * @throws IllegalArgumentException if the nonce has the wrong length
     * @throws IllegalStateException if this instance is closed
     */
    public byte[] open(byte[] nonce, byte[] associatedData, byte[] ciphertextAndTag)
            throws AeadAuthenticationException {
        Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
        // The buffer variant checks the nonce before the length, and throws if the input is shorter than a tag.
        byte[] out = new byte[Math.max(0, ciphertextAndTag.length - AeadAlgorithm.TAG_SIZE_BYTES)];
        open(nonce, associatedData, ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        return out;
    }

    /**
     * Authenticates and decrypts into a caller's buffer, without allocating. Input and output may be the same
     * array (in place, {@code inOff == outOff}). On failure the output range is zeroed, so no unauthenticated
     * plaintext is ever left there (in place, that destroys the ciphertext too).
     *
     * @param nonce the nonce used to seal, exactly {@link AeadAlgorithm#NONCE_SIZE_BYTES} bytes
     * @param associatedData the associated data used to seal; may be empty
     * @param in the array holding ciphertext and tag
     * @param inOff where the ciphertext starts
     * @param inLen the length of ciphertext plus tag
     * @param out the array receiving the plaintext; needs {@code inLen - 16} bytes from {@code outOff}
     * @param outOff where to write
     * @return the number of plaintext bytes written, {@code inLen - 16}
     * @throws AeadAuthenticationException if anything was modified, the key is wrong or {@code inLen < 16}
     * @throws IllegalArgumentException if the nonce has the wrong length or a range is out of bounds
     * @throws IllegalStateException if this instance is closed
     */
    public int open(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AeadAuthenticationException {
        checkArguments(nonce, associatedData, in, inOff, inLen);
        Objects.requireNonNull(out, "out");
        if (inLen < AeadAlgorithm.TAG_SIZE_BYTES) {
            throw tooShort(inLen);
        }
        int plaintextLength = inLen - AeadAlgorithm.TAG_SIZE_BYTES;
        Objects.checkFromIndexSize(outOff, plaintextLength, out.length);
        Cipher cipher = initDecrypt(nonce);
        try {
            if (associatedData.length > 0) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, outOff, outOff + plaintextLength, (byte) 0);
            throw new AeadAuthenticationException(algorithm + " authentication failed: tag mismatch", e);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too short: need " + plaintextLength + " bytes", e);
        } catch (GeneralSecurityException e) {
            Arrays.fill(out, outOff, outOff + plaintextLength, (byte) 0);
            throw new AeadAuthenticationException(algorithm + " decryption failed", e);
        }
    }

    /** Wipes this instance's copy of the key; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
    }

    /**
     * Describes this instance without any key material.
     *
     * @return the algorithm name and whether the instance is closed
     */
    @Override
    public String toString() {
        return "ExplicitNonceAead[" + algorithm + (closed ? ", closed" : "") + ", key=<redacted>]";
    }

    private AeadAuthenticationException tooShort(int length) {
        return new AeadAuthenticationException(algorithm + " ciphertext of " + length
                + " bytes is shorter than the " + AeadAlgorithm.TAG_SIZE_BYTES + "-byte tag");
    }

    private void checkArguments(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen) {
        if (closed) {
            throw new IllegalStateException("ExplicitNonceAead is closed");
        }
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.requireNonNull(in, "in");
        if (nonce.length != AeadAlgorithm.NONCE_SIZE_BYTES) {
            throw new IllegalArgumentException(algorithm + " nonce must be " + AeadAlgorithm.NONCE_SIZE_BYTES
                    + " bytes, got " + nonce.length);
        }
        Objects.checkFromIndexSize(inOff, inLen, in.length);
    }

    private AlgorithmParameterSpec parameters(byte[] nonce) {
        return algorithm == AeadAlgorithm.AES_256_GCM
                ? new GCMParameterSpec(AeadAlgorithm.TAG_SIZE_BYTES * 8, nonce)
                : new IvParameterSpec(nonce);
    }

    private Cipher initEncrypt(byte[] nonce) {
        if (encryptCipher == null) {
            encryptCipher = JcaSupport.cipher(algorithm.jcaTransformation());
        }
        try {
            encryptCipher.init(Cipher.ENCRYPT_MODE, keySpec, parameters(nonce));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            // The key length is checked at creation, so the JDK only refuses here when the same key and nonce
            // are used to encrypt twice in a row: a caller reusing a nonce.
            throw new IllegalArgumentException(algorithm + " refused the nonce: a nonce must never be reused", e);
        }
        return encryptCipher;
    }

    private Cipher initDecrypt(byte[] nonce) {
        if (decryptCipher == null) {
            decryptCipher = JcaSupport.cipher(algorithm.jcaTransformation());
        }
        try {
            decryptCipher.init(Cipher.DECRYPT_MODE, keySpec, parameters(nonce));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException refused) {
            // JDK 17's ChaCha20-Poly1305 also refuses to DECRYPT twice in a row with the same key and nonce,
            // which is harmless (a retry after a failed tag check). Pass through a different nonce first.
            byte[] other = nonce.clone();
            other[0] ^= 1;
            try {
                decryptCipher.init(Cipher.DECRYPT_MODE, keySpec, parameters(other));
                decryptCipher.init(Cipher.DECRYPT_MODE, keySpec, parameters(nonce));
            } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
                e.addSuppressed(refused);
                throw new IllegalStateException(algorithm + " decryption could not be initialized", e);
            }
        }
        return decryptCipher;
    }
}
