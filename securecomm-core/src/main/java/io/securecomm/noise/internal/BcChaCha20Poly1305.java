package io.securecomm.noise.internal;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * ChaCha20-Poly1305 (RFC 8439) as a {@link RecordAead}, computed by Bouncy Castle's lightweight
 * {@code org.bouncycastle.crypto.modes.ChaCha20Poly1305}: one engine for sealing and one for opening, each created
 * on first use and re-initialised per record with the new nonce only (the key is set once), so a record costs Bouncy
 * Castle's own set-up and no more. The JDK 17 provider instead rebuilds its key and Poly1305 state and, to decrypt,
 * a {@code ByteArrayOutputStream}, on every {@code Cipher.init}: the relay's profile in issue 18.
 *
 * <p>Like the JDK, Bouncy Castle refuses to encrypt twice in a row with the same key and nonce
 * ({@link IllegalArgumentException}). Bouncy Castle releases plaintext before the tag is checked, so a failed
 * {@code open} zeroes the output range here, as the contract asks.
 *
 * <p>Not thread-safe. {@link #close()} wipes this instance's copy of the key and re-keys both engines with zeros
 * (best effort: the garbage collector may hold copies that cannot be reached).
 */
public final class BcChaCha20Poly1305 implements RecordAead {
    private static final int TAG_SIZE_BYTES = AeadAlgorithm.TAG_SIZE_BYTES;

    private final byte[] key;
    private ChaCha20Poly1305 sealer;
    private ChaCha20Poly1305 opener;
    private boolean closed;

    /**
     * Creates the AEAD; the key array is copied.
     *
     * @param key the 32-byte key
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public BcChaCha20Poly1305(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != AeadAlgorithm.KEY_SIZE_BYTES) {
            throw new IllegalArgumentException(AeadAlgorithm.CHACHA20_POLY1305 + " key must be "
                    + AeadAlgorithm.KEY_SIZE_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    @Override
    public int seal(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        checkArguments(nonce, associatedData, in, inOff, inLen);
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, inLen + TAG_SIZE_BYTES, out.length);
        if (sealer == null) {
            sealer = new ChaCha20Poly1305();
            sealer.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        } else {
            // A null key keeps the engine's key: only the nonce changes. Throws IllegalArgumentException if the
            // nonce is the previous encryption's.
            sealer.init(true, new ParametersWithIV(null, nonce));
        }
        if (associatedData.length > 0) {
            sealer.processAADBytes(associatedData, 0, associatedData.length);
        }
        int written = sealer.processBytes(in, inOff, inLen, out, outOff);
        try {
            return written + sealer.doFinal(out, outOff + written);
        } catch (InvalidCipherTextException e) {
            // Only decryption checks a tag.
            throw new IllegalStateException("Bouncy Castle's ChaCha20-Poly1305 failed to encrypt", e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AeadAuthenticationException {
        checkArguments(nonce, associatedData, in, inOff, inLen);
        Objects.requireNonNull(out, "out");
        if (inLen < TAG_SIZE_BYTES) {
            throw new AeadAuthenticationException(AeadAlgorithm.CHACHA20_POLY1305 + " ciphertext of " + inLen
                    + " bytes is shorter than the " + TAG_SIZE_BYTES + "-byte tag");
        }
        int plaintextLength = inLen - TAG_SIZE_BYTES;
        Objects.checkFromIndexSize(outOff, plaintextLength, out.length);
        if (opener == null) {
            opener = new ChaCha20Poly1305();
            opener.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        } else {
            opener.init(false, new ParametersWithIV(null, nonce));
        }
        if (associatedData.length > 0) {
            opener.processAADBytes(associatedData, 0, associatedData.length);
        }
        int written = 0;
        try {
            written = opener.processBytes(in, inOff, inLen, out, outOff);
            return written + opener.doFinal(out, outOff + written);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, outOff, outOff + plaintextLength, (byte) 0);
            throw new AeadAuthenticationException(AeadAlgorithm.CHACHA20_POLY1305
                    + " authentication failed: tag mismatch", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(key, (byte) 0);
        // Overwrite the engines' copies of the key and their Poly1305 keys; decryption mode has no nonce check.
        for (ChaCha20Poly1305 engine : new ChaCha20Poly1305[] {sealer, opener}) {
            if (engine != null) {
                engine.init(false, new ParametersWithIV(new KeyParameter(key), new byte[12]));
            }
        }
        sealer = null;
        opener = null;
    }

    /**
     * Describes this instance without any key material.
     *
     * @return the algorithm, the implementation and whether the instance is closed
     */
    @Override
    public String toString() {
        return "BcChaCha20Poly1305[" + (closed ? "closed, " : "") + "key=<redacted>]";
    }

    private void checkArguments(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen) {
        if (closed) {
            throw new IllegalStateException("BcChaCha20Poly1305 is closed");
        }
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.requireNonNull(in, "in");
        if (nonce.length != AeadAlgorithm.NONCE_SIZE_BYTES) {
            throw new IllegalArgumentException(AeadAlgorithm.CHACHA20_POLY1305 + " nonce must be "
                    + AeadAlgorithm.NONCE_SIZE_BYTES + " bytes, got " + nonce.length);
        }
        Objects.checkFromIndexSize(inOff, inLen, in.length);
    }
}
