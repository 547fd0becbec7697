package io.securecomm.crypto.insecure;

import io.securecomm.crypto.XorCipher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;

/**
 * INSECURE repeating-key XOR, the original toy's cipher, kept for teaching; it provides NO integrity and no real
 * confidentiality: byte {@code i} is XORed with {@code key[i % key.length]}.
 *
 * <p>Why it is broken:
 * <ul>
 *   <li><b>Known plaintext reveals the key</b>: {@code key[i] = plaintext[i] ^ ciphertext[i]}; a few bytes of
 *       a predictable header give the whole key, which then decrypts everything.</li>
 *   <li><b>Two-time pad</b>: the key repeats within a message and across messages, so XORing two ciphertexts
 *       cancels the key and leaves the XOR of the plaintexts; frequency analysis finds a short key from the
 *       ciphertext alone (Kasiski examination, index of coincidence).</li>
 *   <li><b>No integrity</b>: flipping a ciphertext bit flips the same plaintext bit, undetected.</li>
 * </ul>
 * Nothing outside {@code io.securecomm.crypto.insecure} uses this by default; use {@link XorCipher#chaCha20}
 * under an authenticated layer, or better an {@code Aead}.
 *
 * <p>Fast on purpose (the benchmark holds it to at least 0.6x of {@code System.arraycopy}): the key is expanded
 * once into a keystream buffer whose length is a multiple of the key length and at least {@value
 * #MIN_EXPANDED_BYTES} bytes, so no hot loop computes a per-byte modulo. For byte arrays up to {@value
 * #MAX_ALIGNED_BYTES} bytes the keystream is also copied (with {@code System.arraycopy}) to the same indexes as the
 * data; repeated calls at the same position-to-index offset reuse it. Against that aligned keystream the loop XORs
 * 8 bytes at a time through {@code long} views with one index for both arrays, which measured faster than the
 * vectorized byte loop at most sizes and much faster than an 8-byte loop with two different indexes. Beyond
 * {@value #MAX_ALIGNED_BYTES} bytes, and for direct buffers, the loop XORs 8 bytes at a time against the expanded
 * buffer. Not thread-safe.
 */
public final class RepeatingKeyXorCipher implements XorCipher {
    /** The minimum length of the expanded keystream buffer, in bytes. */
    public static final int MIN_EXPANDED_BYTES = 4096;
    /** Array indexes below this are served by the vectorizable index-aligned keystream (at most this much memory). */
    public static final int MAX_ALIGNED_BYTES = 64 * 1024;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] expanded;
    private final ByteBuffer expandedView;
    private final int keyLength;
    /** The keystream laid out at the data's own array indexes; valid for [alignedFrom, alignedTo) at alignedShift. */
    private byte[] aligned = new byte[0];
    private int alignedShift = -1;
    private int alignedFrom;
    private int alignedTo;
    private int lastDelta = Integer.MIN_VALUE;
    private int lastShift;
    private boolean closed;

    /**
     * Creates the cipher. The key is copied (into the expanded buffer).
     *
     * @param key the repeating key, at least 1 byte
     * @throws IllegalArgumentException if the key is empty
     */
    public RepeatingKeyXorCipher(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("repeating XOR key must not be empty");
        }
        this.keyLength = key.length;
        int copies = Math.max(1, (MIN_EXPANDED_BYTES + key.length - 1) / key.length);
        this.expanded = new byte[Math.multiplyExact(copies, key.length)];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(key, 0, expanded, i * key.length, key.length);
        }
        this.expandedView = ByteBuffer.wrap(expanded).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the key length.
     *
     * @return the length of the repeating key, in bytes
     */
    public int keyLengthBytes() {
        return keyLength;
    }

    @Override
    public void apply(long keystreamPosition, byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        int k = start(keystreamPosition);
        int end = offset + length;
        if (end <= MAX_ALIGNED_BYTES) {
            int delta = k - offset;
            // At 1 KiB a call lasts about 15 ns, so the common case (the same shift, inside the keystream already
            // aligned) costs three comparisons here; everything else goes through alignKeystream.
            if (delta != lastDelta || offset < alignedFrom || end > alignedTo) {
                if (delta != lastDelta) {
                    // Divisions cost tens of cycles: compute the shift once per position-to-index offset.
                    lastShift = Math.floorMod(delta, keyLength);
                    lastDelta = delta;
                }
                alignKeystream(lastShift, offset, end);
            }
            xorSameIndexLongs(data, aligned, offset, end);
        } else {
            xorLongs(data, offset, end, k);
        }
    }

    /**
     * {@code data[i] ^= keystream[i]} eight bytes at a time, one index for both arrays. C2 does not vectorize it, yet
     * it beat the vectorized byte loop ({@code data[i] ^= keystream[i]} one byte at a time) on JDK 17 and 25 at 64 B,
     * 1 KiB and 64 KiB in every run (at 16 KiB the two trade places between runs): it has no scalar pre- and
     * post-loops to amortize, which dominate the vector loop at small sizes (docs/BENCHMARKS.md, issue 18).
     */
    private static void xorSameIndexLongs(byte[] data, byte[] keystream, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            LONGS.set(data, i, (long) LONGS.get(data, i) ^ (long) LONGS.get(keystream, i));
        }
        for (; i < to; i++) {
            data[i] ^= keystream[i];
        }
    }

    /**
     * Makes {@code aligned[i] = key[(i + shift) % keyLength]} hold for every i in [from, to), refilling only
     * what the previous calls did not leave valid. Sequential calls at the same shift (the same position
     * relative to the array index, as when a buffer is re-encrypted) need no refill.
     */
    private void alignKeystream(int shift, int from, int to) {
        if (aligned.length < to) {
            aligned = Arrays.copyOf(aligned, Math.min(MAX_ALIGNED_BYTES, Math.max(to, 2 * aligned.length)));
        }
        if (shift == alignedShift && from <= alignedTo && to >= alignedFrom) {
            if (from < alignedFrom) {
                fillAligned(shift, from, alignedFrom);
                alignedFrom = from;
            }
            if (to > alignedTo) {
                fillAligned(shift, alignedTo, to);
                alignedTo = to;
            }
        } else {
            fillAligned(shift, from, to);
            alignedShift = shift;
            alignedFrom = from;
            alignedTo = to;
        }
    }

    private void fillAligned(int shift, int from, int to) {
        int n = expanded.length;
        int source = (int) (((long) from + shift) % n);
        int i = from;
        while (i < to) {
            int chunk = Math.min(to - i, n - source);
            System.arraycopy(expanded, source, aligned, i, chunk);
            i += chunk;
            source = 0;
        }
    }

    /** The fallback for array indexes beyond {@link #MAX_ALIGNED_BYTES}: 8 bytes per step, no per-byte modulo. */
    private void xorLongs(byte[] data, int from, int end, int k) {
        byte[] ks = expanded;
        int n = ks.length;
        int i = from;
        while (i < end) {
            int chunk = Math.min(end - i, n - k);
            int chunkEnd = i + chunk;
            int longsEnd = chunkEnd - 7;
            while (i < longsEnd) {
                long d = (long) LONGS.get(data, i);
                long s = (long) LONGS.get(ks, k);
                LONGS.set(data, i, d ^ s);
                i += 8;
                k += 8;
            }
            while (i < chunkEnd) {
                data[i++] ^= ks[k++];
            }
            k = 0;
        }
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
        int inPos = in.position();
        int outPos = out.position();
        if (in.hasArray() && out.hasArray()) {
            byte[] outArray = out.array();
            int outIndex = out.arrayOffset() + outPos;
            if (out != in) {
                System.arraycopy(in.array(), in.arrayOffset() + inPos, outArray, outIndex, length);
            }
            apply(keystreamPosition, outArray, outIndex, length);
        } else {
            applyBuffers(keystreamPosition, in.duplicate().order(ByteOrder.LITTLE_ENDIAN), inPos,
                    out.duplicate().order(ByteOrder.LITTLE_ENDIAN), outPos, length);
        }
        in.position(inPos + length);
        if (out != in) {
            out.position(outPos + length);
        }
    }

    private void applyBuffers(long keystreamPosition, ByteBuffer in, int inPos, ByteBuffer out, int outPos,
            int length) {
        int k = start(keystreamPosition);
        ByteBuffer ks = expandedView;
        int n = expanded.length;
        int i = 0;
        while (i < length) {
            int chunkEnd = i + Math.min(length - i, n - k);
            int longsEnd = chunkEnd - 7;
            while (i < longsEnd) {
                out.putLong(outPos + i, in.getLong(inPos + i) ^ ks.getLong(k));
                i += 8;
                k += 8;
            }
            while (i < chunkEnd) {
                out.put(outPos + i, (byte) (in.get(inPos + i) ^ expanded[k]));
                i++;
                k++;
            }
            k = 0;
        }
    }

    /** The index in the expanded buffer of a keystream position: the one modulo per call. */
    private int start(long keystreamPosition) {
        if (closed) {
            throw new IllegalStateException("RepeatingKeyXorCipher is closed");
        }
        if (keystreamPosition < 0) {
            throw new IllegalArgumentException("keystream position must be >= 0, got " + keystreamPosition);
        }
        int n = expanded.length;
        return keystreamPosition < n ? (int) keystreamPosition : (int) (keystreamPosition % n);
    }

    /** Wipes the expanded key; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(expanded, (byte) 0);
        Arrays.fill(aligned, (byte) 0);
    }

    /**
     * Describes the cipher without the key.
     *
     * @return the key length and a redaction marker
     */
    @Override
    public String toString() {
        return "RepeatingKeyXorCipher[INSECURE, " + keyLength + "-byte key=<redacted>]";
    }
}
