package io.securecomm.crypto;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link XorCipher#chaCha20}: the JCA {@code ChaCha20} cipher, re-initialized only on a seek. Sequential calls
 * (position = where the previous call ended) just continue the JCA cipher, so the cost is that of the JCA cipher.
 */
final class ChaCha20XorCipher implements XorCipher {
    private static final int BLOCK_BYTES = 64;
    private static final long MAX_COUNTER = Integer.MAX_VALUE;

    private final byte[] key;
    private final byte[] nonce;
    private final byte[] otherNonce;
    private final SecretKeySpec keySpec;
    private final int initialCounter;
    private final long maxPosition;
    private final Cipher cipher;
    private final byte[] scratch = new byte[BLOCK_BYTES];
    /** The keystream position the JCA cipher will produce next, or -1 when unknown (before the first use). */
    private long cipherPosition = -1;
    private boolean initialized;
    private boolean closed;

    ChaCha20XorCipher(byte[] key32, byte[] nonce12, int initialCounter) {
        Objects.requireNonNull(key32, "key32");
        Objects.requireNonNull(nonce12, "nonce12");
        if (key32.length != 32) {
            throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, got " + key32.length);
        }
        if (nonce12.length != 12) {
            throw new IllegalArgumentException("ChaCha20 nonce must be 12 bytes, got " + nonce12.length);
        }
        if (initialCounter < 0) {
            throw new IllegalArgumentException("ChaCha20 initial counter must be 0..2^31-1, got " + initialCounter);
        }
        this.key = key32.clone();
        this.nonce = nonce12.clone();
        this.otherNonce = nonce12.clone();
        this.otherNonce[0] ^= 1;
        this.keySpec = new SecretKeySpec(key, "ChaCha20");
        this.initialCounter = initialCounter;
        this.maxPosition = (MAX_COUNTER + 1 - initialCounter) * BLOCK_BYTES;
        this.cipher = JcaSupport.cipher("ChaCha20");
    }

    @Override
    public void apply(long keystreamPosition, byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        seek(keystreamPosition, length);
        try {
            cipher.update(data, offset, length, data, offset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("ChaCha20 in-place update failed", e);
        }
        cipherPosition += length;
    }

    @Override
    public void apply(long keystreamPosition, ByteBuffer in, ByteBuffer out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int length = in.remaining();
        if (out != in && out.remaining() < length) {
            throw new IllegalArgumentException("output has " + out.remaining() + " bytes of room, needs " + length);
        }
        seek(keystreamPosition, length);
        try {
            if (out == in) {
                // Cipher.update refuses the same buffer object; a duplicate shares the content, same positions.
                ByteBuffer source = in.duplicate();
                cipher.update(source, out);
            } else {
                cipher.update(in, out);
            }
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too short", e);
        }
        cipherPosition += length;
    }

    private void seek(long position, int length) {
        if (closed) {
            throw new IllegalStateException("ChaCha20 XorCipher is closed");
        }
        if (position < 0 || position > maxPosition - length) {
            throw new IllegalArgumentException("ChaCha20 keystream position " + position + " + " + length
                    + " bytes is outside 0.." + maxPosition + " (the 32-bit block counter would overflow)");
        }
        if (position == cipherPosition) {
            return;
        }
        int counter = (int) (initialCounter + position / BLOCK_BYTES);
        cipherPosition = -1;
        try {
            if (initialized) {
                // JDK 17 refuses to re-initialize with the key and nonce of the previous initialization, whatever
                // the counter. A seek within one keystream is no reuse, so step through another nonce first
                // (cheaper than provoking and catching the refusal on every seek).
                cipher.init(Cipher.ENCRYPT_MODE, keySpec, new ChaCha20ParameterSpec(otherNonce, 0));
            }
            cipher.init(Cipher.ENCRYPT_MODE, keySpec, new ChaCha20ParameterSpec(nonce, counter));
            initialized = true;
            int skip = (int) (position % BLOCK_BYTES);
            if (skip > 0) {
                cipher.update(scratch, 0, skip, scratch, 0);
            }
        } catch (InvalidKeyException | InvalidAlgorithmParameterException | ShortBufferException e) {
            throw new IllegalStateException("ChaCha20 could not be initialized", e);
        }
        cipherPosition = position;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        Arrays.fill(otherNonce, (byte) 0);
        Arrays.fill(scratch, (byte) 0);
    }

    @Override
    public String toString() {
        return "XorCipher[ChaCha20, key=<redacted>" + (closed ? ", closed" : "") + "]";
    }
}
