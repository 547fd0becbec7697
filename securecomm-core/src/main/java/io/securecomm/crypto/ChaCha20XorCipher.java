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
 * {@link XorCipher#chaCha20}: the JCA {@code ChaCha20} cipher, re-initialized only on a seek, plus a small keystream
 * cache for short messages.
 *
 * <ul>
 *   <li>Sequential calls (position = where the previous call ended) just continue the JCA cipher, so the cost is
 *       that of the JCA cipher.
 *   <li>A seek re-initializes the JCA cipher once where the JDK allows it. The JDK refuses to initialize
 *       {@code ChaCha20} twice in a row with the same key and nonce (whatever the counter) in encrypt mode, and JDK
 *       17 in decrypt mode too; JDK 25 accepts it in decrypt mode, which for ChaCha20 is the same XOR. The cipher
 *       therefore runs in decrypt mode, and where the JDK refuses even that (probed once per JVM) it steps through
 *       another nonce first, two initializations per seek.
 *   <li>Requests of at most {@value #CACHED_REQUEST_MAX_BYTES} bytes are served from a cache of the keystream of
 *       {@value #CACHE_BLOCKS} consecutive blocks: a short message anywhere in the cached blocks (a backward seek,
 *       the same block again, consecutive short messages) costs an XOR and no JCA call; a short message just past
 *       them keeps the last cached block and generates the next from where the JCA cipher stands, without a seek.
 *       A short message exactly where the JCA cipher stands, and not in the cache, is streaming: it continues the
 *       JCA cipher in place like a long one, without filling the cache.
 * </ul>
 * The keystream at a position never changes, so the cache is valid for the life of the instance and is wiped on
 * {@link #close()}.
 */
final class ChaCha20XorCipher implements XorCipher {
    private static final int BLOCK_BYTES = 64;
    private static final long MAX_COUNTER = Integer.MAX_VALUE;
    /** Requests up to this length go through the keystream cache: they touch at most two blocks. */
    static final int CACHED_REQUEST_MAX_BYTES = BLOCK_BYTES;
    /** Blocks of keystream in the cache. */
    static final int CACHE_BLOCKS = 2;
    /** Whether this JDK lets a decrypt-mode ChaCha20 cipher be re-initialized with its previous key and nonce. */
    private static final boolean DECRYPT_REINIT_ALLOWED = probeDecryptReinit();

    private final byte[] key;
    private final byte[] nonce;
    private final byte[] otherNonce;
    private final SecretKeySpec keySpec;
    private final int initialCounter;
    private final long maxPosition;
    private final Cipher cipher;
    private final byte[] scratch = new byte[BLOCK_BYTES];
    /** The keystream of positions [cacheStart, cacheEnd); empty when cacheStart == cacheEnd. */
    private final byte[] cache = new byte[CACHE_BLOCKS * BLOCK_BYTES];
    private long cacheStart;
    private long cacheEnd;
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
        checkRange(keystreamPosition, length);
        if (servedFromCache(keystreamPosition, length)) {
            int k = cached(keystreamPosition, length);
            for (int i = 0; i < length; i++) {
                data[offset + i] ^= cache[k + i];
            }
            return;
        }
        seek(keystreamPosition);
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
        checkRange(keystreamPosition, length);
        if (servedFromCache(keystreamPosition, length)) {
            int k = cached(keystreamPosition, length);
            int inPos = in.position();
            int outPos = out.position();
            for (int i = 0; i < length; i++) {
                out.put(outPos + i, (byte) (in.get(inPos + i) ^ cache[k + i]));
            }
            in.position(inPos + length);
            if (out != in) {
                out.position(outPos + length);
            }
            return;
        }
        seek(keystreamPosition);
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

    private void checkRange(long position, int length) {
        if (closed) {
            throw new IllegalStateException("ChaCha20 XorCipher is closed");
        }
        if (position < 0 || position > maxPosition - length) {
            throw new IllegalArgumentException("ChaCha20 keystream position " + position + " + " + length
                    + " bytes is outside 0.." + maxPosition + " (the 32-bit block counter would overflow)");
        }
    }

    /**
     * Whether a request goes through the cache: a short one that the cache already holds, or that would need a seek.
     * A short request exactly where the JCA cipher stands (streaming) continues the cipher in place instead: filling
     * the cache first would add a zero fill, a copy and a second XOR pass to the JCA's own work.
     */
    private boolean servedFromCache(long position, int length) {
        if (length > CACHED_REQUEST_MAX_BYTES) {
            return false;
        }
        boolean held = position >= cacheStart && position + length <= cacheEnd;
        return held || position != cipherPosition;
    }

    /**
     * Makes the cache hold the keystream of [position, position + length), a range of at most one block, and
     * returns the cache index of {@code position}.
     */
    private int cached(long position, int length) {
        if (position >= cacheStart && position + length <= cacheEnd) {
            return (int) (position - cacheStart);
        }
        long first = position - position % BLOCK_BYTES;
        long end = Math.min(first + cache.length, maxPosition);
        if (first == cacheEnd - BLOCK_BYTES && cacheEnd == cipherPosition) {
            // The next block of consecutive short messages: keep the last block, continue the JCA cipher.
            System.arraycopy(cache, (int) (first - cacheStart), cache, 0, BLOCK_BYTES);
            keystream(cacheEnd, BLOCK_BYTES, (int) (end - cacheEnd));
        } else {
            keystream(first, 0, (int) (end - first));
        }
        cacheStart = first;
        cacheEnd = end;
        return (int) (position - first);
    }

    /** Writes the keystream of [position, position + length) into the cache from index {@code at}. */
    private void keystream(long position, int at, int length) {
        seek(position);
        Arrays.fill(cache, at, at + length, (byte) 0);
        try {
            cipher.update(cache, at, length, cache, at);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("ChaCha20 in-place update failed", e);
        }
        cipherPosition += length;
    }

    /** Positions the JCA cipher at a keystream position already checked by {@link #checkRange}. */
    private void seek(long position) {
        if (position == cipherPosition) {
            return;
        }
        int counter = (int) (initialCounter + position / BLOCK_BYTES);
        cipherPosition = -1;
        try {
            if (initialized && !DECRYPT_REINIT_ALLOWED) {
                // This JDK refuses to re-initialize with the key and nonce of the previous initialization, whatever
                // the counter. A seek within one keystream is no reuse, so step through another nonce first
                // (cheaper than provoking and catching the refusal on every seek).
                cipher.init(Cipher.DECRYPT_MODE, keySpec, new ChaCha20ParameterSpec(otherNonce, 0));
            }
            cipher.init(Cipher.DECRYPT_MODE, keySpec, new ChaCha20ParameterSpec(nonce, counter));
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

    /**
     * Asks the JDK once whether a decrypt-mode {@code ChaCha20} cipher may be re-initialized with its previous key
     * and nonce (JDK 25: yes; JDK 17: no), with a throwaway all-zero key.
     */
    private static boolean probeDecryptReinit() {
        Cipher probe = JcaSupport.cipher("ChaCha20");
        SecretKeySpec zeroKey = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] zeroNonce = new byte[12];
        try {
            probe.init(Cipher.DECRYPT_MODE, zeroKey, new ChaCha20ParameterSpec(zeroNonce, 0));
            probe.init(Cipher.DECRYPT_MODE, zeroKey, new ChaCha20ParameterSpec(zeroNonce, 1));
            return true;
        } catch (InvalidKeyException e) {
            return false;
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20 could not be initialized", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        Arrays.fill(otherNonce, (byte) 0);
        Arrays.fill(scratch, (byte) 0);
        Arrays.fill(cache, (byte) 0);
        cacheStart = 0;
        cacheEnd = 0;
    }

    @Override
    public String toString() {
        return "XorCipher[ChaCha20, key=<redacted>" + (closed ? ", closed" : "") + "]";
    }
}
