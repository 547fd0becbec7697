package io.securecomm.crypto;

import java.nio.ByteBuffer;

/**
 * A keystream XOR combiner that provides NO integrity: anyone can flip chosen plaintext bits by flipping
 * ciphertext bits, undetected. Use an {@link Aead} unless a layer above authenticates the data.
 *
 * <p>{@code apply} XORs data with the keystream starting at any keystream position (seekable), in place or from
 * one buffer to another, so it encrypts and decrypts alike: applying it twice at the same position restores
 * the input. Applying it from position {@code k} to a slice equals applying it from 0 to the whole and taking
 * the slice.
 *
 * <p>Implementations: {@link #chaCha20(byte[], byte[], int)} (RFC 8439), and the original toy's repeating-key
 * XOR in {@code io.securecomm.crypto.insecure}, which is broken. Implementations are not thread-safe; {@link
 * #close()} wipes the key material the instance owns (best effort on the JVM).
 */
public interface XorCipher extends AutoCloseable {

    /**
     * A ChaCha20 keystream with an explicit nonce: the caller MUST NEVER reuse a key and nonce pair for two
     * different messages (two-time pad). The keystream is the RFC 8439 section 2.3 block function through the
     * JCA {@code ChaCha20} cipher; keystream position {@code pos} is byte {@code pos % 64} of the block with
     * counter {@code initialCounter + pos / 64}. Provides NO integrity.
     *
     * @param key32 the 32-byte key (copied)
     * @param nonce12 the 12-byte nonce (copied), never reused with this key
     * <p>Which counter: use {@code 0} unless a protocol says otherwise. RFC 8439's ChaCha20-Poly1305 AEAD starts its
     * ciphertext at counter {@code 1} because it spends block 0 on the Poly1305 key, and the RFC's encryption
     * example (section 2.4.2) uses 1 for that reason; a bare keystream like this one has no such block, so starting
     * at 0 wastes nothing. What must never repeat is the (key, nonce) pair, whatever the counter: two messages under
     * the same key and nonce with counters 0 and 1 share all but one block of keystream.
     *
     * @param initialCounter the block counter at keystream position 0, from 0 to 2^31 - 1; 0 unless a protocol
     *     says otherwise
     * @return a new cipher, which the caller should close
     * @throws IllegalArgumentException if a size or the counter is out of range
     */
    static XorCipher chaCha20(byte[] key32, byte[] nonce12, int initialCounter) {
        return new ChaCha20XorCipher(key32, nonce12, initialCounter);
    }

    /**
     * XORs {@code data[offset, offset + length)} in place with the keystream from {@code keystreamPosition}.
     *
     * @param keystreamPosition the keystream byte position of {@code data[offset]}, at least 0
     * @param data the data
     * @param offset where to start
     * @param length how many bytes
     * @throws IllegalArgumentException if the position is negative or the keystream would run out
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     * @throws IllegalStateException if the cipher is closed
     */
    void apply(long keystreamPosition, byte[] data, int offset, int length);

    /**
     * XORs the remaining bytes of {@code in} with the keystream from {@code keystreamPosition} into {@code out},
     * like {@link javax.crypto.Cipher#update(ByteBuffer, ByteBuffer)}: both positions advance by {@code
     * in.remaining()}. Heap and direct buffers work. {@code out} may be the same object as {@code in} (in place);
     * otherwise the two must not share memory.
     *
     * @param keystreamPosition the keystream byte position of {@code in}'s first remaining byte, at least 0
     * @param in the input
     * @param out the output, with at least {@code in.remaining()} bytes remaining
     * @throws IllegalArgumentException if the position is negative, the keystream would run out, or {@code out}
     *     has too little room
     * @throws java.nio.ReadOnlyBufferException if {@code out} is read-only
     * @throws IllegalStateException if the cipher is closed
     */
    void apply(long keystreamPosition, ByteBuffer in, ByteBuffer out);

    /** Wipes the key material this instance owns; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
